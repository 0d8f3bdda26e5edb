/// What a calendar invitation shows its reader: the SUMMARY, LOCATION and DESCRIPTION of each event
/// (RFC 5545), lines unfolded and text unescaped. Lures arrive as invitations to get past filters and onto
/// calendars, with the callback number in the description.
///
/// Hand-written rather than through libical: three properties of a text format are read, and nothing
/// of an invitation is acted on.
enum CalendarText {
    static let shown: Set<String> = ["SUMMARY", "LOCATION", "DESCRIPTION", "COMMENT"]

    static func extract(_ ics: String) -> String {
        var lines: [String] = []
        // Unfold: a line starting with a space or tab continues the one before.
        for raw in ics.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += line.dropFirst()
            } else {
                lines.append(String(line))
            }
        }
        var shownText: [String] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            // The name ends at the first ';' (parameters) or the ':'.
            let head = line[..<colon]
            let name = head.prefix { $0 != ";" }.uppercased()
            guard shown.contains(name) else { continue }
            shownText.append(unescaped(line[line.index(after: colon)...]))
            if shownText.count >= 64 { break }
        }
        return shownText.joined(separator: "\n")
    }

    /// RFC 5545 §3.3.11 text escapes: `\n`, `\,`, `\;`, `\\`.
    static func unescaped(_ text: Substring) -> String {
        var out = ""
        var escaped = false
        for ch in text {
            if escaped {
                switch ch {
                case "n", "N": out.append("\n")
                default: out.append(ch)
                }
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else {
                out.append(ch)
            }
        }
        return out
    }
}
