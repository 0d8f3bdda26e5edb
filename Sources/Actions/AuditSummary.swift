import Foundation

/// What `giftcard-milter audit` reports: counts by verdict, brand, sender domain and day, and the
/// erroneous mailings grouped (by brand and subject) with how many recipients they reached and when.
public struct AuditSummary: Codable, Sendable, Equatable {
    public struct Mailing: Codable, Sendable, Equatable {
        public var brand: String
        public var subject: String
        public var messages: Int
        public var recipients: Int
        public var first: String
        public var last: String
    }

    public var messages = 0
    public var unreadableLines = 0
    public var byVerdict: [String: Int] = [:]
    public var byBrand: [String: Int] = [:]
    public var bySenderDomain: [String: Int] = [:]
    public var byDay: [String: Int] = [:]
    public var erroneousMailings: [Mailing] = []

    /// The field names of `audit --json`.
    enum CodingKeys: String, CodingKey {
        case messages, unreadableLines = "unreadable_lines", byVerdict = "by_verdict", byBrand = "by_brand"
        case bySenderDomain = "by_sender_domain", byDay = "by_day", erroneousMailings = "erroneous_mailings"
    }

    public init() {}

    /// Reads JSON lines; records before `since` are skipped (times compare as ISO 8601 text).
    public init(lines: [Substring], since: Date?) {
        let threshold = since.map { $0.formatted(.iso8601) }
        let decoder = JSONDecoder()
        var mailings: [String: Mailing] = [:]
        for line in lines where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let record = try? decoder.decode(AuditRecord.self, from: Data(line.utf8)) else {
                unreadableLines += 1
                continue
            }
            if let threshold, record.time < threshold { continue }
            messages += 1
            byVerdict[record.verdict.kind.rawValue, default: 0] += 1
            byBrand[record.verdict.brand ?? "none", default: 0] += 1
            bySenderDomain[record.fromDomain ?? "none", default: 0] += 1
            byDay[String(record.time.prefix(10)), default: 0] += 1
            guard record.verdict.kind == .erroneous else { continue }
            let brand = record.verdict.brand ?? record.fromDomain ?? "none"
            let key = brand + "\u{1}" + record.subject
            var mailing = mailings[key] ?? Mailing(brand: brand, subject: record.subject, messages: 0, recipients: 0,
                                                   first: record.time, last: record.time)
            mailing.messages += 1
            mailing.recipients += record.recipientCount
            mailing.first = min(mailing.first, record.time)
            mailing.last = max(mailing.last, record.time)
            mailings[key] = mailing
        }
        erroneousMailings = mailings.values.sorted { ($0.recipients, $1.first) > ($1.recipients, $0.first) }
    }

    /// The report a postmaster reads in a terminal.
    public func text() -> String {
        func table(_ title: String, _ counts: [String: Int], byKey: Bool = false) -> String {
            let rows = counts.sorted { byKey ? $0.key < $1.key : ($0.value, $1.key) > ($1.value, $0.key) }
            return "\(title)\n" + rows.map { "  \(String($0.value).padding(toLength: 8, withPad: " ", startingAt: 0)) \($0.key)" }
                .joined(separator: "\n")
        }
        var parts = ["messages: \(messages)" + (unreadableLines > 0 ? " (\(unreadableLines) unreadable lines skipped)" : "")]
        parts.append(table("by verdict:", byVerdict))
        parts.append(table("by brand:", byBrand))
        parts.append(table("by sender domain:", bySenderDomain))
        parts.append(table("by day:", byDay, byKey: true))
        if erroneousMailings.isEmpty {
            parts.append("erroneous mailings: none")
        } else {
            parts.append("erroneous mailings:\n" + erroneousMailings.map {
                "  \($0.brand): \"\($0.subject)\" — \($0.messages) messages to \($0.recipients) recipients, \($0.first) to \($0.last)"
            }.joined(separator: "\n"))
        }
        return parts.joined(separator: "\n")
    }
}
