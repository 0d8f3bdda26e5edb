/// One method result from an `Authentication-Results` header (RFC 8601), e.g. `dkim=pass header.d=x.com`.
public struct AuthenticationResult: Sendable, Equatable {
    /// The authserv-id that wrote the header: only configured ones are to be believed.
    public var authservID: String
    public var method: String
    public var result: String
    /// Properties such as `header.d`, `header.from`, `smtp.mailfrom`, lower-cased keys.
    public var properties: [String: String]
    /// Written above every header that arrived with the message (its `Received` trail and its own
    /// fields), where this host's filters insert theirs. One further down came with the message: a sender
    /// can write any Authentication-Results, including one with this host's authserv-id (RFC 8601 §5).
    public var addedHere: Bool

    public init(authservID: String, method: String, result: String, properties: [String: String], addedHere: Bool = true) {
        self.authservID = authservID
        self.method = method
        self.result = result
        self.properties = properties
        self.addedHere = addedHere
    }
}

/// Parses `Authentication-Results` values.
///
/// Hand-written: no Debian-packaged C library parses RFC 8601 on its own (OpenDMARC's parser is internal),
/// and the grammar is small. Comments are removed, `;` separates results, `method=result` opens one.
public enum AuthenticationResultsParser {
    public static func parse(_ value: String) -> [AuthenticationResult] {
        let text = stripComments(value)
        var parts = text.split(separator: ";", omittingEmptySubsequences: false).map {
            String($0.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
        }
        guard !parts.isEmpty else { return [] }
        // The authserv-id may be followed by a version number.
        let authservID = parts.removeFirst().split(whereSeparator: \.isWhitespace).first.map(String.init)?.lowercased() ?? ""
        guard !authservID.isEmpty else { return [] }
        var results: [AuthenticationResult] = []
        for part in parts where !part.isEmpty {
            let tokens = part.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = tokens.first, let eq = first.firstIndex(of: "=") else { continue }
            let method = first[..<eq].lowercased()
            let result = first[first.index(after: eq)...].lowercased()
            if method == "none" { continue }
            var properties: [String: String] = [:]
            for token in tokens.dropFirst() {
                guard let eq = token.firstIndex(of: "=") else { continue }
                let key = token[..<eq].lowercased()
                var value = String(token[token.index(after: eq)...])
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                properties[key] = value
            }
            results.append(AuthenticationResult(authservID: authservID, method: method, result: result, properties: properties))
        }
        return results
    }

    /// Removes RFC 5322 comments (nested parentheses), leaving quoted strings alone.
    static func stripComments(_ text: String) -> String {
        var out = ""
        var depth = 0
        var quoted = false
        var escaped = false
        for ch in text {
            if escaped { escaped = false; if depth == 0 { out.append(ch) }; continue }
            if ch == "\\" { escaped = true; if depth == 0 { out.append(ch) }; continue }
            if ch == "\"", depth == 0 { quoted.toggle(); out.append(ch); continue }
            if !quoted {
                if ch == "(" { depth += 1; continue }
                if ch == ")", depth > 0 { depth -= 1; continue }
            }
            if depth == 0 { out.append(ch) }
        }
        return out
    }
}
