import Correlation
import Foundation
import Logging

/// Record-and-count latency of the correlation stores as a message sees it (through the blocking
/// bridge for PostgreSQL): the SQLite state file against PostgreSQL on loopback, each with no history
/// and with 1,000,000 rows of it (`scripts/bench-state`).
enum StateLatency {
    static func run(url: String, passwordFile: String, iterations: Int) {
        do {
            let location = try PostgresLocation(parsing: url)
            let password = try PostgresLocation.password(fromFile: passwordFile)
            var quiet = Logger(label: "bench")
            quiet.logLevel = .critical
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gcm-bench-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let postgres = try PostgresCorrelationStore(location: location, password: password, timeout: .seconds(30), logger: quiet)
            try postgres.migrate()
            for history in [0, 1_000_000] {
                let sqlite = try SQLiteCorrelationStore(path: (directory as NSString).appendingPathComponent("state-\(history).sqlite"))
                try postgres.execute("TRUNCATE giftcard_sighting")
                if history > 0 {
                    // Within the retention, spread over the last six days, 50,000 mailings of 20 recipients.
                    let now = Date().timeIntervalSince1970
                    try sqlite.execute("""
                        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(history - 1))
                        INSERT INTO sighting (fingerprint, recipient, time) SELECT 'old' || (i % 50000), 'r' || i, \(now) - i * 0.5 FROM n
                        """)
                    try postgres.execute("""
                        INSERT INTO giftcard_sighting (fingerprint, recipient, seen)
                        SELECT 'old' || (i % 50000), 'r' || i, now() - i * interval '0.5 s' FROM generate_series(0, \(history - 1)) AS i
                        """)
                    try postgres.execute("ANALYZE giftcard_sighting")
                }
                for (name, store) in [("SQLite state file", sqlite as any CorrelationStore), ("PostgreSQL, loopback TCP", postgres)] {
                    var counter = 0
                    Benchmark.report("record+count, \(name), \(history) rows", iterations) {
                        counter += 1
                        _ = try? store.recordConfirmation(fingerprint: "new\(counter % 50)", recipients: ["n\(counter)@x"],
                                                          at: Date(), window: 3600)
                    }
                }
            }
            postgres.close()
        } catch {
            FileHandle.standardError.write(Data("giftcard-bench: \(error)\n".utf8))
            exit(1)
        }
    }
}
