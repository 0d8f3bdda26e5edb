import Actions
import Correlation
import Foundation
import Logging
import MailView
import Milter
import Synchronization

/// A start-up failure of the daemon, with a message for the operator.
public struct DaemonError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Runs the milter the way OpenDKIM does, in three stages: as root, take the signals, open the socket
/// (mode, group), the metrics port and the pid file; as the daemon's user (`UserID`), open the audit log,
/// the correlation state and the banner key; then serve in the foreground until SIGTERM or SIGINT.
public final class Daemon: Sendable {
    /// This build's version (`scripts/version`: the release tag and the commits since, from git).
    public static let version = buildVersion

    let configuration: Configuration
    let logger: Logger
    let version: String
    /// Reads the configuration again, for SIGHUP; nil leaves SIGHUP without effect.
    let reread: (@Sendable () throws -> Configuration)?
    let audit: AuditLog?
    /// Counted only when someone may read the counts (`MetricsListen`).
    let metrics: MessageMetrics?
    /// What a new session is made with; set once the correlation state is open (after dropping
    /// privileges, so the state file belongs to the user the daemon runs as), replaced whole by a reload.
    private let live = Mutex(LiveSettings(Configuration(), store: nil, stateFallback: nil, key: []))
    private let ready = Atomic<Bool>(false)
    private let stopping = Atomic<Int>(0)

    public init(configuration: Configuration, logger: Logger, version: String = Daemon.version,
                reload: (@Sendable () throws -> Configuration)? = nil) {
        self.configuration = configuration
        self.logger = logger
        self.version = version
        reread = reload
        audit = configuration.auditLog.map { path in
            AuditLog(destination: path == "-" ? .standardOutput : .file(path), onError: { logger.error("\($0)") })
        }
        metrics = configuration.metricsListen.map { _ in MessageMetrics() }
    }

    /// The three stages; returns after a stop.
    public func run() throws {
        let prepared = try prepareAsRoot()
        defer { prepared.endpoint?.close() }
        try openAsDaemonUser()
        try serve(maximumConnections: prepared.maximumConnections)
    }

    /// What the root stage leaves for the others.
    struct Prepared {
        var endpoint: MetricsEndpoint?
        var maximumConnections: Int
    }

    /// As root: signals, the milter socket and its file, the descriptor limit, the metrics port, the pid
    /// file and the state directory (given to `UserID`).
    func prepareAsRoot() throws -> Prepared {
        umask(configuration.umask)
        SignalOwner.endProcessAfterCrashReports()
        ownSignals()
        let descriptors = ConnectionLimits.raiseDescriptorLimit()
        // Each connection costs a descriptor; the cap keeps headroom for the state store and logs.
        let maximumConnections = min(configuration.maximumConnections, max(descriptors - 64, 16))
        if maximumConnections < configuration.maximumConnections {
            logger.warning("MaximumConnections \(configuration.maximumConnections) lowered to \(maximumConnections): only \(descriptors) descriptors (raise LimitNOFILE)")
        }
        try MilterRunner.prepare(registration())
        if case .unix(let path) = configuration.socket {
            try Self.prepareSocketFile(path, mode: configuration.socketMode, group: configuration.socketGroup)
        }
        let endpoint = startMetrics()
        if let pidFile = configuration.pidFile {
            Self.preparePidDirectory(pidFile, for: configuration.userID)
            guard FileManager.default.createFile(atPath: pidFile, contents: Data("\(getpid())\n".utf8)) else {
                endpoint?.close()
                throw DaemonError("cannot write PidFile \(pidFile)")
            }
        }
        Self.prepareStateDirectory(configuration.stateDirectory, for: configuration.userID, logger: logger)
        // After dropping privileges the daemon can only remove what lies in directories its user may write.
        if let userID = configuration.userID, let account = try? Self.account(userID) {
            for path in Self.ownFiles(configuration) where !Self.canRemove(path, uid: account.uid, gid: account.gid) {
                logger.warning("\(path): its directory is not writable by \(account.user), so it stays after a stop; use a directory \(account.user) owns (the unit's /run/giftcard-milter)")
            }
        }
        return Prepared(endpoint: endpoint, maximumConnections: maximumConnections)
    }

    /// As the daemon's user: the audit log (an unwritable one is said now, not at the first message), the
    /// correlation state and the banner key, which the state file and key file then belong to.
    func openAsDaemonUser() throws {
        if let userID = configuration.userID { try Self.dropPrivileges(to: userID) }
        if let problem = audit?.openNow() { logger.error("\(problem); mail is still scanned, without audit records") }
        let (store, stateFallback) = Self.openStore(configuration, logger: logger, metrics: metrics)
        let (key, keyProblem) = BannerSettings.loadKey(directory: configuration.stateDirectory)
        if let keyProblem { logger.warning("\(keyProblem)") }
        live.withLock { $0 = LiveSettings(configuration, store: store, stateFallback: stateFallback, key: key) }
        ready.store(true, ordering: .releasing)
    }

