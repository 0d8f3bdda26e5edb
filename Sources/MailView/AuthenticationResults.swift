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
    /// Works on the UTF-8 bytes: every delimiter in the grammar is ASCII, and this runs for every
    /// Authentication-Results of every message (the Character-by-Character version cost more than
    /// parsing the MIME structure).
    public static func parse(_ value: String) -> [AuthenticationResult] {
        let text = stripComments(Array(value.utf8))
        var parts = text.split(separator: 0x3B, omittingEmptySubsequences: false).map { trimmed($0) }
        guard !parts.isEmpty else { return [] }
        // The authserv-id may be followed by a version number.
        let authservID = parts.removeFirst().split(whereSeparator: isBlank).first.map { lowered($0) } ?? ""
        guard !authservID.isEmpty else { return [] }
        var results: [AuthenticationResult] = []
        for part in parts where !part.isEmpty {
            let tokens = part.split(whereSeparator: isBlank)
            guard let first = tokens.first, let eq = first.firstIndex(of: 0x3D) else { continue }
            let method = lowered(first[..<eq])
            let result = lowered(first[(eq + 1)...])
            if method == "none" { continue }
            var properties: [String: String] = [:]
            for token in tokens.dropFirst() {
                guard let eq = token.firstIndex(of: 0x3D) else { continue }
                var value = token[(eq + 1)...]
                if value.count >= 2, value.first == 0x22, value.last == 0x22 { value = value.dropFirst().dropLast() }
                properties[lowered(token[..<eq])] = String(decoding: value, as: UTF8.self)
            }
            results.append(AuthenticationResult(authservID: authservID, method: method, result: result, properties: properties))
        }
        return results
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isBlank(first) { slice = slice.dropFirst() }
        while let last = slice.last, isBlank(last) { slice = slice.dropLast() }
        return slice
    }

    /// ASCII letters lower-cased (the grammar's names are ASCII; other bytes are kept as they are).
    private static func lowered(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// Removes RFC 5322 comments (nested parentheses), leaving quoted strings alone.
    static func stripComments(_ text: String) -> String {
        String(decoding: stripComments(Array(text.utf8)), as: UTF8.self)
    }

    static func stripComments(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var depth = 0
        var quoted = false
        var escaped = false
        for ch in text {
            if escaped { escaped = false; if depth == 0 { out.append(ch) }; continue }
            if ch == 0x5C { escaped = true; if depth == 0 { out.append(ch) }; continue }
            if ch == 0x22, depth == 0 { quoted.toggle(); out.append(ch); continue }
            if !quoted {
                if ch == 0x28 { depth += 1; continue }
                if ch == 0x29, depth > 0 { depth -= 1; continue }
            }
            if depth == 0 { out.append(ch) }
        }
        return out
    }
}
