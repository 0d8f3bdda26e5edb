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

    init(scanner: MessageScanner, limits: MessageLimits, logger: Logger, audit: AuditLog? = nil, hashRecipients: Bool = false) {
        self.scanner = scanner
        self.limits = limits
        self.audit = audit
        self.hashRecipients = hashRecipients
        self.logger = logger
    }

    func connect(hostname: String, address: String?, context: MilterContext) throws -> MilterStatus {
        clientAddress = address ?? context.macro("{client_addr}")
        return .proceed
    }

    func envelopeFrom(_ arguments: [String], context: MilterContext) throws -> MilterStatus {
        reset()
        envelope.sender = Self.stripBrackets(arguments.first ?? "")
        envelope.authenticatedUser = context.macro("{auth_authen}").flatMap { $0.isEmpty ? nil : $0 }
        return .proceed
    }

    func envelopeRecipient(_ arguments: [String], context: MilterContext) throws -> MilterStatus {
        if let recipient = arguments.first { envelope.recipients.append(Self.stripBrackets(recipient)) }
        return .proceed
    }

    func header(name: String, value: [UInt8], context: MilterContext) throws -> MilterStatus {
        if let own = VerdictHeaders.names.first(where: { $0.lowercased() == name.lowercased() }) {
            // Counted by our canonical name: the MTA matches header names case-insensitively.
            forgedCounts[own, default: 0] += 1
        }
        raw.appendHeader(RawHeader(name: name, value: value), limits: limits)
        return .proceed
    }

    func body(_ chunk: UnsafeRawBufferPointer, context: MilterContext) throws -> MilterStatus {
        // Past the limit the rest of the body is not sent to us at all (SMFIS_SKIP).
        raw.appendBody(chunk, limits: limits) ? .proceed : .skip
    }

    func endOfMessage(context: MilterContext) throws -> MilterStatus {
        defer { reset() }
        envelope.clientAddress = clientAddress
        envelope.queueID = context.macro("i")
        let queueID = envelope.queueID ?? "NOQUEUE"
        let result = scanner.scan(raw, envelope: envelope)
        if !result.view.limitsReached.isEmpty {
            let names = result.view.limitsReached.map(\.rawValue).joined(separator: ",")
            logger.info("\(queueID): limits reached: \(names); the verdict covers what was within them")
        }
        // Delete from the highest index down, so each index still names the same header whether or
        // not the MTA renumbers after a deletion.
        for (name, count) in forgedCounts.sorted(by: { $0.key < $1.key }) {
            for index in stride(from: count, through: 1, by: -1) {
                try context.deleteHeader(name, index: index)
            }
        }
        for header in VerdictHeaders.headers(for: result.verdict).reversed() {
            try context.insertHeader(at: 0, header.name, header.value)
        }
        if let problem = result.correlationError, CorrelationWarning.due() {
            logger.warning("\(queueID): correlation state unavailable (\(problem)); judged without it")
        }
        let removed = forgedCounts.values.reduce(0, +)
        logger.info("\(queueID): \(result.summary)\(removed > 0 ? ", removed=\(removed)" : "")")
        audit?.write(AuditRecord(
            time: Date(), queueID: queueID, messageID: result.view.messageID, clientAddress: envelope.clientAddress,
            envelopeSender: envelope.sender, recipients: envelope.recipients, hashRecipients: hashRecipients,
            from: result.view.from?.address, fromDomain: result.view.from?.domain, subject: result.view.subject,
            verdict: result.verdict, action: "header", limitsReached: result.view.limitsReached.map(\.rawValue),
            processingMilliseconds: result.milliseconds, version: Daemon.version))
        return .proceed
    }

    func abort(context: MilterContext) {
        reset()
    }

    private func reset() {
        raw = RawMessage()
        envelope = Envelope()
        forgedCounts = [:]
    }

    static func stripBrackets(_ address: String) -> String {
        var text = address
        if text.hasPrefix("<") { text.removeFirst() }
        if text.hasSuffix(">") { text.removeLast() }
        return text
    }
}

/// Correlation failures are logged at most once a minute: a full disk must not flood the log.
enum CorrelationWarning {
    private static let last = Mutex<ContinuousClock.Instant?>(nil)

    static func due() -> Bool {
        let now = ContinuousClock.now
        return last.withLock { previous in
            if let previous, now - previous < .seconds(60) { return false }
            previous = now
            return true
        }
    }
}
