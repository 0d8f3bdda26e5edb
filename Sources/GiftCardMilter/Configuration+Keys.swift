import Actions
import Correlation
import Detection
import Foundation
import MailView
import Milter

extension Configuration {
    /// Every key, in the reference's order. Defaults are the `Configuration` properties' own.
    public static let keys: [ConfigurationKey] = {
        typealias V = ConfigurationValue
        typealias Invalid = ConfigurationKey.Invalid
        var keys: [ConfigurationKey] = [
            .init("Socket", .restart, #"where to listen (`--socket` overrides). The packaged config uses `local:/var/spool/postfix/giftcard-milter/milter.sock` instead, which only Postfix can reach; the loopback port of the embedded default is open to every local user"#,
                  read: { value, c throws(Invalid) in
                      do throws(MilterError) { c.socket = try SocketSpec(parsing: value) } catch { throw Invalid(error.detail) }
                  }, show: { ["\($0.socket)"] }),
            .init("SocketMode", .restart, #"permissions of a unix socket (octal)"#,
                  read: { value, c throws(Invalid) in c.socketMode = try V.octal(value, example: "0660") },
                  show: { ["0" + String($0.socketMode, radix: 8)] }),
            .init("SocketGroup", .restart, #"group owning a unix socket"#,
                  read: { value, c in c.socketGroup = value }, show: { V.optional($0.socketGroup, "(unchanged)") }),
            .init("UMask", .restart, #"the daemon's file-creation mask"#,
                  read: { value, c throws(Invalid) in c.umask = try V.octal(value, example: "007") },
                  show: { [String(String($0.umask, radix: 8)).leftPadded(to: 3)] }),
            .init("UserID", .restart, #"`user` or `user:group` to switch to after opening the socket"#,
                  read: { value, c in c.userID = value }, show: { V.optional($0.userID, "(unchanged)") }),
            .init("PidFile", .restart, #"absolute path for the pid file, removed on a clean stop"#,
                  read: { value, c throws(Invalid) in c.pidFile = try V.absolutePath(value) }, show: { V.optional($0.pidFile, "(none)") }),
            .init("Syslog", .restart, #"`yes` logs to syslog, `no` to standard error"#,
                  read: { value, c throws(Invalid) in c.syslog = try V.boolean(value) }, show: { V.yesNo($0.syslog) }),
            .init("SyslogFacility", .restart, #"`mail`, `daemon`, `user`, `local0`…`local7`"#,
                  read: { value, c throws(Invalid) in
                      guard SyslogFacility.code(value) != nil else {
                          throw Invalid("'\(value)' is not a syslog facility (mail, daemon, local0…local7)")
                      }
                      c.syslogFacility = value.lowercased()
                  }, show: { [$0.syslogFacility] }),
            .init("LogLevel", .restart, #"`error`, `warning`, `info` (one line per message), `debug`"#,
                  read: { value, c throws(Invalid) in
                      c.logLevel = try V.oneOf(value, ["error", "warning", "info", "debug"].map { ($0, $0) })
                  }, show: { [$0.logLevel] }),
            .init("TrustedAuthservIDs", .applied, default: "this host's name", #"comma- or space-separated authserv-ids of **this host's** verifiers (OpenDKIM, OpenDMARC); their `Authentication-Results` are believed only where this host wrote them (see "Trust model"). Postfix must remove inbound copies claiming these ids (`packaging/postfix/header_checks`); `configtest` checks that it does"#,
                  read: { value, c throws(Invalid) in
                      let ids = V.list(value)
                      guard !ids.isEmpty else { throw Invalid("needs at least one authserv-id") }
                      c.trustedAuthservIDs = ids
                  }, show: { [$0.trustedAuthservIDs.joined(separator: ", ")] }),
        ]
        // The inspection limits: MessageLimits' fields, each with its smallest sensible value.
        let limits: [(String, WritableKeyPath<MessageLimits, Int> & Sendable, Int, String)] = [
            ("MaximumBodyBytes", \.maxBodyBytes, 1024, #"bytes of each body kept for inspection. A larger body is read on as a stream (up to 32 times this size; the rest passes unread): every MIME boundary and part header, each text part's first half-limit and last eighth-limit of bytes, and nothing of attachments' content, so text behind a large attachment or padding is still read; when text itself was cut, the verdict carries `limit-reached`"#),
            ("MaximumMimeDepth", \.maxMimeDepth, 2, #"MIME nesting looked into"#),
            ("MaximumMimeParts", \.maxMimeParts, 1, #"MIME parts listed; past it only text parts are read (up to four times the limit), attachments are not listed, and the verdict carries `limit-reached`"#),
            ("MaximumHeaders", \.maxHeaders, 10, #"headers kept per message"#),
            ("MaximumHeaderBytes", \.maxHeaderBytes, 256, #"bytes kept of one header value"#),
            ("MaximumHTMLDepth", \.maxHTMLDepth, 16, #"HTML nesting handed to the HTML parser; deeper HTML is read by a plain tag stripper (HTML parsers are quadratic in nesting depth)"#),
        ]
        for (name, path, minimum, meaning) in limits {
            keys.append(.init(name, .applied, meaning,
                              read: { value, c throws(Invalid) in c.limits[keyPath: path] = try V.number(value, at: minimum) },
                              show: { [String($0.limits[keyPath: path])] }))
        }
        keys += [
            .init("StateDirectory", .restart, #"where the correlation state `state.sqlite` and the banner key `banner.key` live (created if missing, given to `UserID`); a state file that cannot be opened, is damaged (`PRAGMA quick_check`) or cannot be written is refused at start: the daemon logs one error line and keeps correlating in memory, and `configtest` warns about it"#,
                  read: { value, c throws(Invalid) in c.stateDirectory = try V.absolutePath(value) }, show: { [$0.stateDirectory] }),
            .init("StateDatabase", .restart, #"`postgresql://USER@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require|verify-ca|verify-full][&sslrootcert=FILE]`, or `postgresql://USER@/DATABASE?host=/run/postgresql` for a unix socket: keep the correlation state and declared incidents in PostgreSQL, shared by every mail server pointed at it, instead of `state.sqlite` (see "Several mail servers"). A password in the URI is refused. `configtest` connects and reports the schema version; a database that does not answer is a warning (the daemon starts and judges with this host's memory), a loose password file or a schema newer than the binary an error"#,
                  read: { value, c throws(Invalid) in
                      do throws(PostgresLocation.Invalid) { c.stateDatabase = try PostgresLocation(parsing: value) } catch { throw Invalid(error.description) }
                  }, show: { [$0.stateDatabase.map { "\($0)" } ?? "(none)"] }),
            .init("StateDatabasePasswordFile", .restart, #"file whose first line is the database password; refused if other users may read it (`chmod 0640`, group of `UserID`). Read after dropping privileges; never printed or logged"#,
                  read: { value, c throws(Invalid) in c.stateDatabasePasswordFile = try V.absolutePath(value) },
                  show: { V.optional($0.stateDatabasePasswordFile, "(none)") }),
            .init("StateTimeout", .restart, #"how long one message may wait for the database (`250ms`, `2s`, or milliseconds); past it the message is judged with this host's memory"#,
                  read: { value, c throws(Invalid) in c.stateTimeout = try V.duration(value) },
                  show: { ["\($0.stateTimeout.milliseconds)ms"] }),
            .init("BulkRecipients", .applied, #"distinct recipients of one identical authenticated confirmation that make it `erroneous`"#,
                  read: { value, c throws(Invalid) in c.bulk.recipients = try V.number(value, at: 2) }, show: { [String($0.bulk.recipients)] }),
            .init("BulkWindow", .applied, #"seconds within which those recipients are counted"#,
                  read: { value, c throws(Invalid) in c.bulk.window = TimeInterval(try V.number(value, at: 60)) },
                  show: { [String(Int($0.bulk.window))] }),
        ]
        for kind in [VerdictKind.suspicious, .erroneous, .genuine, .none] {
            let flagged = kind == .suspicious || kind == .erroneous
            let meaning = flagged ? #"what to do beyond the headers: `header` (deliver with the headers only), `banner` (headers and the explanatory banner, see "Banner"), `quarantine` (Postfix hold queue, with the verdict and reasons as the reason), `reject` (550 5.7.1 with the explanation), `tempfail` (451 4.7.1)"# : #"the same choices except `banner` (a banner explains flagged mail only)"#
            keys.append(.init("On\(kind.rawValue.capitalized)", .applied, meaning,
                              read: { value, c throws(Invalid) in
                                  let policy = try V.oneOf(value, VerdictPolicy.allCases.map { ($0.rawValue, $0) })
                                  if policy == .banner, !flagged {
                                      throw Invalid("a banner explains erroneous and suspicious mail only; use header")
                                  }
                                  c.policies[kind] = policy
                              }, show: { [$0.policy(for: kind).rawValue] }))
        }
        keys += [
            .init("BannerDirectory", .applied, #"directory of `<lang>.banner` files (`en`, `ar`, `it`, `es`, `fr`, `de`, `pt`) whose keys replace the built-in banner texts key by key; checked at load: a text with a link or a phone number is refused"#,
                  read: { value, c throws(Invalid) in
                      c.bannerDirectory = try V.absolutePath(value)
                      do throws(BannerTemplateError) { c.bannerTemplates = try BannerTemplates.loading(directory: value) } catch { throw Invalid(error.description) }
                  }, show: { V.optional($0.bannerDirectory, "(built-in texts)") }),
            .init("BannerHelpURL", .applied, #"the one link a banner may carry (`http(s)://…`), to the organisation's own help page"#,
                  read: { value, c throws(Invalid) in
                      guard value.hasPrefix("https://") || value.hasPrefix("http://"), !value.contains(where: \.isWhitespace) else {
                          throw Invalid("'\(value)' is not an http(s) URL")
                      }
                      c.bannerHelpURL = value
                  }, show: { V.optional($0.bannerHelpURL, "(none)") }),
            .init("MaximumBannerBytes", .applied, #"bodies up to this size are kept whole (in memory, per connection) while a banner may be placed; larger ones get headers only (`banner=too-large`)"#,
                  read: { value, c throws(Invalid) in c.maximumBannerBytes = try V.number(value, at: 1024) },
                  show: { [String($0.maximumBannerBytes)] }),
            .init("OpenPlatformDomains", .applied, #"sender domains where anyone picks their own address (a regional free-mail provider, a form or survey platform), added to the built-in list in `Sources/Detection/Domains/platforms.conf` (Gmail, Outlook, Yahoo, GMX, web.de, mail.ru, firebaseapp.com, web.app, jotform.com…): a trusted pass for one proves which provider sent the message, never who wrote it, so its mail is never the sender's own business"#,
                  read: { value, c throws(Invalid) in c.openPlatformDomains = try V.domains(value, example: "mail.example") },
                  show: { V.joined($0.openPlatformDomains, "(built-in list only)") }),
            .init("OrganizationDomains", .applied, #"your organisation's own mail domains (`example.org, corp.example.org`, subdomains included): only their mail, authenticated by a trusted result or submitted with SMTP AUTH, can be a `security-notice` that quotes scam wording without being judged"#,
                  read: { value, c throws(Invalid) in c.organizationDomains = try V.domains(value, example: "example.org") },
                  show: { V.joined($0.organizationDomains, "(none)") }),
            .init("InternalNetworks", .applied, #"comma- or space-separated IPs and networks (`10.0.0.0/8, 2001:db8::/32`) whose mail gets headers only, whatever the policy"#,
                  read: { value, c throws(Invalid) in
                      do throws(NetworkListError) { c.internalNetworks = try NetworkList(parsing: value) } catch { throw Invalid(error.message) }
                  }, show: { V.joined($0.internalNetworks.entries, "(none)") }),
            .init("ExemptAuthenticated", .applied, #"mail from SMTP-authenticated clients (`{auth_authen}`) gets headers only"#,
                  read: { value, c throws(Invalid) in c.exemptAuthenticated = try V.boolean(value) }, show: { V.yesNo($0.exemptAuthenticated) }),
            .init("AuditLog", .restart, #"file for the audit log, one JSON line per message (`-`: standard output); reopened when log rotation moves it; write errors are logged at most once a minute and never hold up mail"#,
                  read: { value, c throws(Invalid) in
                      guard value == "-" || value.hasPrefix("/") else { throw Invalid("needs an absolute path, or - for standard output") }
                      c.auditLog = value
                  }, show: { V.optional($0.auditLog, "(none)") }),
            .init("AuditHashRecipients", .restart, #"write recipients as stable hashes (`h:…`) instead of addresses"#,
                  read: { value, c throws(Invalid) in c.auditHashRecipients = try V.boolean(value) }, show: { V.yesNo($0.auditHashRecipients) }),
            .init("Timeout", .restart, #"seconds libmilter waits for the MTA"#,
                  read: { value, c throws(Invalid) in
                      guard let seconds = Int32(value), seconds > 0 else { throw Invalid("'\(value)' must be a positive number of seconds") }
                      c.timeout = seconds
                  }, show: { [String($0.timeout)] }),
            .init("MaximumConnections", .restart, #"connections served at once (Postfix opens one per smtpd process and milter); more are closed at once, so Postfix answers them with the milter's `default_action` without waiting, and the log says how many (at most once a minute). Lowered to the descriptor limit less 64 if that is smaller"#,
                  read: { value, c throws(Invalid) in c.maximumConnections = try V.number(value, in: 1...60000, unit: "connections") },
                  show: { [String($0.maximumConnections)] }),
            .init("HandshakeTimeout", .restart, #"seconds a connection may stay silent before starting the milter protocol; then it is closed (Postfix negotiates as soon as it connects)"#,
                  read: { value, c throws(Invalid) in c.handshakeTimeout = try V.number(value, in: 1...3600, unit: "seconds") },
                  show: { [String($0.handshakeTimeout)] }),
            .init("StopTimeout", .restart, #"seconds a SIGTERM waits for open sessions to finish before the daemon exits (keep it below systemd's `TimeoutStopSec`, 90 s by default)"#,
                  read: { value, c throws(Invalid) in c.stopTimeout = try V.number(value, in: 0...3600, unit: "seconds") },
                  show: { [String($0.stopTimeout)] }),
            .init("OnInternalError", .restart, #"`accept`, `tempfail` or `reject` when the milter itself fails; never triggered by message content"#,
                  read: { value, c throws(Invalid) in
                      c.onInternalError = try V.oneOf(value, [("accept", MilterStatus.accept), ("tempfail", .tempfail), ("reject", .reject)])
                  }, show: { ["\($0.onInternalError)"] }),
            .init("MetricsListen", .restart, #"where the Prometheus scrape endpoint listens: `PORT` (on 127.0.0.1), `HOST:PORT` or `[IPv6]:PORT`; `GET /metrics` only (see "Metrics"). Bound before `UserID` takes effect; an address in use is logged and mail flows on without metrics. Needs a restart to change"#,
                  read: { value, c throws(Invalid) in
                      if ["no", "off", "none"].contains(value.lowercased()) {
                          c.metricsListen = nil
                      } else {
                          guard let address = ListenAddress(parsing: value) else {
                              throw Invalid("'\(value)' is not PORT, HOST:PORT or [IPv6]:PORT (9464 listens on 127.0.0.1)")
                          }
                          c.metricsListen = address
                      }
                  }, show: { [$0.metricsListen.map { "\($0)" } ?? "(off)"] }),
        ]
        // Last: configtest prints one line per brand in effect.
        keys.append(
.init("Brand", .applied, default: "built-in registry", repeatable: true, #"`Brand ID; domains: a.example, b.example; names: Name, اسم` adds a brand or replaces the one with that id (repeatable)"#,
                  read: { value, c throws(Invalid) in
                      do throws(BrandLineError) { c.extraBrands.append(try Brand(line: value)) } catch { throw Invalid(error.description) }
                  }, show: { $0.brands.brands.map { "\($0.id); domains: \($0.domains.joined(separator: ", ")); names: \($0.names.joined(separator: ", "))" } }))
        return keys
    }()

    /// The keys by lower-cased name, for the parser.
    static let keysByName: [String: ConfigurationKey] = Dictionary(uniqueKeysWithValues: keys.map { ($0.name.lowercased(), $0) })

    /// The keys whose values differ between `a` and `b` and that a running daemon keeps until a restart.
    public static func restartOnly(_ a: Configuration, _ b: Configuration) -> [String] {
        keys.filter { $0.reload == .restart && $0.show(a) != $0.show(b) }.map(\.name)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