    /// Serves until a stop; the pid file and a unix socket are removed after.
    func serve(maximumConnections: Int) throws {
        ConnectionLimits.start(maximum: maximumConnections, handshakeTimeout: configuration.handshakeTimeout,
                               report: { [logger] in logger.warning("\($0)") })
        // Said after the privilege drop and the state are in place: the tests and operators wait for it.
        logger.info("giftcard-milter \(version) listening on \(configuration.socket)")
        defer {
            for path in Self.ownFiles(configuration) where unlink(path) != 0 && errno != ENOENT {
                logger.error("cannot remove \(path) at stop: \(Self.errorText())")
            }
        }
        try MilterRunner.serve()
        logger.info("giftcard-milter stopped")
    }

    /// One owner for SIGTERM, SIGINT and SIGHUP from the start. A stop refuses new connections at once
    /// (the MTA's default_action answers them), lets open sessions finish their messages up to
    /// StopTimeout, then ends serving; a second stop exits at once. SIGHUP never stops the daemon.
    private func ownSignals() {
        let stopTimeout = configuration.stopTimeout
        SignalOwner.start(onStop: { [self] signal in
            let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
            if stopping.add(1, ordering: .relaxed).newValue > 1 {
                logger.warning("\(name) again: exiting without waiting for \(MilterRunner.openSessions) open sessions")
                exit(0)
            }
            MilterRunner.stopAccepting()
            logger.info("\(name): no new connections; waiting up to \(stopTimeout) s for \(MilterRunner.openSessions) open sessions")
            // Waited for on its own thread, so the signal thread still hears a second stop.
            Thread.detachNewThread { [logger] in
                let abandoned = MilterRunner.drain(until: .now + .seconds(stopTimeout))
                if abandoned > 0 {
                    logger.warning("StopTimeout reached with \(abandoned) sessions open; the MTA's default_action takes their messages")
                } else {
                    logger.info("every open session finished")
                }
                MilterRunner.stop()
            }
        }, onHangUp: { [self] in
            guard let reread else {
                logger.notice("SIGHUP: no configuration to reload; still serving with the one read at start")
                return
            }
            reload(reread)
        })
    }

    /// The milter's registration: its actions, the macros it reads, its failure policy, and a session per
    /// connection made from the settings in effect when the connection starts.
    private func registration() -> MilterRegistration {
        let hashRecipients = configuration.auditHashRecipients
        var registration = MilterRegistration(
            name: "giftcard-milter",
            socket: configuration.socket,
            timeout: configuration.timeout,
            actions: [.addHeaders, .changeHeaders, .changeBody, .quarantine],
            // The queue id at the end of the message (Postfix may have none before) and at MAIL (Sendmail
            // sends it there, not at the end); where both come they name the same message.
            macros: [.endOfMessage: ["i"], .envelopeFrom: ["i", "{auth_authen}"], .connect: ["{client_addr}"]],
            failureStatus: configuration.onInternalError,
            makeSession: { [self] in
                // A connection keeps the settings it started with; a reload applies to the next ones.
                let settings = live.withLock { $0 }
                return settings.session(logger: logger, audit: audit, hashRecipients: hashRecipients, metrics: metrics, version: version)
            },
            reportFailure: { [logger] in logger.error("\($0)") }
        )
        // The session only records these steps and always proceeds: no reply, no round trip.
        registration.silentSteps = [.connect, .envelopeFrom, .envelopeRecipient, .header, .endOfHeaders]
        return registration
    }

    /// Bound before privileges are dropped, as the milter socket is; a failure leaves mail flowing.
    private func startMetrics() -> MetricsEndpoint? {
        guard let metrics, let address = configuration.metricsListen else { return nil }
        do {
            let endpoint = try MetricsEndpoint.start(host: address.host, port: address.port, metrics: metrics, logger: logger)
            logger.info("metrics on http://\(endpoint.address)/metrics")
            return endpoint
        } catch {
            logger.error("MetricsListen \(address): cannot listen (\(error)); serving mail without metrics")
            return nil
        }
    }

