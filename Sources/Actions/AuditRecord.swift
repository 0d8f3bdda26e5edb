import Detection
import Foundation

/// One line of the audit log: what happened to one message. Field names are part of the interface
/// (docs/contracts.md, "Audit log"); add fields, never rename them.
public struct AuditRecord: Codable, Sendable, Equatable {
    public var time: String
    public var queueID: String
    public var messageID: String?
    public var clientAddress: String?
    public var envelopeSender: String
    public var recipientCount: Int
    /// Addresses, or stable hashes of them (`h:…`) when `AuditHashRecipients` is on.
    public var recipients: [String]
    public var from: String?
    public var fromDomain: String?
    public var subject: String
    /// `verdict`, `score`, `reasons`, `brand`, `lang`, flat in the line.
    public var verdict: VerdictRecord
    public var action: String
    /// `placed`, the reason it was not (`signed`, `encrypted`, `already-present`, `no-text-part`,
    /// `too-large`, `unsupported`), or `none` when the policy asked for no banner.
    public var banner: String
    public var limitsReached: [String]
    /// Absent while the state file serves; `memory: …` when correlation runs in memory since start, or
    /// `unavailable: …` when this message was judged without it, with the reason.
    public var correlationState: CorrelationState?
    public var processingMilliseconds: Double
    public var version: String

    /// The documented field names (docs/contracts.md, "Audit log").
    enum CodingKeys: String, CodingKey {
        case time, queueID = "queue_id", messageID = "message_id", clientAddress = "client_address"
        case envelopeSender = "envelope_sender", recipientCount = "recipient_count", recipients, from
        case fromDomain = "from_domain", subject, action, banner, limitsReached = "limits_reached"
        case correlationState = "correlation_state", processingMilliseconds = "processing_ms", version
    }

    public init(time: Date, queueID: String, messageID: String?, clientAddress: String?, envelopeSender: String,
                recipients: [String], hashRecipients: Bool, from: String?, fromDomain: String?, subject: String,
                verdict: Verdict, action: String, banner: String? = nil, limitsReached: [String], correlationState: CorrelationState? = nil,
                processingMilliseconds: Double, version: String) {
        self.time = time.formatted(.iso8601)  // a Sendable format style: no formatter object per message
        self.queueID = queueID
        self.messageID = messageID
        self.clientAddress = clientAddress
        self.envelopeSender = envelopeSender
        recipientCount = recipients.count
        self.recipients = hashRecipients ? recipients.map(Self.hash) : recipients
        self.from = from
        self.fromDomain = fromDomain
        // Subjects are cut so one line stays readable; scams pad them.
        self.subject = subject.count > 120 ? String(subject.prefix(119)) + "…" : subject
        self.verdict = VerdictRecord(verdict)
        self.action = action
        self.banner = banner ?? "none"
        self.limitsReached = limitsReached
        self.correlationState = correlationState
        self.processingMilliseconds = (processingMilliseconds * 1000).rounded() / 1000
        self.version = version
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        time = try c.decode(String.self, forKey: .time)
        queueID = try c.decode(String.self, forKey: .queueID)
        messageID = try c.decodeIfPresent(String.self, forKey: .messageID)
        clientAddress = try c.decodeIfPresent(String.self, forKey: .clientAddress)
        envelopeSender = try c.decode(String.self, forKey: .envelopeSender)
        recipientCount = try c.decode(Int.self, forKey: .recipientCount)
        recipients = try c.decode([String].self, forKey: .recipients)
        from = try c.decodeIfPresent(String.self, forKey: .from)
        fromDomain = try c.decodeIfPresent(String.self, forKey: .fromDomain)
        subject = try c.decode(String.self, forKey: .subject)
        verdict = try VerdictRecord(from: decoder)
        action = try c.decode(String.self, forKey: .action)
        banner = try c.decode(String.self, forKey: .banner)
        limitsReached = try c.decode([String].self, forKey: .limitsReached)
        correlationState = try c.decodeIfPresent(CorrelationState.self, forKey: .correlationState)
        processingMilliseconds = try c.decode(Double.self, forKey: .processingMilliseconds)
        version = try c.decode(String.self, forKey: .version)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(time, forKey: .time)
        try c.encode(queueID, forKey: .queueID)
        try c.encodeIfPresent(messageID, forKey: .messageID)
        try c.encodeIfPresent(clientAddress, forKey: .clientAddress)
        try c.encode(envelopeSender, forKey: .envelopeSender)
        try c.encode(recipientCount, forKey: .recipientCount)
        try c.encode(recipients, forKey: .recipients)
        try c.encodeIfPresent(from, forKey: .from)
        try c.encodeIfPresent(fromDomain, forKey: .fromDomain)
        try c.encode(subject, forKey: .subject)
        try verdict.encode(to: encoder)
        try c.encode(action, forKey: .action)
        try c.encode(banner, forKey: .banner)
        try c.encode(limitsReached, forKey: .limitsReached)
        try c.encodeIfPresent(correlationState, forKey: .correlationState)
        try c.encode(processingMilliseconds, forKey: .processingMilliseconds)
        try c.encode(version, forKey: .version)
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
