import Detection
import Foundation

/// One line of the audit log: what happened to one message. Field names are part of the interface
/// (README, "Audit log"); add fields, never rename them.
public struct AuditRecord: Codable, Sendable, Equatable {
    public var time: String
    public var queue_id: String
    public var message_id: String?
    public var client_address: String?
    public var envelope_sender: String
    public var recipient_count: Int
    /// Addresses, or stable hashes of them (`h:…`) when `AuditHashRecipients` is on.
    public var recipients: [String]
    public var from: String?
    public var from_domain: String?
    public var subject: String
    public var verdict: String
    public var score: Int
    public var reasons: [String]
    public var brand: String?
    public var lang: String
    public var action: String
    /// `placed`, the reason it was not (`signed`, `encrypted`, `already-present`, `no-text-part`,
    /// `too-large`, `unsupported`), or `none` when the policy asked for no banner.
    public var banner: String
    public var limits_reached: [String]
    /// Absent while the state file serves; `memory: …` when correlation runs in memory since start, or
    /// `unavailable: …` when this message was judged without it, with the reason.
    public var correlation_state: String?
    public var processing_ms: Double
    public var version: String

    public init(time: Date, queueID: String, messageID: String?, clientAddress: String?, envelopeSender: String,
                recipients: [String], hashRecipients: Bool, from: String?, fromDomain: String?, subject: String,
                verdict: Verdict, action: String, banner: String? = nil, limitsReached: [String], correlationState: String? = nil,
                processingMilliseconds: Double, version: String) {
        self.time = time.formatted(.iso8601)  // a Sendable format style: no formatter object per message
        queue_id = queueID
        message_id = messageID
        client_address = clientAddress
        envelope_sender = envelopeSender
        recipient_count = recipients.count
        self.recipients = hashRecipients ? recipients.map(Self.hash) : recipients
        self.from = from
        from_domain = fromDomain
        // Subjects are cut so one line stays readable; scams pad them.
        self.subject = subject.count > 120 ? String(subject.prefix(119)) + "…" : subject
        self.verdict = verdict.kind.rawValue
        score = verdict.score
        reasons = verdict.reasons.map(\.rawValue)
        brand = verdict.brand
        lang = verdict.language
        self.action = action
        self.banner = banner ?? "none"
        limits_reached = limitsReached
        correlation_state = correlationState
        processing_ms = (processingMilliseconds * 1000).rounded() / 1000
        self.version = version
    }

    /// The stable hash of the lower-cased address: equal addresses give equal hashes across lines and
    /// restarts, so counts still work without storing addresses.
    static func hash(_ address: String) -> String { "h:" + StableHash.address(address) }

    /// The record as one JSON line (keys sorted, no trailing newline).
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
