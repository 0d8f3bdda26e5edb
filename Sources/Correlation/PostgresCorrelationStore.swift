import Detection
import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// Correlation state and declared incidents shared by several mail servers, in PostgreSQL, through
/// postgres-nio's pooled `PostgresClient`.
///
/// Every call from a libmilter thread waits at most `timeout` (`StateTimeout`) and then throws; the
/// daemon wraps this store in `SharedCorrelationStore`, which turns that into a verdict from this
/// host's memory. The schema is brought up to date before the first use (and again after the server
/// was unreachable at start), so a host that starts while PostgreSQL is down joins in once it is up.
public final class PostgresCorrelationStore: CorrelationStore, IncidentStore {
    public let location: PostgresLocation
    public let timeout: Duration
    private let retention: TimeInterval
    private let client: PostgresClient
    private let logger: Logger
    private let running: Task<Void, Never>
    private let schemaReady = Atomic<Bool>(false)
    /// A single connection made outside the pool when a call gets no answer: the pool keeps retrying
    /// quietly and only says "no answer", the probe says why (login refused, connection refused…).
    private let probe: PostgresConnection.Configuration
    private let diagnosis = Mutex<(at: Date, cause: String)?>(nil)
    private let diagnosing = Atomic<Bool>(false)

    /// - Parameters:
    ///   - password: from `StateDatabasePasswordFile`; nil when the server trusts the peer (a unix socket).
    ///   - timeout: how long a message may wait for the database before it is judged without it.
    ///   - retention: sightings older than this are deleted (in batches, by a background task).
    public init(location: PostgresLocation, password: String?, timeout: Duration = .milliseconds(300),
                retention: TimeInterval = 7 * 24 * 3600, maximumConnections: Int = 16, logger: Logger) throws {
        self.location = location
        self.timeout = timeout
        self.retention = retention
        self.logger = logger
        var configuration: PostgresClient.Configuration
        var probe: PostgresConnection.Configuration
        let tls = try Self.tls(location)
        switch location.endpoint {
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: location.user, password: password,
                                  database: location.database, tls: tls.pool)
            probe = .init(host: host, port: port, username: location.user, password: password, database: location.database, tls: tls.single)
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: location.user, password: password, database: location.database)
            probe = .init(unixSocketPath: path, username: location.user, password: password, database: location.database)
        }
        probe.options.connectTimeout = .seconds(3)
        self.probe = probe
        // A connection attempt may take longer than one message may wait; the pool keeps trying in the
        // background (with its own back-off) while messages go on without it.
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = maximumConnections
        // One connection kept open: the first message after a quiet spell does not pay for connecting,
        // and after an outage the pool is already reconnecting before mail asks.
        configuration.options.minimumConnections = 1
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        let retentionSeconds = retention
        running = Task.detached {
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                // Expiry: every minute, in batches, so no lock is held for long.
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(60))
                        _ = try? await Self.expire(client, before: Date().addingTimeInterval(-retentionSeconds), logger: logger)
                    }
                }
            }
        }
    }

    deinit { running.cancel() }

    /// Stops the client's connections (the CLI, at exit; the daemon simply exits).
    public func close() { running.cancel() }

    /// The TLS settings for `sslmode`, for the pool and for the single diagnostic connection.
    private static func tls(_ location: PostgresLocation) throws
        -> (pool: PostgresClient.Configuration.TLS, single: PostgresConnection.Configuration.TLS) {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let roots = location.rootCertificates { tls.trustRoots = .file(roots) }
        switch location.tls {
        case .disable: return (.disable, .disable)
        // As libpq: prefer and require encrypt but do not check the certificate.
        case .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        let context = try NIOSSLContext(configuration: tls)
        return location.tls == .prefer ? (.prefer(tls), .prefer(context)) : (.require(tls), .require(context))
    }

    // MARK: The calls a message makes (bounded by `timeout`)

    public func recordConfirmation(fingerprint: String, recipients: [String], at time: Date, window: TimeInterval) throws -> Int {
        let keys = Array(Set(recipients.map(RecipientKey.of))).sorted()
        return try wait { try await self.record(fingerprint: fingerprint, recipientKeys: keys, at: time, window: window) }
    }

    /// Asks the database every time; `SharedCorrelationStore` re-reads at most every 2 seconds.
    public func activeIncidents(at time: Date) throws -> [DeclaredIncident] {
        try wait { try await self.incidents(endingAfter: time) }.filter { $0.starts <= time }
    }

    // MARK: Incidents (the CLI)

    @discardableResult
    public func addIncident(_ incident: DeclaredIncident) throws -> Int64 {
        return try wait {
            try await self.prepared()
            let rows = try await self.client.query("""
                INSERT INTO giftcard_incident (sender_domain, phrase, starts, ends, explanation)
                VALUES (\(incident.senderDomain), \(incident.phrase), \(incident.starts), \(incident.ends), \(incident.explanation))
                RETURNING id
                """, logger: self.logger)
            for try await id in rows.decode(Int64.self) { return id }
            throw Unexpected(what: "INSERT … RETURNING id returned no row")
        }
    }

    @discardableResult
    public func removeIncident(id: Int64) throws -> Bool {
        return try wait {
            try await self.prepared()
            let rows = try await self.client.query("DELETE FROM giftcard_incident WHERE id = \(id) RETURNING id", logger: self.logger)
            var removed = false
            for try await _ in rows.decode(Int64.self) { removed = true }
            return removed
        }
    }

    public func listIncidents() throws -> [DeclaredIncident] {
        try wait { try await self.incidents(endingAfter: nil) }
    }

    // MARK: Checks and maintenance (configtest, tests, the benchmark)

    /// The schema version in the database (0: never created), for `configtest`.
    public func schemaVersion(timeout: Duration = .seconds(5)) throws -> Int {
        try wait(timeout) { try await self.client.withConnection { try await PostgresSchema.version(on: $0, logger: self.logger) } }
    }

    public static var currentSchemaVersion: Int { PostgresSchema.current }

    /// Creates or migrates the schema now, waiting up to `timeout` (a first connection may take longer
    /// than a message may wait); returns the versions before and after.
    @discardableResult
    public func migrate(timeout: Duration = .seconds(10)) throws -> (from: Int, to: Int) {
        try wait(timeout) { try await self.migrateNow() }
    }

    /// Deletes sightings older than the retention; returns how many.
    @discardableResult
    public func expire(now: Date = Date()) throws -> Int {
        try wait { try await Self.expire(self.client, before: now.addingTimeInterval(-self.retention), logger: self.logger) }
    }

    /// Runs `statement` as is (tests and the benchmark: truncating, filling history).
    public func execute(_ statement: String) throws {
        try wait {
            try await self.prepared()
            try await self.client.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
        }
    }

    // MARK: The queries

    private func record(fingerprint: String, recipientKeys: [String], at time: Date, window: TimeInterval) async throws -> Int {
        try await prepared()
        let rows = try await client.query(
            "SELECT giftcard_record_confirmation(\(fingerprint), \(recipientKeys), \(time), \(window))", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        throw Unexpected(what: "giftcard_record_confirmation returned no row")
    }

    private func incidents(endingAfter: Date?) async throws -> [DeclaredIncident] {
        try await prepared()
        let rows = try await client.query("""
            SELECT id, sender_domain, phrase, starts, ends, explanation FROM giftcard_incident
            WHERE \(endingAfter == nil) OR ends >= \(endingAfter ?? Date.distantPast) ORDER BY id
            """, logger: logger)
        var found: [DeclaredIncident] = []
        for try await (id, domain, phrase, starts, ends, explanation) in rows.decode((Int64, String, String, Date, Date, String).self) {
            found.append(DeclaredIncident(id: id, senderDomain: domain, phrase: phrase, starts: starts, ends: ends, explanation: explanation))
        }
        return found
    }

    private static func expire(_ client: PostgresClient, before cutoff: Date, logger: Logger) async throws -> Int {
        var total = 0
        while true {
            // SKIP LOCKED: rows another host is expiring or recording at this moment are left for later.
            let rows = try await client.query("""
                WITH doomed AS (SELECT ctid FROM giftcard_sighting WHERE seen < \(cutoff) LIMIT 5000 FOR UPDATE SKIP LOCKED)
                DELETE FROM giftcard_sighting WHERE ctid IN (SELECT ctid FROM doomed) RETURNING 1
                """, logger: logger)
            var batch = 0
            for try await _ in rows { batch += 1 }
            total += batch
            if batch < 5000 { return total }
        }
    }

    /// Makes sure the schema is current before the first query (once per process, or until it worked).
    private func prepared() async throws {
        if !schemaReady.load(ordering: .acquiring) { _ = try await migrateNow() }
    }

    private func migrateNow() async throws -> (from: Int, to: Int) {
        let result = try await PostgresSchema.migrate(client, logger: logger)
        schemaReady.store(true, ordering: .releasing)
        return result
    }

    private func wait<T: Sendable>(_ limit: Duration? = nil, _ work: @escaping @Sendable () async throws -> T) throws -> T {
        let limit = limit ?? timeout
        do {
            return try BlockingWait.run(timeout: limit, work)
        } catch let error as BlockingWait.TimedOut {
            throw StoreFailure(cause: error.description + (diagnose(waiting: limit >= .seconds(5)).map { "; a new connection: \($0)" } ?? ""))
        } catch {
            throw StoreFailure(cause: Self.cause(of: error))
        }
    }

    /// Why a new connection fails, if it does: found now when the caller can wait (the CLI), else from a
    /// probe of the last minute, starting one in the background for the next report.
    private func diagnose(waiting: Bool) -> String? {
        if waiting { return try? BlockingWait.run(timeout: .seconds(5)) { await self.probeConnection() } }
        if let known = diagnosis.withLock({ $0 }), Date().timeIntervalSince(known.at) < 60 { return known.cause }
        if diagnosing.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            Task.detached {
                let cause = await self.probeConnection()
                self.diagnosis.withLock { $0 = (Date(), cause) }
                self.diagnosing.store(false, ordering: .releasing)
            }
        }
        return diagnosis.withLock { $0?.cause }
    }

    /// Why a new connection fails, found now (up to 5 s): for a log line that must name the real cause
    /// when a call only timed out. Blocks; call it off a message's thread.
    public func connectionDiagnosis() -> String {
        (try? BlockingWait.run(timeout: .seconds(5)) { await self.probeConnection() }) ?? "no answer within 5 s"
    }

    private func probeConnection() async -> String {
        do {
            let connection = try await PostgresConnection.connect(configuration: probe, id: 0, logger: logger)
            try? await connection.close()
            return "succeeds (the server is slow, or busy)"
        } catch {
            return Self.cause(of: error)
        }
    }

    struct Unexpected: Error, CustomStringConvertible {
        let what: String
        var description: String { what }
    }

    /// A failed call, with a cause a postmaster can act on (postgres-nio hides the details behind a
    /// generic description so that they do not leak to end users; this log is for the postmaster).
    public struct StoreFailure: Error, CustomStringConvertible {
        public let cause: String
        public var description: String { cause }
    }

    static func cause(of error: any Error) -> String {
        if let failure = error as? PostgresTransactionError {
            guard let inner = failure.closureError ?? failure.commitError ?? failure.beginError ?? failure.rollbackError else {
                return String(describing: failure)
            }
            return cause(of: inner)
        }
        // postgres-nio's own descriptions are generic on purpose ("PSQLError – Generic description…"); the
        // details are read here, also when one error wraps another.
        if let decoding = error as? PostgresDecodingError { return "cannot decode column \(decoding.columnName) (\(decoding.code))" }
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let server = error.serverInfo {
            let state = server[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return "server: \(server[.message] ?? "error")\(state)"
        }
        if let underlying = error.underlying { return "\(error.code): \(cause(of: underlying))" }
        return "\(error.code)"
    }
}