    /// SIGHUP: reads the configuration again and, if it is valid, new connections use it; connections
    /// open now finish with the settings they started with. A file that does not parse (the check
    /// `configtest` makes of keys and values) is refused and the old settings stay. Keys that need a
    /// restart keep their running values, and the log names those that changed.
    func reload(_ read: () throws -> Configuration) {
        guard ready.load(ordering: .acquiring) else {
            logger.warning("SIGHUP before the daemon was serving: ignored")
            return
        }
        let fresh: Configuration
        do {
            fresh = try read()
        } catch {
            logger.error("SIGHUP: configuration refused, still serving with the previous one: \(error)")
            metrics?.reloaded(false)
            return
        }
        live.withLock { settings in
            settings = LiveSettings(fresh, store: settings.scanner.store, stateFallback: settings.scanner.stateFallback,
                                    key: settings.banner.key)
        }
        let fixed = Configuration.restartOnly(configuration, fresh)
        let note = fixed.isEmpty ? "" : "; changed but applied only at a restart: \(fixed.joined(separator: ", "))"
        logger.notice("SIGHUP: configuration reloaded; new connections use it\(note)")
        metrics?.reloaded(true)
    }

    /// The files the daemon makes and removes at a clean stop: the pid file and a unix socket.
    static func ownFiles(_ configuration: Configuration) -> [String] {
        var files: [String] = []
        if let pidFile = configuration.pidFile { files.append(pidFile) }
        if case .unix(let path) = configuration.socket { files.append(path) }
        return files
    }

    /// A missing PidFile directory is made for `UserID`, so the daemon can remove the file at stop.
    static func preparePidDirectory(_ pidFile: String, for userID: String?) {
        let directory = (pidFile as NSString).deletingLastPathComponent
        guard !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let userID, let account = try? account(userID) { _ = lchown(directory, account.uid, account.gid) }
    }

    /// Whether a process with `uid` and `gid` may unlink entries of `path`'s directory (owner, group or
    /// other write permission; a sticky directory also needs the owner).
    static func canRemove(_ path: String, uid: uid_t, gid: gid_t) -> Bool {
        var info = stat()
        guard stat((path as NSString).deletingLastPathComponent, &info) == 0 else { return false }
        let mode = info.st_mode
        if uid == 0 { return true }
        if (mode & S_ISVTX) != 0 {
            var entry = stat()
            if lstat(path, &entry) == 0, entry.st_uid != uid, info.st_uid != uid { return false }
        }
        if info.st_uid == uid { return (mode & S_IWUSR) != 0 }
        if info.st_gid == gid { return (mode & S_IWGRP) != 0 }
        return (mode & S_IWOTH) != 0
    }

