import Detection
import Foundation
import MailView

/// The one place that decides what happens to a judged message: policy and exemptions, our headers
/// (after removing copies that came from outside), the banner, the reply or quarantine, and the log
/// line and audit record. Pure: the same inputs give the same plan.
public struct ActionPlanner: Sendable {
    public var policies: PolicySettings
    public var banner: BannerSettings
    public var brands: BrandRegistry
    /// Audit records hold recipient hashes instead of addresses.
    public var hashRecipients: Bool
    /// The version written in audit records.
    public var version: String

    public init(policies: PolicySettings = PolicySettings(), banner: BannerSettings = BannerSettings(), brands: BrandRegistry = .builtin,
                hashRecipients: Bool = false, version: String = "") {
        self.policies = policies
        self.banner = banner
        self.brands = brands
        self.hashRecipients = hashRecipients
        self.version = version
    }

    /// A judged message as the session holds it at end of message.
    public struct Message: Sendable {
        public var view: MessageView
        public var verdict: Verdict
        public var envelope: Envelope
        public var queueID: String
        /// The headers as received (within the limits), whether any limit cut them, and the body: the
        /// banner goes into `raw.wholeBody`, and none is placed when it was not kept.
        public var raw: RawMessage
        /// Incoming copies of our headers, by our spelling of the name.
        public var forgedCounts: [String: Int32]
        public var milliseconds: Double
        public var correlationState: CorrelationState?
        public var time: Date

        public init(view: MessageView, verdict: Verdict, envelope: Envelope, queueID: String, raw: RawMessage,
                    forgedCounts: [String: Int32] = [:], milliseconds: Double = 0, correlationState: CorrelationState? = nil, time: Date = Date()) {
            self.view = view
            self.verdict = verdict
            self.envelope = envelope
            self.queueID = queueID
            self.raw = raw
            self.forgedCounts = forgedCounts
            self.milliseconds = milliseconds
            self.correlationState = correlationState
            self.time = time
        }
    }

    public func plan(_ message: Message) -> ActionPlan {
        let verdict = message.verdict
        let (policy, exemption) = policies.decide(verdict.kind, envelope: message.envelope)
        var steps: [ActionStep] = []
        if policy != .reject, policy != .tempfail {
            // Delete from the highest index down, so each index still names the same header whether or
            // not the MTA renumbers after a deletion; then ours at the top, in reading order.
            for (name, count) in message.forgedCounts.sorted(by: { $0.key < $1.key }) {
                for index in stride(from: count, through: 1, by: -1) { steps.append(.deleteHeader(name: name, index: index)) }
            }
            for header in VerdictHeaders.headers(for: verdict).reversed() {
                steps.append(.insertHeader(index: 0, name: header.name, value: header.value))
            }
        }
        var outcome: BannerOutcome?
        if policy == .banner {
            let placed = placeBanner(message)
            outcome = placed.outcome
            steps += placed.steps
        }
        let disposition: ActionPlan.Disposition
        switch policy {
        case .header, .banner:
            disposition = .deliver
        case .quarantine:
            steps.append(.quarantine(reason: "giftcard-milter: \(verdict.kind.rawValue) (\(verdict.reasonList))"))
            disposition = .deliver
        case .reject:
            steps.append(.setReply(code: "550", extended: "5.7.1", text: PolicySettings.replyText(verdict)))
            disposition = .reject
        case .tempfail:
            steps.append(.setReply(code: "451", extended: "4.7.1", text: PolicySettings.replyText(verdict)))
            disposition = .tempfail
        }

        let removed = message.forgedCounts.values.reduce(0, +)
        var line = "\(verdict.summary), action=\(policy.rawValue)"
        if let outcome { line += ", banner=\(outcome.summary)" }
        if let exemption { line += ", exempt=\(exemption)" }
        if removed > 0 { line += ", removed=\(removed)" }
        let view = message.view
        let envelope = message.envelope
        let audit = AuditRecord(
            time: message.time, queueID: message.queueID, messageID: view.messageID, clientAddress: envelope.clientAddress,
            envelopeSender: envelope.sender, recipients: envelope.recipients, hashRecipients: hashRecipients,
            from: view.from?.address, fromDomain: view.from?.domain, subject: view.subject,
            verdict: verdict, action: policy.rawValue, banner: outcome?.summary, limitsReached: view.limitsReached.map(\.rawValue),
            correlationState: message.correlationState, processingMilliseconds: message.milliseconds, version: version)
        return ActionPlan(policy: policy, exemption: exemption, steps: steps, disposition: disposition, banner: outcome,
                          logLine: line, audit: audit)
    }

    /// The banner's steps: top-level header changes first, then the new body, as the MTA requires.
    private func placeBanner(_ message: Message) -> (outcome: BannerOutcome, steps: [ActionStep]) {
        guard let note = banner.banner(for: message.verdict, view: message.view, brands: brands) else { return (.skipped(.noTextPart), []) }
        let outcome = banner.place(note, in: message.raw, outline: message.view.outline)
        guard case .placed(let edit) = outcome else { return (outcome, []) }
        return (outcome, edit.steps(headers: message.raw.headers))
    }
}
