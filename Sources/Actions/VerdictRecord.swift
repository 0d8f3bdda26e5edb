import Detection

/// A verdict as records carry it: the audit log's line and `check --json` share these fields and their
/// documented names (`verdict`, `score`, `reasons`, `brand`, `lang`); a record embeds them flat.
public struct VerdictRecord: Codable, Sendable, Equatable {
    public var kind: VerdictKind
    public var score: Int
    public var reasons: [Reason]
    /// Absent from the JSON when the message claims no brand.
    public var brand: String?
    public var language: String

    enum CodingKeys: String, CodingKey {
        case kind = "verdict", score, reasons, brand, language = "lang"
    }

    public init(_ verdict: Verdict) {
        kind = verdict.kind
        score = verdict.score
        reasons = verdict.reasons
        brand = verdict.brand
        language = verdict.language
    }
}
