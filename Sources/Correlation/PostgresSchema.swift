import Logging
import PostgresNIO

/// The shared store's tables, as numbered migrations. Version N is `migrations[N - 1]`; a released
/// migration is never edited, only followed by a new one.
///
/// Indexes and the queries they serve (docs/operations.md, "Several mail servers", lists them too):
/// - `giftcard_sighting_pkey (fingerprint, recipient)`: the upsert of a recipient's sighting;
/// - `giftcard_sighting_fingerprint_seen (fingerprint, seen)`: counting a confirmation's distinct
///   recipients within the window, read from the index alone;
/// - `giftcard_sighting_seen (seen)`: expiry, which deletes the oldest rows in small batches;
/// - `giftcard_incident_ends (ends)`: the incidents still in force, re-read every few seconds by each host.
enum PostgresSchema {
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE giftcard_sighting (
                fingerprint text NOT NULL,
                recipient text NOT NULL,
                seen timestamptz NOT NULL,
                PRIMARY KEY (fingerprint, recipient)
            )
            """,
            "CREATE INDEX giftcard_sighting_fingerprint_seen ON giftcard_sighting (fingerprint, seen)",
            "CREATE INDEX giftcard_sighting_seen ON giftcard_sighting (seen)",
            """
            CREATE TABLE giftcard_incident (
                id bigserial PRIMARY KEY,
                sender_domain text NOT NULL,
                phrase text NOT NULL,
                starts timestamptz NOT NULL,
                ends timestamptz NOT NULL,
                explanation text NOT NULL,
                declared timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX giftcard_incident_ends ON giftcard_incident (ends)",
            // Record and count in one round trip, atomically: the transaction-scoped advisory lock on the
            // fingerprint makes concurrent recordings of one confirmation (from any host) take turns, and
            // the count, a statement of its own inside the function, sees every turn before it. So the
            // recipient that reaches the threshold is seen reaching it by exactly one message. Its commit
            // does not wait for the WAL flush (synchronous_commit off for this transaction only).
            """
            CREATE FUNCTION giftcard_record_confirmation(p_fingerprint text, p_recipients text[], p_now timestamptz,
                                                         p_window_seconds double precision)
            RETURNS integer LANGUAGE plpgsql AS $$
            BEGIN
                -- Sightings are soft state: a database crash may lose the last moments of them, never
                -- corrupts them; not waiting for the WAL flush keeps each message's wait short.
                PERFORM set_config('synchronous_commit', 'off', true);
                PERFORM pg_advisory_xact_lock(\(lockNamespace + 1), hashtext(p_fingerprint));
                INSERT INTO giftcard_sighting (fingerprint, recipient, seen)
                    SELECT DISTINCT p_fingerprint, r, p_now FROM unnest(p_recipients) AS r
                    ON CONFLICT (fingerprint, recipient) DO UPDATE SET seen = GREATEST(giftcard_sighting.seen, excluded.seen);
                RETURN (SELECT count(*) FROM giftcard_sighting
                        WHERE fingerprint = p_fingerprint AND seen >= p_now - make_interval(secs => p_window_seconds));
            END
            $$
            """,
        ],
    ]

    /// The version this build writes and reads.
    static var current: Int { migrations.count }

    /// Advisory-lock keys (first half) of this schema: `lockNamespace` guards migrations,
    /// `lockNamespace + 1` each fingerprint's recording.
    static let lockNamespace: Int32 = 0x67636D00

    /// The schema's version in the database: 0 when it was never created.
    static func version(on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let exists = try await connection.query("SELECT to_regclass('giftcard_schema') IS NOT NULL", logger: logger)
        for try await present in exists.decode(Bool.self) where !present { return 0 }
        let rows = try await connection.query("SELECT COALESCE(max(version), 0) FROM giftcard_schema", logger: logger)
        for try await version in rows.decode(Int.self) { return version }
        return 0
    }

    /// Brings the schema to `current`. Safe when several hosts start at once: the migration runs in one
    /// transaction under an advisory lock, so the second host waits, then finds nothing left to do.
    /// Returns the versions before and after; refuses a database newer than this build.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> (from: Int, to: Int) {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockNamespace), 0)", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS giftcard_schema (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())",
                                       logger: logger)
            let found = try await version(on: connection, logger: logger)
            guard found <= current else { throw TooNew(found: found) }
            for number in (found + 1)...max(found + 1, current) where number <= current {
                for statement in migrations[number - 1] {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO giftcard_schema (version) VALUES (\(number))", logger: logger)
            }
            return (found, current)
        }
    }

    struct TooNew: Error, CustomStringConvertible {
        let found: Int
        var description: String {
            "the database's schema is version \(found), newer than this giftcard-milter's \(PostgresSchema.current): upgrade this host"
        }
    }
}
