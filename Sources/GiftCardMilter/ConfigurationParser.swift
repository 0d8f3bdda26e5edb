import Actions
import Correlation
import Detection
import Foundation
import MailView
import Milter

/// Reads the OpenDKIM-style configuration file: one `Key value` per line, `#` starts a comment,
/// keys are case-insensitive, unknown keys and bad values are errors that name the line and key.
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
        var seen: Set<String> = []
        var passwordFileLine = 0
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
            if lower != "brand", !seen.insert(lower).inserted { throw fail("given twice") }
            if let (path, minimum) = limitKeys[lower] {
                config.limits[keyPath: path] = try number(value, at: minimum, fail)
                continue
            }
            switch lower {
            case "socket":
                do { config.socket = try SocketSpec(parsing: value) } catch { throw fail(error.detail) }
            case "socketmode":
                config.socketMode = try octal(value, example: "0660", fail)
            case "socketgroup":
                config.socketGroup = value
            case "umask":
                config.umask = try octal(value, example: "007", fail)
            case "userid":
                config.userID = value
            case "pidfile":
                guard value.hasPrefix("/") else { throw fail("needs an absolute path") }
                config.pidFile = value
            case "syslog":
                config.syslog = try boolean(value, fail)
            case "syslogfacility":
                guard SyslogFacility.code(value) != nil else {
                    throw fail("'\(value)' is not a syslog facility (mail, daemon, local0…local7)")
                }
                config.syslogFacility = value.lowercased()
            case "loglevel":
                let level = value.lowercased()
                guard ["error", "warning", "info", "debug"].contains(level) else {
                    throw fail("'\(value)' is not one of error, warning, info, debug")
                }
                config.logLevel = level
            case "trustedauthservids":
                let ids = value.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { $0.lowercased() }
                guard !ids.isEmpty else { throw fail("needs at least one authserv-id") }
                config.trustedAuthservIDs = ids
            case "organizationdomains":
                let domains = value.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { $0.lowercased() }
                guard !domains.isEmpty, domains.allSatisfy({ $0.contains(".") && !$0.contains("@") }) else {
                    throw fail("needs one or more domain names (example.org, not an address)")
                }
                config.organizationDomains = domains
            case "openplatformdomains":
                let domains = value.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { $0.lowercased() }
                guard !domains.isEmpty, domains.allSatisfy({ $0.contains(".") && !$0.contains("@") }) else {
                    throw fail("needs one or more domain names (mail.example, not an address)")
                }
                config.openPlatformDomains = domains
            case "brand":
                config.extraBrands.append(try brand(value, fail))
            case "statedirectory":
                guard value.hasPrefix("/") else { throw fail("needs an absolute path") }
                config.stateDirectory = value
            case "statedatabase":
                do { config.stateDatabase = try PostgresLocation(parsing: value) } catch { throw fail(error.description) }
            case "statedatabasepasswordfile":
                guard value.hasPrefix("/") else { throw fail("needs an absolute path") }
                config.stateDatabasePasswordFile = value
                passwordFileLine = lineNumber
            case "statetimeout":
                config.stateTimeout = try duration(value, fail)
            case "bulkrecipients":
                config.bulkRecipients = try number(value, at: 2, fail)
            case "bulkwindow":
                config.bulkWindow = TimeInterval(try number(value, at: 60, fail))
            case "auditlog":
                guard value == "-" || value.hasPrefix("/") else { throw fail("needs an absolute path, or - for standard output") }
                config.auditLog = value
            case "audithashrecipients":
                config.auditHashRecipients = try boolean(value, fail)
            case "onsuspicious", "onerroneous", "ongenuine", "onnone":
                guard let policy = VerdictPolicy(rawValue: value.lowercased()) else {
                    throw fail("'\(value)' is not one of \(VerdictPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let kind: VerdictKind = lower == "onsuspicious" ? .suspicious : lower == "onerroneous" ? .erroneous : lower == "ongenuine" ? .genuine : .none
                if policy == .banner, kind == .genuine || kind == .none {
                    throw fail("a banner explains erroneous and suspicious mail only; use header")
                }
                config.policies[kind] = policy
            case "bannerdirectory":
                guard value.hasPrefix("/") else { throw fail("needs an absolute path") }
                config.bannerDirectory = value
                do { config.bannerTemplates = try BannerTemplates.loading(directory: value) } catch { throw fail(error.description) }
            case "bannerhelpurl":
                guard value.hasPrefix("https://") || value.hasPrefix("http://"), !value.contains(where: \.isWhitespace) else {
                    throw fail("'\(value)' is not an http(s) URL")
                }
                config.bannerHelpURL = value
            case "maximumbannerbytes":
                config.maximumBannerBytes = try number(value, at: 1024, fail)
            case "internalnetworks":
                do { config.internalNetworks = try NetworkList(parsing: value) } catch { throw fail(error.message) }
            case "exemptauthenticated":
                config.exemptAuthenticated = try boolean(value, fail)
            case "timeout":
                guard let seconds = Int32(value), seconds > 0 else { throw fail("'\(value)' must be a positive number of seconds") }
                config.timeout = seconds
            case "stoptimeout":
                guard let seconds = Int(value), seconds >= 0, seconds <= 3600 else { throw fail("'\(value)' must be 0 to 3600 seconds") }
                config.stopTimeout = seconds
            case "maximumconnections":
                guard let count = Int(value), count >= 1, count <= 60000 else { throw fail("'\(value)' must be 1 to 60000 connections") }
                config.maximumConnections = count
            case "handshaketimeout":
                guard let seconds = Int(value), seconds >= 1, seconds <= 3600 else { throw fail("'\(value)' must be 1 to 3600 seconds") }
                config.handshakeTimeout = seconds
            case "metricslisten":
                if ["no", "off", "none"].contains(value.lowercased()) {
                    config.metricsListen = nil
                } else {
                    guard let address = Configuration.ListenAddress(parsing: value) else {
                        throw fail("'\(value)' is not PORT, HOST:PORT or [IPv6]:PORT (9464 listens on 127.0.0.1)")
                    }
                    config.metricsListen = address
                }
            case "oninternalerror":
                switch value.lowercased() {
                case "accept": config.onInternalError = .accept
                case "tempfail": config.onInternalError = .tempfail
                case "reject": config.onInternalError = .reject
                default: throw fail("'\(value)' is not one of accept, tempfail, reject")
                }
            default:
                throw fail("unknown key")
            }
        }
        if config.stateDatabasePasswordFile != nil, config.stateDatabase == nil {
            throw ConfigurationError(file: file, line: passwordFileLine, key: "StateDatabasePasswordFile", message: "needs StateDatabase")
        }
        return config
    }

    /// The `Maximum…` inspection limits: the field each sets and its smallest sensible value.
    private static let limitKeys: [String: (any WritableKeyPath<MessageLimits, Int> & Sendable, Int)] = [
        "maximumbodybytes": (\.maxBodyBytes, 1024),
        "maximummimedepth": (\.maxMimeDepth, 2),
        "maximummimeparts": (\.maxMimeParts, 1),
        "maximumheaders": (\.maxHeaders, 10),
        "maximumheaderbytes": (\.maxHeaderBytes, 256),
        "maximumhtmldepth": (\.maxHTMLDepth, 16),
    ]

    private static func octal(_ value: String, example: String, _ fail: (String) -> ConfigurationError) throws(ConfigurationError) -> mode_t {
        guard let bits = mode_t(value, radix: 8), bits <= 0o777 else { throw fail("'\(value)' is not octal permissions like \(example)") }
        return bits
    }

    private static func number(_ value: String, at minimum: Int, _ fail: (String) -> ConfigurationError) throws(ConfigurationError) -> Int {
        guard let number = Int(value), number >= minimum else { throw fail("'\(value)' must be a whole number, at least \(minimum)") }
        return number
    }

    /// `300ms`, `2s`, or a bare number of milliseconds; 10 ms to 60 s.
    private static func duration(_ value: String, _ fail: (String) -> ConfigurationError) throws(ConfigurationError) -> Duration {
        let lower = value.lowercased()
        let (digits, scale) = lower.hasSuffix("ms") ? (lower.dropLast(2), 1) : lower.hasSuffix("s") ? (lower.dropLast(), 1000) : (Substring(lower), 1)
        guard let number = Int(digits.trimmingCharacters(in: .whitespaces)), (10...60_000).contains(number * scale) else {
            throw fail("'\(value)' must be 10ms to 60s (300ms, 2s, or a number of milliseconds)")
        }
        return .milliseconds(number * scale)
    }

    private static func boolean(_ value: String, _ fail: (String) -> ConfigurationError) throws(ConfigurationError) -> Bool {
        switch value.lowercased() {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0": return false
        default: throw fail("'\(value)' is not yes or no")
        }
    }

    /// `Brand id; domains: a.com, b.com; names: Name One, Name Two`, the form of the built-in list.
    private static func brand(_ value: String, _ fail: (String) -> ConfigurationError) throws(ConfigurationError) -> Brand {
        do { return try Brand(line: value) } catch { throw fail(error.description) }
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
