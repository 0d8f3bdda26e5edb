import Detection
import Foundation
import GRDB
import Synchronization

/// The embedded correlation store: SQLite through GRDB, in the state directory, surviving restarts.
///
/// Bounded: rows older than `retention` are deleted, and when more than `maxRows` remain the oldest
/// go first. Look-ups use the (fingerprint, time) index, so they do not grow with history.
public final class SQLiteCorrelationStore: CorrelationStore, IncidentStore {
    private let queue: DatabaseQueue
    private let retention: TimeInterval
    private let maxRows: Int
    /// Pruning runs every this many records, not on every message.
    private let pruneEvery = 500
    private let counter = Counter()

    /// Opens (or creates) the store at `path`; `nil` keeps it in memory (for `check` and tests).
    public init(path: String?, retention: TimeInterval = 7 * 24 * 3600, maxRows: Int = 1_000_000) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        if let path {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } else {
            queue = try DatabaseQueue(configuration: configuration)
        }
        self.retention = retention
        self.maxRows = maxRows
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS sighting (
                    fingerprint TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    time REAL NOT NULL,
                    PRIMARY KEY (fingerprint, recipient)
                ) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS sighting_time ON sighting(time);
                CREATE INDEX IF NOT EXISTS sighting_fingerprint_time ON sighting(fingerprint, time);
                CREATE TABLE IF NOT EXISTS incident (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sender_domain TEXT NOT NULL,
                    phrase TEXT NOT NULL,
                    starts REAL NOT NULL,
                    ends REAL NOT NULL,
                    explanation TEXT NOT NULL
                );
                """)
            // A store that opens but cannot be written (a read-only file) or is damaged would let bulk
            // detection stop in silence at the first message: find out now, so the caller can say so
            // and keep correlating in memory.
            let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
            guard check == ["ok"] else { throw StoreUnusable(reason: "damaged: " + check.prefix(3).joined(separator: "; ")) }
            try db.execute(sql: "INSERT OR REPLACE INTO sighting (fingerprint, recipient, time) VALUES ('', '', 0)")
            try db.execute(sql: "DELETE FROM sighting WHERE fingerprint = '' AND recipient = ''")
        }
    }

    /// Why an opened store cannot serve.
    public struct StoreUnusable: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public func recordConfirmation(fingerprint: String, recipients: [String], at time: Date, window: TimeInterval) throws -> Int {
        let now = time.timeIntervalSince1970
        let shouldPrune = counter.next() % pruneEvery == 0
        return try queue.write { db in
            for recipient in Set(recipients.map(RecipientKey.of)) {
                try db.execute(sql: """
                    INSERT INTO sighting (fingerprint, recipient, time) VALUES (?, ?, ?)
                    ON CONFLICT (fingerprint, recipient) DO UPDATE SET time = excluded.time
                    """, arguments: [fingerprint, recipient, now])
            }
            if shouldPrune { try prune(db, now: now) }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sighting WHERE fingerprint = ? AND time >= ?",
                                    arguments: [fingerprint, now - window]) ?? 0
        }
    }

    /// Incidents are re-read at most this often, so declaring one takes effect within seconds.
    private let incidentCache = Mutex<(read: Date, incidents: [DeclaredIncident])?>(nil)
    private let incidentRefresh: TimeInterval = 5

    public func activeIncidents(at time: Date) throws -> [DeclaredIncident] {
        let now = Date()
        if let cached = incidentCache.withLock({ $0 }), now.timeIntervalSince(cached.read) < incidentRefresh {
            return cached.incidents.filter { $0.starts <= time && time <= $0.ends }
        }
        let all = try listIncidents()
        incidentCache.withLock { $0 = (now, all) }
        return all.filter { $0.starts <= time && time <= $0.ends }
    }

    /// Declares an incident; returns its id.
    @discardableResult
    public func addIncident(_ incident: DeclaredIncident) throws -> Int64 {
        let id = try queue.write { db -> Int64 in
            try db.execute(sql: "INSERT INTO incident (sender_domain, phrase, starts, ends, explanation) VALUES (?, ?, ?, ?, ?)",
                           arguments: [incident.senderDomain, incident.phrase, incident.starts.timeIntervalSince1970,
                                       incident.ends.timeIntervalSince1970, incident.explanation])
            return db.lastInsertedRowID
        }
        incidentCache.withLock { $0 = nil }
        return id
    }

    /// Ends an incident early; returns false when there is none with that id.
    @discardableResult
    public func removeIncident(id: Int64) throws -> Bool {
        let removed = try queue.write { db -> Bool in
            try db.execute(sql: "DELETE FROM incident WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
        incidentCache.withLock { $0 = nil }
        return removed
    }

    /// Every declared incident, past and future, by id.
    public func listIncidents() throws -> [DeclaredIncident] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, sender_domain, phrase, starts, ends, explanation FROM incident ORDER BY id")
                .map { row in
                    // Decoded with errors, not GRDB's trapping subscripts: a hand-edited or damaged row (text
                    // where a time belongs, a NULL) must cost the message its incidents, never the daemon.
                    DeclaredIncident(id: try row.decode(forColumn: "id"), senderDomain: try row.decode(forColumn: "sender_domain"),
                                     phrase: try row.decode(forColumn: "phrase"),
                                     starts: Date(timeIntervalSince1970: try row.decode(forColumn: "starts")),
                                     ends: Date(timeIntervalSince1970: try row.decode(forColumn: "ends")),
                                     explanation: try row.decode(forColumn: "explanation"))
                }
        }
    }

    /// Rows in the store (for tests and the audit summary).
    public func rowCount() throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sighting") ?? 0 }
    }

    /// Runs `statement` as is (the benchmark: filling history).
    public func execute(_ statement: String) throws {
        try queue.write { try $0.execute(sql: statement) }
    }

    /// Deletes expired rows, then the oldest beyond `maxRows`.
    public func prune(now: Date = Date()) throws {
        try queue.write { try prune($0, now: now.timeIntervalSince1970) }
    }

    private func prune(_ db: Database, now: Double) throws {
        try db.execute(sql: "DELETE FROM sighting WHERE time < ?", arguments: [now - retention])
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sighting") ?? 0
        if count > maxRows {
            try db.execute(sql: """
                DELETE FROM sighting WHERE (fingerprint, recipient) IN
                    (SELECT fingerprint, recipient FROM sighting ORDER BY time LIMIT ?)
                """, arguments: [count - maxRows])
        }
    }
}

/// A thread-safe running count.
private final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}
