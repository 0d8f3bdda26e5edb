import Actions
import Correlation
import Detection
import Foundation
import MailView
import Milter

/// One configuration key, declared once: its name, whether a reload applies it, its documentation, how a
/// value is read into a `Configuration` and how the value in effect is shown. The parser, `configtest`,
/// reload, the reference table in docs/configuration.md and `giftcard-milter.conf(5)` are all derived from
/// `Configuration.keys` (as swift-argument-parser declares an option once, and OpenDKIM keeps one table).
public struct ConfigurationKey: Sendable {
    /// What a SIGHUP does with a changed value.
    public enum Reload: Sendable, Equatable {
        /// New connections use it.
        case applied
        /// The running daemon keeps its value (socket, user, logging, state store…); the log names it.
        case restart
    }

    /// A value the key refuses, with the reason (the parser adds file, line and key).
    public struct Invalid: Error {
        public let message: String
        init(_ message: String) { self.message = message }
    }

    public let name: String
    public let reload: Reload
    /// The reference's description of the key (Markdown).
    public let meaning: String
    /// The default as the reference words it, where the shown default would mislead (`this host's
    /// name`); otherwise the default is what `show` gives for `Configuration()`.
    let defaultWording: String?
    /// Given on several lines (`Brand`); any other key given twice is an error.
    public let repeatable: Bool
    let read: @Sendable (String, inout Configuration) throws(Invalid) -> Void
    /// The value in effect, as `configtest` prints it (one entry per line for a repeatable key).
    let show: @Sendable (Configuration) -> [String]

    init(_ name: String, _ reload: Reload, default defaultWording: String? = nil, repeatable: Bool = false, _ meaning: String,
         read: @escaping @Sendable (String, inout Configuration) throws(Invalid) -> Void,
         show: @escaping @Sendable (Configuration) -> [String]) {
        self.name = name
        self.reload = reload
        self.meaning = meaning
        self.defaultWording = defaultWording
        self.repeatable = repeatable
        self.read = read
        self.show = show
    }

    /// The lines `configtest` prints for this key: `Name value`.
    public func lines(_ configuration: Configuration) -> [String] {
        show(configuration).map { "\(name) \($0)" }
    }

    /// The default as the reference shows it: a value in code type, a wording such as `none` as it is.
    public var documentedDefault: String {
        if let defaultWording { return defaultWording }
        let shown = show(Configuration()).joined(separator: ", ")
        if shown.hasPrefix("("), shown.hasSuffix(")") { return String(shown.dropFirst().dropLast()) }
        return "`\(shown)`"
    }

    /// The reference table of docs/configuration.md, from which `scripts/make-manpages` writes giftcard-milter.conf(5).
    public static func referenceTable(_ keys: [ConfigurationKey] = Configuration.keys) -> String {
        var rows = ["| key | default | reload | meaning |", "|-----|---------|--------|---------|"]
        for key in keys {
            let meaning = key.meaning.replacingOccurrences(of: "|", with: "\\|")
            rows.append("| `\(key.name)` | \(key.documentedDefault) | \(key.reload == .applied ? "applied" : "restart") | \(meaning) |")
        }
        return rows.joined(separator: "\n")
    }
}

/// Value readers shared by the keys; each refuses with a message naming what it expected.
enum ConfigurationValue {
    typealias Invalid = ConfigurationKey.Invalid

    static func octal(_ value: String, example: String) throws(Invalid) -> mode_t {
        guard let bits = mode_t(value, radix: 8), bits <= 0o777 else { throw Invalid("'\(value)' is not octal permissions like \(example)") }
        return bits
    }

    static func number(_ value: String, at minimum: Int) throws(Invalid) -> Int {
        guard let number = Int(value), number >= minimum else { throw Invalid("'\(value)' must be a whole number, at least \(minimum)") }
        return number
    }

    static func number(_ value: String, in range: ClosedRange<Int>, unit: String) throws(Invalid) -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw Invalid("'\(value)' must be \(range.lowerBound) to \(range.upperBound) \(unit)")
        }
        return number
    }

    /// `300ms`, `2s`, or a bare number of milliseconds; 10 ms to 60 s.
    static func duration(_ value: String) throws(Invalid) -> Duration {
        let lower = value.lowercased()
        let (digits, scale) = lower.hasSuffix("ms") ? (lower.dropLast(2), 1) : lower.hasSuffix("s") ? (lower.dropLast(), 1000) : (Substring(lower), 1)
        guard let number = Int(digits.trimmingCharacters(in: .whitespaces)), (10...60_000).contains(number * scale) else {
            throw Invalid("'\(value)' must be 10ms to 60s (300ms, 2s, or a number of milliseconds)")
        }
        return .milliseconds(number * scale)
    }

    static func boolean(_ value: String) throws(Invalid) -> Bool {
        switch value.lowercased() {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0": return false
        default: throw Invalid("'\(value)' is not yes or no")
        }
    }

    static func absolutePath(_ value: String) throws(Invalid) -> String {
        guard value.hasPrefix("/") else { throw Invalid("needs an absolute path") }
        return value
    }

    /// Comma- or space-separated, lower-cased.
    static func list(_ value: String) -> [String] {
        value.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { $0.lowercased() }
    }

    static func domains(_ value: String, example: String) throws(Invalid) -> [String] {
        let domains = list(value)
        guard !domains.isEmpty, domains.allSatisfy({ $0.contains(".") && !$0.contains("@") }) else {
            throw Invalid("needs one or more domain names (\(example), not an address)")
        }
        return domains
    }

    static func oneOf<T>(_ value: String, _ choices: [(String, T)]) throws(Invalid) -> T {
        guard let found = choices.first(where: { $0.0 == value.lowercased() }) else {
            throw Invalid("'\(value)' is not one of \(choices.map(\.0).joined(separator: ", "))")
        }
        return found.1
    }

    static func yesNo(_ flag: Bool) -> [String] { [flag ? "yes" : "no"] }
    static func optional(_ value: String?, _ absent: String) -> [String] { [value ?? absent] }
    static func joined(_ values: [String], _ absent: String) -> [String] { [values.isEmpty ? absent : values.joined(separator: ", ")] }
}
