import CMilter
import Foundation
import Logging

/// A swift-log handler that writes one plain line per event to standard error or to syslog.
///
/// Lines carry no timestamp of their own: journald and syslog add one, and Postfix-style
/// `QUEUEID: key=value` lines stay easy to grep.
public struct LineLogHandler: LogHandler {
    public enum Destination: Sendable {
        case standardError
        case syslog
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let destination: Destination

    public init(destination: Destination, level: Logger.Level) {
        self.destination = destination
        self.logLevel = level
    }

    /// Opens the syslog connection once for the process.
    public static func openSyslog(identifier: String, facility: Int32) {
        // openlog keeps the pointer: the string must live as long as the process.
        let ident = strdup(identifier)
        openlog(ident, LOG_PID | LOG_NDELAY, facility)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let text = event.message.description
        switch destination {
        case .standardError:
            let prefix = event.level >= .warning ? "\(event.level): " : ""
            FileHandle.standardError.write(Data((prefix + text + "\n").utf8))
        case .syslog:
            gcm_syslog(Self.priority(event.level), text)
        }
    }

    static func priority(_ level: Logger.Level) -> Int32 {
        switch level {
        case .trace, .debug: return LOG_DEBUG
        case .info: return LOG_INFO
        case .notice: return LOG_NOTICE
        case .warning: return LOG_WARNING
        case .error: return LOG_ERR
        case .critical: return LOG_CRIT
        }
    }
}
