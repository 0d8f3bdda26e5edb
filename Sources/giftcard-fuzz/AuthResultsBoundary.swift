#if canImport(Glibc)
import Glibc
#endif
import MailView

/// The `auth-results` fuzz target: one input is one `Authentication-Results` value as libmilter hands it
/// over (a C string, so cut at the first NUL). The property it must keep: when the parser believes an
/// authserv-id (written plainly, `AuthenticationResult.plainID`), the shipped Postfix rules for that id,
/// compiled as Postfix's regexp tables compile them (POSIX extended, case-insensitive, glibc's regcomp),
/// match the header, so the MTA removes a sender's copy before any milter sees it. Any input that breaks
/// it traps, and libFuzzer keeps it as a crash.
enum AuthResultsBoundary {
    /// The rule lines of `packaging/postfix/header_checks` (`/regex/ ACTION`), read once; the example id
    /// is replaced per input. Run from the repository root (scripts/fuzz does) or name the file in
    /// GIFTCARD_HEADER_CHECKS.
    static let rules: [String] = {
        let path = getenv("GIFTCARD_HEADER_CHECKS").map { String(cString: $0) } ?? "packaging/postfix/header_checks"
        guard let file = fopen(path, "r") else { fatalError("auth-results fuzzing needs \(path)") }
        defer { fclose(file) }
        var lines: [String] = []
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard line.hasPrefix("/"), let end = line.lastIndex(of: "/"), end > line.startIndex else { continue }
            lines.append(String(line[line.index(after: line.startIndex)..<end]))
        }
        guard !lines.isEmpty else { fatalError("no rules in \(path)") }
        return lines
    }()

    static func check(_ input: [UInt8]) {
        let value = Array(input.prefix { $0 != 0 })
        let results = AuthenticationResultsParser.parse(value)
        guard let id = AuthenticationResultsParser.plainAuthservID(value) else {
            // Nothing believed can come of a value whose id is not plain.
            if results.contains(where: \.plainID) { trap("a result marked plain without a plain id", value) }
            return
        }
        if results.contains(where: { $0.plainID && $0.authservID != id }) { trap("a plain result with another id", value) }
        let header = Array("Authentication-Results:".utf8) + value
        let escaped = id.unicodeScalars.map { "\\^$.|?*+()[]{}".unicodeScalars.contains($0) ? "\\\($0)" : "\($0)" }.joined()
        let removed = rules.contains { rule in matches(rule.replacingOccurrences(of: #"mx\.example\.org"#, with: escaped), header) }
        if !removed { trap("believed but not removed by the shipped rules", value) }
    }

    private static func matches(_ pattern: String, _ text: [UInt8]) -> Bool {
        var regex = regex_t()
        guard regcomp(&regex, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB) == 0 else { trap("rule does not compile: \(pattern)", []) }
        defer { regfree(&regex) }
        let cString = text.map { CChar(bitPattern: $0) } + [0]
        return regexec(&regex, cString, 0, nil, 0) == 0
    }

    private static func trap(_ what: String, _ value: [UInt8]) -> Never {
        fatalError("auth-results boundary: \(what): \(value.map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined())")
    }
}

extension String {
    /// Foundation-free replacement, so the fuzz target links nothing more for it.
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
