import Detection

/// The header contract: the three headers every scanned message leaves with.
///
/// Values are ASCII only, so Sieve's `header :is` works without charset handling. Mail clients,
/// Sieve scripts and log tooling depend on these names and forms; see docs/contracts.md before changing them.
public enum VerdictHeaders {
    public static let verdict = "X-GiftCard-Verdict"
    public static let score = "X-GiftCard-Score"
    public static let report = "X-GiftCard-Report"

    /// Names whose incoming copies are removed before ours are added: a forged `genuine` must never reach
    /// the mailbox.
    public static let names = [verdict, score, report]

    private static let byLowercasedName = Dictionary(uniqueKeysWithValues: names.map { ($0.lowercased(), $0) })

    /// Our spelling of a header this milter owns, given in any letter case; nil for other headers.
    /// Called for every header of every message: one lower-casing and one look-up.
    public static func ownName(_ name: String) -> String? {
        byLowercasedName[name.lowercased()]
    }

    /// True for a header this milter owns, in any letter case.
    public static func isOwn(_ name: String) -> Bool { ownName(name) != nil }

    /// The headers for a verdict, in the order they should read top to bottom.
    public static func headers(for verdict: Verdict) -> [(name: String, value: String)] {
        [
            (Self.verdict, verdict.kind.rawValue),
            (Self.score, String(verdict.score)),
            (Self.report, reportValue(for: verdict)),
        ]
    }

    /// `v=1; brand=amazon; lang=ar; reasons=lookalike-domain,callback-phone`, folded before 78 columns
    /// with `\n\t` (the MTA adds the CR).
    public static func reportValue(for verdict: Verdict) -> String {
        let fields = [
            "v=1",
            "brand=\(token(verdict.brand ?? "none"))",
            "lang=\(token(verdict.language))",
            "reasons=\(verdict.reasons.isEmpty ? "none" : verdict.reasons.map { token($0.rawValue) }.joined(separator: ","))",
        ]
        var lines: [String] = []
        var line = ""
        for field in fields {
            let piece = line.isEmpty ? field : "; " + field
            if !line.isEmpty, report.count + 2 + line.count + piece.count > 78 {
                lines.append(line + ";")
                line = field
            } else {
                line += piece
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n\t")
    }

    /// Keeps only characters that are safe in a header token: lower-case ASCII letters, digits, `-._`.
    static func token(_ text: String) -> String {
        var kept: [UInt8] = []
        kept.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A: kept.append(byte | 0x20)
            case 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F: kept.append(byte)
            default: continue  // other ASCII and every byte of a non-ASCII character
            }
        }
        return kept.isEmpty ? "none" : String(decoding: kept, as: UTF8.self)
    }
}
