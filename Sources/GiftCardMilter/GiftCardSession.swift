import Actions
import Foundation
import Detection
import Logging
import MailView
import Milter
import Synchronization

/// One SMTP connection: collects a message as libmilter hands it over, scans it at end of message and
/// stamps the verdict headers, after removing any copies of them that came from outside.
final class GiftCardSession: MilterSession {
    private let scanner: MessageScanner
    private let limits: MessageLimits
    private let logger: Logger
    private let audit: AuditLog?
    private let hashRecipients: Bool

    private var clientAddress: String?
    // Per-message state, reset after each message and on abort.
    private var raw = RawMessage()
    private var envelope = Envelope()
    private var forgedCounts: [String: Int32] = [:]
    /// The whole body, kept while a banner may be placed and it fits `MaximumBannerBytes`; it is also
    /// what gets inspected, so the body is held once.
    private var wholeBody: [UInt8] = []
    private var wholeBodyTooLarge = false
    /// True when some verdict's policy is `banner`, so bodies are kept whole.
    private let keepsWholeBody: Bool

    private let policies: PolicySettings
    private let banner: BannerSettings

    init(scanner: MessageScanner, limits: MessageLimits, logger: Logger, audit: AuditLog? = nil, hashRecipients: Bool = false,
         policies: PolicySettings = PolicySettings(), banner: BannerSettings = BannerSettings()) {
        self.scanner = scanner
        self.limits = limits
        self.policies = policies
        self.banner = banner
        keepsWholeBody = policies.mayBanner
        self.audit = audit
        self.hashRecipients = hashRecipients
        self.logger = logger
    }

    func connect(hostname: String, address: String?, context: any MessageContext) throws -> MilterStatus {
        clientAddress = address ?? context.macro("{client_addr}")
        return .proceed
    }

    func envelopeFrom(_ arguments: [String], context: any MessageContext) throws -> MilterStatus {
        reset()
        envelope.sender = Self.stripBrackets(arguments.first ?? "")
        envelope.authenticatedUser = context.macro("{auth_authen}").flatMap { $0.isEmpty ? nil : $0 }
        return .proceed
    }

    func envelopeRecipient(_ arguments: [String], context: any MessageContext) throws -> MilterStatus {
        if let recipient = arguments.first { envelope.recipients.append(Self.stripBrackets(recipient)) }
        return .proceed
    }

    func header(name: String, value: [UInt8], context: any MessageContext) throws -> MilterStatus {
        if let own = VerdictHeaders.ownName(name) {
            // Counted by our canonical name: the MTA matches header names case-insensitively.
            forgedCounts[own, default: 0] += 1
        }
        raw.appendHeader(RawHeader(name: name, value: value), limits: limits)
        return .proceed
    }

    func body(_ chunk: UnsafeRawBufferPointer, context: any MessageContext) throws -> MilterStatus {
        if keepsWholeBody, !wholeBodyTooLarge {
            if wholeBody.count + chunk.count <= banner.maximumBytes {
                wholeBody.append(contentsOf: chunk)
                return .proceed
            }
            // Too large for a banner: what was kept becomes the inspected body, the rest is read as usual.
            wholeBodyTooLarge = true
            raw.appendBody(wholeBody, limits: limits)
            wholeBody = []
        }
        // Once the body was read as far as it is read, the rest is not sent to us at all (SMFIS_SKIP).
        return raw.appendBody(chunk, limits: limits) ? .proceed : .skip
    }

