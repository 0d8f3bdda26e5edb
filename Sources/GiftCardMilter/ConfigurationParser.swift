import Actions
import Correlation
import Detection
import Foundation
import MailView
import Milter

/// Reads the OpenDKIM-style configuration file: one `Key value` per line, `#` starts a comment,
/// keys are case-insensitive, unknown keys and bad values are errors that name the line and key. What
/// each key accepts is declared with the key (`Configuration.keys`).
public enum ConfigurationParser {
    public static func load(path: String) throws(ConfigurationError) -> Configuration {
        let data: [UInt8]
        switch readFile(path) {
        case .success(let bytes): data = bytes
        case .failure(let failure):
            throw ConfigurationError(file: path, line: 0, key: "", message: "cannot read the file (\(String(cString: strerror(failure.code))))")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw ConfigurationError(file: path, line: 0, key: "", message: "the file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    struct ReadError: Error { let code: Int32 }

    /// The file's bytes, or the errno of the call that failed (taken at once, so the message names the real
    /// cause). Read with open/read rather than Foundation, which returns nothing for a character device
    /// such as /dev/null and leaves errno as some earlier call set it.
    static func readFile(_ path: String) -> Result<[UInt8], ReadError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ReadError(code: errno)) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(ReadError(code: errno))
            }
            if count == 0 { return .success(bytes) }
            bytes += buffer[0..<count]
        }
    }

    /// The line up to a comment: `#` at the start of the line or after a space or tab, so a `#` inside
    /// a value (`BannerHelpURL https://help.example/#gift-cards`) is kept.
    static func withoutComment(_ line: Substring) -> String {
        var previous: Character = " "
        for index in line.indices {
            if line[index] == "#", previous == " " || previous == "\t" { return String(line[..<index]) }
            previous = line[index]
        }
        return String(line)
    }

    public static func parse(_ text: String, file: String = "<config>") throws(ConfigurationError) -> Configuration {
        var config = Configuration()
        /// The line each key was given on (the first, for a repeatable one).
        var lines: [String: Int] = [:]
        // Any line end: in Swift "\r\n" is one Character, so splitting on "\n" alone would read a file
        // with CRLF line ends as a single line (and its later keys as the first key's value).
        // A byte-order mark (editors on Windows write one) is no part of the first key.
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNumber = offset + 1
            let line = withoutComment(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let key = String(trimmed.prefix { !$0.isWhitespace })
            let value = trimmed.dropFirst(key.count).trimmingCharacters(in: .whitespaces)
            func fail(_ message: String) -> ConfigurationError {
                ConfigurationError(file: file, line: lineNumber, key: key, message: message)
            }
            let lower = key.lowercased()
            if value.isEmpty { throw fail("needs a value") }
            guard let entry = Configuration.keysByName[lower] else { throw fail("unknown key") }
            if lines[lower] == nil { lines[lower] = lineNumber } else if !entry.repeatable { throw fail("given twice") }
            do { try entry.read(value, &config) } catch { throw fail(error.message) }
        }
        // The one key that needs another.
        if let line = lines["statedatabasepasswordfile"], lines["statedatabase"] == nil {
            throw ConfigurationError(file: file, line: line, key: "StateDatabasePasswordFile", message: "needs StateDatabase")
        }
        return config
    }
}

/// Syslog facility names as configured, to their `openlog` codes.
public enum SyslogFacility {
    public static let mail = LOG_MAIL

    public static func code(_ name: String) -> Int32? {
        switch name.lowercased() {
        case "mail": return LOG_MAIL
        case "daemon": return LOG_DAEMON
        case "user": return LOG_USER
        case "local0": return LOG_LOCAL0
        case "local1": return LOG_LOCAL1
        case "local2": return LOG_LOCAL2
        case "local3": return LOG_LOCAL3
        case "local4": return LOG_LOCAL4
        case "local5": return LOG_LOCAL5
        case "local6": return LOG_LOCAL6
        case "local7": return LOG_LOCAL7
        default: return nil
        }
    }
}