    /// Creates `StateDirectory` if missing and gives it to `UserID`. Never through a symbolic link: the
    /// daemon's user could point one at /etc and have root give it away at the next start.
    static func prepareStateDirectory(_ path: String, for userID: String?, logger: Logger) {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard let user = userID?.split(separator: ":").first.map(String.init), let passwd = getpwnam(user) else { return }
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            logger.error("StateDirectory \(path) is not a directory (a symbolic link?); not giving it to \(user)")
            return
        }
        _ = lchown(path, passwd.pointee.pw_uid, passwd.pointee.pw_gid)
    }

    /// Where the correlation state lives.
    public static func statePath(_ configuration: Configuration) -> String {
        (configuration.stateDirectory as NSString).appendingPathComponent("state.sqlite")
    }

    /// The correlation store in `StateDirectory`, or the reason it cannot serve.
    public static func stateStore(_ configuration: Configuration) -> Result<SQLiteCorrelationStore, any Error> {
        Result { try SQLiteCorrelationStore(path: statePath(configuration)) }
    }

    /// The SQLite state in `StateDirectory`; if it cannot be opened, mail still flows with state kept
    /// in memory until the next start, the log says so on one line, and the reason goes with each
    /// audit record.
    static func openStore(_ configuration: Configuration, logger: Logger, metrics: MessageMetrics? = nil)
        -> (any CorrelationStore, fallback: String?) {
        if let location = configuration.stateDatabase {
            return sharedStore(configuration, at: location, logger: logger, metrics: metrics)
        }
        switch stateStore(configuration) {
        case .success(let store):
            return (metrics?.measured(store, as: "sqlite") ?? store, nil)
        case .failure(let error):
            let reason = "\(statePath(configuration)) unusable (\(error))"
            logger.error("correlation state \(reason); bulk detection keeps its state in memory until restart")
            // An in-memory SQLite database cannot fail to open short of memory exhaustion.
            return ((try? SQLiteCorrelationStore(path: nil)) ?? NoCorrelationStore(), reason)
        }
    }

    /// The PostgreSQL state shared with the other mail servers, this host's memory behind it. Nothing
    /// here stops the daemon: a database that is down at start is joined once it answers.
    static func sharedStore(_ configuration: Configuration, at location: PostgresLocation, logger: Logger,
                            metrics: MessageMetrics? = nil) -> (any CorrelationStore, fallback: String?) {
        // An in-memory SQLite database cannot fail to open short of memory exhaustion.
        let memory: any CorrelationStore = (try? SQLiteCorrelationStore(path: nil)) ?? NoCorrelationStore()
        let shared: PostgresCorrelationStore
        do {
            shared = try sharedDatabase(configuration, at: location, logger: logger)
        } catch {
            let reason = "StateDatabase \(location) unusable (\(error))"
            logger.error("correlation state \(reason); bulk detection keeps its state in memory until restart")
            return (memory, reason)
        }
        let throttle = LogThrottle()
        // Measured inside the fallback, so the database's own latency and failures are what is counted.
        let store = SharedCorrelationStore(shared: metrics?.measured(shared, as: "postgresql") ?? shared, local: memory,
                                           joining: true) { problem in
            switch problem {
            case .failing(let cause):
                guard throttle.due() else { return }
                // A call that only timed out does not say why: a new connection, tried off the message's
                // thread, does (refused, login refused, unknown host…), and the one line names it.
                guard !cause.contains("a new connection:"), cause.hasPrefix("no answer") else {
                    logger.warning("shared correlation state \(location): \(cause); judging with this host's memory")
                    return
                }
                Thread.detachNewThread {
                    logger.warning("shared correlation state \(location): \(cause); a new connection: \(shared.connectionDiagnosis()); judging with this host's memory")
                }
            case .recovered(let after):
                logger.notice("shared correlation state \(location) answers again after \(Int(after.rounded())) s; sharing resumed")
            }
        }
        // Joined in the background: the first sessions are served at once from this host's memory, whatever
        // the database is doing (down, refusing the login, slow to connect).
        Thread.detachNewThread {
            var said = false
            while true {
                do {
                    let (from, to) = try shared.migrate()
                    store.joined()
                    logger.info("correlation state shared in \(location), schema version \(to)\(from == to ? "" : from == 0 ? " (created)" : " (migrated from \(from))")\(said ? "; sharing started" : "")")
                    return
                } catch {
                    store.stillJoining(because: "\(error)")
                    if !said {
                        logger.warning("correlation state \(location) not reachable at start (\(error)); judging with this host's memory until it answers")
                        said = true
                    }
                    Thread.sleep(forTimeInterval: 5)
                }
            }
        }
        return (store, nil)
    }

    /// The shared store itself, its password read from `StateDatabasePasswordFile` (the daemon, `incident`
    /// and `configtest` open it the same way).
    public static func sharedDatabase(_ configuration: Configuration, at location: PostgresLocation,
                                      timeout: Duration? = nil, logger: Logger) throws -> PostgresCorrelationStore {
        let password = try configuration.stateDatabasePasswordFile.map { path throws(PostgresLocation.Invalid) in
            try PostgresLocation.password(fromFile: path)
        }
        // postgres-nio's own background lines (every failed reconnect) would repeat what the store
        // reports once a minute with its cause.
        var quiet = logger
        quiet.logLevel = .critical
        return try PostgresCorrelationStore(location: location, password: password, timeout: timeout ?? configuration.stateTimeout,
                                            logger: quiet)
    }

    static func prepareSocketFile(_ path: String, mode: mode_t, group: String?) throws {
        guard chmod(path, mode) == 0 else { throw DaemonError("cannot chmod socket \(path): \(errorText())") }
        guard let group else { return }
        guard let entry = getgrnam(group) else { throw DaemonError("SocketGroup: no group named '\(group)'") }
        guard chown(path, uid_t.max, entry.pointee.gr_gid) == 0 else {
            throw DaemonError("cannot give socket \(path) to group \(group): \(errorText())")
        }
    }

    /// `user` or `user:group` looked up in the user and group databases (also `configtest`'s check).
    public static func account(_ userID: String) throws(DaemonError) -> (user: String, uid: uid_t, gid: gid_t) {
        let parts = userID.split(separator: ":", maxSplits: 1).map(String.init)
        guard let user = parts.first, let passwd = getpwnam(user) else { throw DaemonError("UserID: no user named '\(parts.first ?? "")'") }
        var gid = passwd.pointee.pw_gid
        if parts.count == 2 {
            guard let group = getgrnam(parts[1]) else { throw DaemonError("UserID: no group named '\(parts[1])'") }
            gid = group.pointee.gr_gid
        }
        return (user, passwd.pointee.pw_uid, gid)
    }

    static func dropPrivileges(to userID: String) throws {
        let (user, uid, gid) = try account(userID)
        guard initgroups(user, gid) == 0, setgid(gid) == 0, setuid(uid) == 0 else {
            throw DaemonError("cannot switch to \(userID): \(errorText())")
        }
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
