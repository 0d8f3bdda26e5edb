import Actions
import Foundation
import Detection
import Logging
import MailView
import Milter
import Synchronization

/// One SMTP connection: collects a message as libmilter hands it over, has it scanned at end of message,
/// and carries out the `ActionPlan` the planner makes for it, step by step, against the milter context.
public final class GiftCardSession: MilterSession {
    private let scanner: MessageScanner
    private let limits: MessageLimits
    private let logger: Logger
    private let audit: AuditLog?
    private let metrics: MessageMetrics?

    private var clientAddress: String?
    // Per-message state, reset after each message and on abort.
    private var raw: RawMessage
    private var envelope = Envelope()
    private var forgedCounts: [String: Int32] = [:]
    /// Bodies up to `MaximumBannerBytes` are kept whole when some verdict's policy is `banner`; nil
    /// otherwise. `RawMessage` holds the body once and says when it is not whole.
    private let wholeBodyLimit: Int?

    private let planner: ActionPlanner

    /// A message's judgement and plan, handed to `onJudged`.
    public struct Judged: Sendable {
        public var result: MessageScanner.Result
        public var plan: ActionPlan
    }
    /// Told each message's judgement and plan before they are carried out: `check` replays files through
    /// a session and reads them here. Nil in the daemon, so a connection holds nothing of a message
    /// (its view, a bannered body) once the message is done.
    public var onJudged: ((Judged) -> Void)?

    public init(scanner: MessageScanner, limits: MessageLimits, logger: Logger, audit: AuditLog? = nil, hashRecipients: Bool = false,
                policies: PolicySettings = PolicySettings(), banner: BannerSettings = BannerSettings(), metrics: MessageMetrics? = nil,
                version: String) {
        self.scanner = scanner
        self.limits = limits
        planner = ActionPlanner(policies: policies, banner: banner, brands: scanner.detector.brands, hashRecipients: hashRecipients,
                                version: version)
        wholeBodyLimit = policies.mayBanner ? banner.maximumBytes : nil
        raw = RawMessage(keepingWholeBodyUpTo: wholeBodyLimit)
        self.audit = audit
        self.metrics = metrics
        self.logger = logger
    }

    public func connect(hostname: String, address: String?, context: any MessageContext) throws -> MilterStatus {
        clientAddress = address ?? context.macro("{client_addr}")
        return .proceed
    }

    public func envelopeFrom(_ arguments: [String], context: any MessageContext) throws -> MilterStatus {
        reset()
        envelope.sender = Self.stripBrackets(arguments.first ?? "")
        envelope.authenticatedUser = context.macro("{auth_authen}").flatMap { $0.isEmpty ? nil : $0 }
        return .proceed
    }

    public func envelopeRecipient(_ arguments: [String], context: any MessageContext) throws -> MilterStatus {
        if let recipient = arguments.first { envelope.recipients.append(Self.stripBrackets(recipient)) }
        return .proceed
    }

    public func header(name: String, value: [UInt8], context: any MessageContext) throws -> MilterStatus {
        if let own = VerdictHeaders.ownName(name) {
            // Counted by our canonical name: the MTA matches header names case-insensitively.
            forgedCounts[own, default: 0] += 1
        }
        raw.appendHeader(RawHeader(name: name, value: value), limits: limits)
        return .proceed
    }

    public func body(_ chunk: UnsafeRawBufferPointer, context: any MessageContext) throws -> MilterStatus {
        // Once the body was read as far as it is read, the rest is not sent to us at all (SMFIS_SKIP).
        return raw.appendBody(chunk, limits: limits) ? .proceed : .skip
    }

    public func endOfMessage(context: any MessageContext) throws -> MilterStatus {
        defer { reset() }
        envelope.clientAddress = clientAddress
        envelope.queueID = context.macro("i")
        let queueID = envelope.queueID ?? "NOQUEUE"
        raw.finishBody()
        let result = scanner.scan(raw, envelope: envelope)
        if !result.view.limitsReached.isEmpty {
            let names = result.view.limitsReached.map(\.rawValue).joined(separator: ",")
            logger.info("\(queueID): limits reached: \(names); the verdict covers what was within them")
        }
        if let problem = result.correlationError, correlationWarning.due() {
            logger.warning("\(queueID): correlation state unavailable (\(problem)); judged without it")
        }
        let plan = planner.plan(ActionPlanner.Message(
            view: result.view, verdict: result.verdict, envelope: envelope, queueID: queueID, raw: raw, forgedCounts: forgedCounts,
            milliseconds: result.milliseconds, correlationState: result.correlationState))
        onJudged?(Judged(result: result, plan: plan))
        try plan.carryOut(on: context)
        logger.info("\(queueID): \(plan.logLine)")
        if audit?.write(plan.audit) == false { metrics?.droppedAuditRecord() }
        metrics?.record(plan.audit)
        switch plan.disposition {
        case .deliver: return .proceed
        case .reject: return .reject
        case .tempfail: return .tempfail
        }
    }

    public func abort(context: any MessageContext) {
        reset()
    }

    private func reset() {
        raw = RawMessage(keepingWholeBodyUpTo: wholeBodyLimit)
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
let correlationWarning = LogThrottle()
