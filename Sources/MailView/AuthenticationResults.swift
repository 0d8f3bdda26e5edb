import CGMime
import Foundation

/// One method result from an `Authentication-Results` header (RFC 8601), e.g. `dkim=pass header.d=x.com`.
public struct AuthenticationResult: Sendable, Equatable {
    /// The authserv-id that wrote the header, lower-cased: only configured ones are to be believed. When
    /// the id is not written plainly (see `plainID`) this is the id as a lenient reader would take it
    /// (comments dropped, quotes and RFC 2047 encoded-words undone, NFKC case-folded), so a disguised
    /// copy of a trusted id can be recognised and refused.
    public var authservID: String
    /// The id is written the one way this host's verifiers write it and the shipped Postfix `header_checks`
    /// rule recognises: a bare ASCII token at the very start of the value (after folding whitespace only),
    /// ended by whitespace or `;`. A result is believed only then; any other form of a trusted id (a
    /// comment before or attached, quotes, an encoded-word, a look-alike letter) is one the rule may not
    /// remove, so it can only be a sender's.
    public var plainID: Bool
    public var method: String
    public var result: String
    /// Properties such as `header.d`, `header.from`, `smtp.mailfrom`, lower-cased keys.
    public var properties: [String: String]
    /// Written above every header that arrived with the message (its `Received` trail and its own
    /// fields), where this host's filters insert theirs. One further down came with the message: a sender
    /// can write any Authentication-Results, including one with this host's authserv-id (RFC 8601 §5).
    public var addedHere: Bool

    public init(authservID: String, plainID: Bool = true, method: String, result: String, properties: [String: String],
                addedHere: Bool = true) {
        self.authservID = authservID
        self.plainID = plainID
        self.method = method
        self.result = result
        self.properties = properties
        self.addedHere = addedHere
    }
}

/// Parses `Authentication-Results` values as they arrived (bytes, never decoded from RFC 2047: the
/// grammar has no encoded-word context, and a decoded id is one the MTA's rule never saw).
///
/// Hand-written: no Debian-packaged C library parses RFC 8601 on its own (OpenDMARC's parser is internal),
/// and the grammar is small. Comments are removed, `;` separates results, `method=result` opens one.
public enum AuthenticationResultsParser {
    public static func parse(_ value: String) -> [AuthenticationResult] { parse(Array(value.utf8)) }

    /// Works on the bytes: every delimiter in the grammar is ASCII, and this runs for every
    /// Authentication-Results of every message.
    public static func parse(_ value: [UInt8]) -> [AuthenticationResult] {
        let plain = plainAuthservID(value)
        let text = stripComments(value)
        var parts = text.split(separator: 0x3B, omittingEmptySubsequences: false).map { trimmed($0) }
        guard !parts.isEmpty else { return [] }
        // The authserv-id may be followed by a version number.
        let first = parts.removeFirst()
        // The lenient reading only where the id is not plain: it may decode and normalize.
        guard let authservID = plain ?? first.split(whereSeparator: isBlank).first.map(lenientID).flatMap({ $0.isEmpty ? nil : $0 })
        else { return [] }
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
            results.append(AuthenticationResult(authservID: authservID, plainID: plain != nil, method: method, result: result,
                                                properties: properties))
        }
        return results
    }

    /// The authserv-id when it is written plainly (see `AuthenticationResult.plainID`), lower-cased; nil
    /// otherwise. What `packaging/postfix/header_checks` matches is a superset of this: the rule is
    /// `^Authentication-Results:[[:space:]]*ID([^-._[:alnum:]]|$)` (case-insensitive), and here only
    /// SP, HT, CR and LF may come before the id, and an explicit SP, HT, CR, LF or `;` must end it (not
    /// the end of the value, which may be a cut). `Tests/IntegrationTests/test_trust_boundary.py` and the
    /// `auth-results` fuzz target check that every id believed here is one the rule removes.
    public static func plainAuthservID(_ value: [UInt8]) -> String? {
        var index = 0
        while index < value.count, isBlank(value[index]) { index += 1 }
        let start = index
        while index < value.count, isTokenByte(value[index]) { index += 1 }
        guard index > start, index < value.count, isBlank(value[index]) || value[index] == 0x3B else { return nil }
        return lowered(value[start..<index])
    }

    /// RFC 2045 token characters: visible ASCII except the tspecials `()<>@,;:\"/[]?=`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte < 0x7F else { return false }
        switch byte {
        case 0x28, 0x29, 0x3C, 0x3E, 0x40, 0x2C, 0x3B, 0x3A, 0x5C, 0x22, 0x2F, 0x5B, 0x5D, 0x3F, 0x3D: return false
        default: return true
        }
    }

    /// The id as a lenient reader would take it: quotes and quoted-pairs undone, encoded-words decoded
    /// (through GMime), NFKC case-folded with invisible characters removed. Only for recognising a
    /// disguised trusted id; never a reason to believe one.
    static func lenientID(_ word: ArraySlice<UInt8>) -> String {
        var bytes = Array(word)
        if bytes.first == 0x22 {
            var unquoted: [UInt8] = []
            var escaped = false
            for byte in bytes.dropFirst() {
                if escaped { unquoted.append(byte); escaped = false; continue }
                if byte == 0x5C { escaped = true; continue }
                if byte == 0x22 { break }
                unquoted.append(byte)
            }
            bytes = unquoted
        }
        var text = String(decoding: bytes, as: UTF8.self)
        let encoded = containsEncodedWord(bytes)
        if encoded {
            MessageParser.initializeGMime()
            text = text.withCString { chars in
                guard let decoded = g_mime_utils_header_decode_text(nil, chars) else { return text }
                defer { gcm_free(decoded) }
                return string(decoded)
            }
        }
        return bytes.allSatisfy({ $0 < 0x80 }) && !encoded ? text.lowercased()
            : ICU.nfkcCasefolded(text).trimmingCharacters(in: .whitespacesAndNewlines)
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