    func endOfMessage(context: any MessageContext) throws -> MilterStatus {
        defer { reset() }
        envelope.clientAddress = clientAddress
        envelope.queueID = context.macro("i")
        let queueID = envelope.queueID ?? "NOQUEUE"
        if keepsWholeBody, !wholeBodyTooLarge { raw.setBody(wholeBody, limits: limits) } else { raw.finishBody() }
        let result = scanner.scan(raw, envelope: envelope)
        if !result.view.limitsReached.isEmpty {
            let names = result.view.limitsReached.map(\.rawValue).joined(separator: ",")
            logger.info("\(queueID): limits reached: \(names); the verdict covers what was within them")
        }
        if let problem = result.correlationError, correlationWarning.due() {
            logger.warning("\(queueID): correlation state unavailable (\(problem)); judged without it")
        }
        let (policy, exemption) = policies.decide(result.verdict.kind, envelope: envelope)
        if policy != .reject, policy != .tempfail {
            try stampHeaders(result.verdict, context: context)
        }
        let bannerOutcome = policy == .banner ? try placeBanner(result, context: context) : nil
        let removed = forgedCounts.values.reduce(0, +)
        var line = "\(queueID): \(result.summary), action=\(policy.rawValue)"
        if let bannerOutcome { line += ", banner=\(Self.describe(bannerOutcome))" }
        if let exemption { line += ", exempt=\(exemption)" }
        if removed > 0 { line += ", removed=\(removed)" }
        logger.info("\(line)")
        audit?.write(AuditRecord(
            time: Date(), queueID: queueID, messageID: result.view.messageID, clientAddress: envelope.clientAddress,
            envelopeSender: envelope.sender, recipients: envelope.recipients, hashRecipients: hashRecipients,
            from: result.view.from?.address, fromDomain: result.view.from?.domain, subject: result.view.subject,
            verdict: result.verdict, action: policy.rawValue, banner: bannerOutcome.map(Self.describe), limitsReached: result.view.limitsReached.map(\.rawValue),
            correlationState: result.correlationState, processingMilliseconds: result.milliseconds, version: Daemon.version))
        let why = PolicySettings.replyText(result.verdict)
        switch policy {
        case .header, .banner:
            return .proceed
        case .quarantine:
            try context.quarantine(reason: "giftcard-milter: \(result.verdict.kind.rawValue) (\(result.verdict.reasons.map(\.rawValue).joined(separator: ",")))")
            return .proceed
        case .reject:
            try context.setReply(code: "550", extended: "5.7.1", lines: [why])
            return .reject
        case .tempfail:
            try context.setReply(code: "451", extended: "4.7.1", lines: [why])
            return .tempfail
        }
    }

    /// Removes copies of our headers that came from outside, then adds ours at the top.
    private func stampHeaders(_ verdict: Verdict, context: any MessageContext) throws {
        // Delete from the highest index down, so each index still names the same header whether or
        // not the MTA renumbers after a deletion.
        for (name, count) in forgedCounts.sorted(by: { $0.key < $1.key }) {
            for index in stride(from: count, through: 1, by: -1) {
                try context.deleteHeader(name, index: index)
            }
        }
        for header in VerdictHeaders.headers(for: verdict).reversed() {
            try context.insertHeader(at: 0, header.name, header.value)
        }
    }

    /// Places the banner: top-level header changes first, then the new body, as the MTA requires.
    private func placeBanner(_ result: MessageScanner.Result, context: any MessageContext) throws -> BannerOutcome {
        if wholeBodyTooLarge { return .skipped(.tooLarge) }
        guard let note = banner.banner(for: result.verdict, view: result.view, brands: scanner.detector.brands) else {
            return .skipped(.noTextPart)
        }
        let outcome = banner.place(note, in: raw, body: wholeBody, outline: result.view.outline)
        guard case .placed(let edit) = outcome else { return outcome }
        for change in edit.headerChanges {
            if change.index(in: raw.headers) != nil {
                // The MTA counts headers of one name from 1: the first, as on the RawMessage.
                try context.changeHeader(change.name, index: 1, to: change.value)
            } else {
                try context.addHeader(change.name, change.value)
            }
        }
        try context.replaceBody(edit.body)
        return outcome
    }

    /// `placed` or the reason it was not, for the log line and the audit record.
    static func describe(_ outcome: BannerOutcome) -> String {
        switch outcome {
        case .placed: "placed"
        case .skipped(let why): why.rawValue
        }
    }

    func abort(context: any MessageContext) {
        reset()
    }

    private func reset() {
        raw = RawMessage()
        envelope = Envelope()
        forgedCounts = [:]
        wholeBody = []
        wholeBodyTooLarge = false
    }

    static func stripBrackets(_ address: String) -> String {
        var text = address
        if text.hasPrefix("<") { text.removeFirst() }
        if text.hasSuffix(">") { text.removeLast() }
        return text
    }
}

/// Correlation failures are logged at most once a minute: a full disk must not flood the log.
let correlationWarning = LogThrottle()
