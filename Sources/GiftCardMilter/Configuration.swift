import Actions
import Correlation
import Detection
import MailView
import Foundation
import Milter

/// Everything the daemon and `check` can be told. Every key has a safe default, so the milter runs
/// with no file at all. The keys themselves (name, reader, printer, reload, documentation) are
/// declared once in `Configuration.keys`.
public struct Configuration: Sendable {
    public static let defaultPath = "/etc/giftcard-milter/giftcard-milter.conf"

    /// `Socket`: where to listen, in libmilter's form.
    public var socket: SocketSpec = .inet(port: 8894, host: "127.0.0.1")
    /// `SocketMode`: permissions of a unix socket (octal).
    public var socketMode: mode_t = 0o660
    /// `SocketGroup`: group that owns a unix socket, so the MTA's user can reach it.
    public var socketGroup: String?
    /// `UMask`: file-creation mask of the daemon (octal).
    public var umask: mode_t = 0o007
    /// `UserID`: `user` or `user:group` to run as after opening the socket.
    public var userID: String?
    /// `PidFile`: file to write the daemon's process id to.
    public var pidFile: String?
    /// `Syslog`: log to syslog instead of standard error.
    public var syslog = false
    /// `SyslogFacility`: facility for syslog lines.
    public var syslogFacility = "mail"
    /// `LogLevel`: `error`, `warning`, `info` (one line per message) or `debug`.
    public var logLevel = "info"
    /// `TrustedAuthservIDs`: authserv-ids whose Authentication-Results are believed.
    public var trustedAuthservIDs: [String] = [Configuration.hostname()]
    /// `OrganizationDomains`: the organisation's own mail domains. Only their authenticated mail (or mail
    /// their users submit with SMTP AUTH) can be a security notice that quotes scam wording unjudged.
    public var organizationDomains: [String] = []
    /// Sender domains whose users pick their own addresses, added to the built-in list (free mail, form
    /// platforms, free hosts): a pass for one proves nothing about the writer.
    public var openPlatformDomains: [String] = []

    /// The open platforms in effect: the built-in list with `OpenPlatformDomains` added.
    public var platforms: OpenPlatforms {
        var platforms = OpenPlatforms.builtin
        platforms.addSenders(openPlatformDomains)
        return platforms
    }
    /// `Brand` lines: brands added to or replacing the built-in registry.
    public var extraBrands: [Brand] = []
    /// `MaximumBodyBytes`, `MaximumMimeDepth`, `MaximumMimeParts`, `MaximumHeaders`, `MaximumHeaderBytes`:
    /// how much of a message is kept and inspected.
    public var limits = MessageLimits()
    /// `StateDirectory`: where the correlation state (`state.sqlite`) lives.
    public var stateDirectory = "/var/lib/giftcard-milter"
    /// `StateDatabase`: a PostgreSQL database shared by several mail servers, instead of `state.sqlite`.
    public var stateDatabase: PostgresLocation?
    /// `StateDatabasePasswordFile`: the file holding the database password (not readable by others).
    public var stateDatabasePasswordFile: String?
    /// `StateTimeout`: how long a message may wait for the shared database before it is judged with
    /// this host's memory instead.
    public var stateTimeout: Duration = .milliseconds(300)
    /// `BulkRecipients`, `BulkWindow`: how many distinct recipients of one identical confirmation, within
    /// how many seconds, make it `erroneous` (Detection's rule, with its defaults).
    public var bulk = BulkRule()
    /// `AuditLog`: file for one JSON line per message (`-` for standard output); none by default.
    public var auditLog: String?
    /// `AuditHashRecipients`: write recipients as stable hashes instead of addresses.
    public var auditHashRecipients = false
    /// `OnSuspicious`, `OnErroneous`, `OnGenuine`, `OnNone`: what to do beyond the headers.
    public var policies: [VerdictKind: VerdictPolicy] = [.suspicious: .banner, .erroneous: .banner]
    /// `BannerDirectory`: a directory of `<lang>.banner` files whose keys replace the built-in texts.
    public var bannerDirectory: String?
    /// `BannerHelpURL`: the one link a banner may carry, to the organisation's own help page.
    public var bannerHelpURL: String?
    /// `MaximumBannerBytes`: bodies up to this size are kept whole so that a banner can be placed.
    public var maximumBannerBytes = BannerSettings.defaultMaximumBytes
    /// The banner texts in effect (built-in, with `BannerDirectory` laid over them).
    public var bannerTemplates = BannerTemplates.builtIn
    /// `InternalNetworks`: clients whose mail gets headers only, whatever the policy.
    public var internalNetworks = NetworkList()
    /// `ExemptAuthenticated`: mail from SMTP-authenticated clients gets headers only.
    public var exemptAuthenticated = true
    /// `Timeout`: seconds to wait for the MTA before dropping a connection.
    public var timeout: Int32 = 300
    /// `StopTimeout`: seconds a stop (SIGTERM) waits for open sessions to finish before the daemon exits.
    public var stopTimeout = 20
    /// `MaximumConnections`: connections served at once; more are closed at once, so the MTA answers
    /// them with its `default_action` instead of waiting (one per smtpd process and milter in Postfix).
    public var maximumConnections = 512
    /// `HandshakeTimeout`: seconds a connection may stay silent before starting the milter protocol.
    public var handshakeTimeout = 10
    /// `MetricsListen`: where the Prometheus scrape endpoint listens; none by default.
    public var metricsListen: ListenAddress?
    /// `OnInternalError`: what the MTA is told if the milter itself fails (`accept`, `tempfail`, `reject`).
    public var onInternalError: MilterStatus = .accept

    public init() {}

    /// The brand registry in effect: built-in brands with configured ones added or replacing them.
    public var brands: BrandRegistry {
        var registry = BrandRegistry.builtin
        for brand in extraBrands { registry.add(brand) }
        return registry
    }

    /// The policy for a verdict (`header` unless configured).
    public func policy(for kind: VerdictKind) -> VerdictPolicy { policies[kind] ?? .header }

    /// A TCP address to listen on: `PORT` (loopback), `HOST:PORT` or `[IPv6]:PORT`.
    public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        public init?(parsing text: String) {
            var host = "127.0.0.1", portText = Substring(text)
            if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                host = String(text[text.index(after: text.startIndex)..<close])
                guard text[text.index(after: close)...].hasPrefix(":") else { return nil }
                portText = text[text.index(close, offsetBy: 2)...]
            } else if let colon = text.lastIndex(of: ":") {
                host = String(text[..<colon])
                portText = text[text.index(after: colon)...]
            }
            guard !host.isEmpty, !host.contains(":") || text.hasPrefix("["), let port = Int(portText), (0...65535).contains(port) else {
                return nil
            }
            self.host = host
            self.port = port
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
