import Actions
import Foundation
import Detection
import Logging
import MailView
import Milter
import Synchronization

/// One SMTP connection: collects a message as libmilter hands it over, has it scanned at end of message,
/// and carries out the `ActionPlan` the planner makes for it, step by step, against the milter context.
final class GiftCardSession: MilterSession {
    private let scanner: MessageScanner
    private let limits: MessageLimits
    private let logger: Logger
    private let audit: AuditLog?
    private let metrics: MessageMetrics?

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

    private let planner: ActionPlanner
    /// Bodies larger than this are not kept whole (no banner: `banner=too-large`).
    private let maximumBannerBytes: Int

    init(scanner: MessageScanner, limits: MessageLimits, logger: Logger, audit: AuditLog? = nil, hashRecipients: Bool = false,
         policies: PolicySettings = PolicySettings(), banner: BannerSettings = BannerSettings(), metrics: MessageMetrics? = nil) {
        self.scanner = scanner
        self.limits = limits
        planner = ActionPlanner(policies: policies, banner: banner, brands: scanner.detector.brands, hashRecipients: hashRecipients,
                                version: Daemon.version)
        maximumBannerBytes = banner.maximumBytes
        keepsWholeBody = policies.mayBanner
        self.audit = audit
        self.metrics = metrics
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
            if wholeBody.count + chunk.count <= maximumBannerBytes {
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
        let plan = planner.plan(ActionPlanner.Message(
            view: result.view, verdict: result.verdict, envelope: envelope, queueID: queueID, raw: raw,
            wholeBody: keepsWholeBody && !wholeBodyTooLarge ? wholeBody : nil, forgedCounts: forgedCounts,
            milliseconds: result.milliseconds, correlationState: result.correlationState))
        for step in plan.steps { try perform(step, context: context) }
        logger.info("\(queueID): \(plan.logLine)")
        if audit?.write(plan.audit) == false { metrics?.droppedAuditRecord() }
        metrics?.record(plan.audit)
        switch plan.disposition {
        case .deliver: return .proceed
        case .reject: return .reject
        case .tempfail: return .tempfail
        }
    }

    /// One step of the plan, through libmilter; a refusal is thrown to the runner's failure policy.
    private func perform(_ step: ActionStep, context: any MessageContext) throws {
        switch step {
        case .deleteHeader(let name, let index): try context.deleteHeader(name, index: index)
        case .insertHeader(let index, let name, let value): try context.insertHeader(at: index, name, value)
        case .changeHeader(let name, let index, let value): try context.changeHeader(name, index: index, to: value)
        case .addHeader(let name, let value): try context.addHeader(name, value)
        case .replaceBody(let body): try context.replaceBody(body)
        case .quarantine(let reason): try context.quarantine(reason: reason)
        case .setReply(let code, let extended, let text): try context.setReply(code: code, extended: extended, lines: [text])
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
