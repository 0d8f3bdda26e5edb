import Detection
import Foundation
import Synchronization
import Testing
@testable import Correlation

/// The shared store with this host's memory behind it: mail never waits on, or is judged without, a
/// database that does not answer.
@Suite struct SharedCorrelationStoreTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// A shared store that can be switched off, to step through an outage and the recovery.
    final class SwitchableStore: CorrelationStore {
        let up = Atomic<Bool>(true)
        let calls = Atomic<Int>(0)
        let backing: SQLiteCorrelationStore
        init() throws { backing = try SQLiteCorrelationStore(path: nil) }
        struct Down: Error, CustomStringConvertible { var description: String { "connection refused" } }
        func recordConfirmation(fingerprint: String, recipients: [String], at time: Date, window: TimeInterval) throws -> Int {
            calls.add(1, ordering: .relaxed)
            guard up.load(ordering: .relaxed) else { throw Down() }
            return try backing.recordConfirmation(fingerprint: fingerprint, recipients: recipients, at: time, window: window)
        }
        func activeIncidents(at time: Date) throws -> [DeclaredIncident] {
            guard up.load(ordering: .relaxed) else { throw Down() }
            return try backing.activeIncidents(at: time)
        }
    }

    @Test func anOutageFallsBackToThisHostsCountsAndRecovers() throws {
        let shared = try SwitchableStore()
        let reports = Mutex<[SharedCorrelationStore.Problem]>([])
        let store = SharedCorrelationStore(shared: shared, local: try SQLiteCorrelationStore(path: nil), pause: 0.3) { problem in
            reports.withLock { $0.append(problem) }
        }
        // Another host already recorded two recipients in the shared store.
        _ = try shared.backing.recordConfirmation(fingerprint: "f", recipients: ["x@a", "y@a"], at: start, window: 3600)
        #expect(try store.recordConfirmation(fingerprint: "f", recipients: ["r1@b"], at: start, window: 3600) == 3)
        #expect(store.degradedReason == nil)

        shared.up.store(false, ordering: .relaxed)
        // Judged with this host's own memory: r1 and r2.
        #expect(try store.recordConfirmation(fingerprint: "f", recipients: ["r2@b"], at: start, window: 3600) == 2)
        #expect(store.degradedReason?.contains("connection refused") == true)
        #expect(reports.withLock { $0 } == [.failing(cause: "connection refused")])
        // Incidents answered from what was read before the outage are no sign the database is back.
        _ = try store.activeIncidents(at: start)
        #expect(store.degradedReason != nil)
        #expect(!reports.withLock { $0 }.contains { if case .recovered = $0 { true } else { false } })
        // During the pause no message waits on the database at all.
        let callsBefore = shared.calls.load(ordering: .relaxed)
        #expect(try store.recordConfirmation(fingerprint: "f", recipients: ["r3@b"], at: start, window: 3600) == 3)
        #expect(shared.calls.load(ordering: .relaxed) == callsBefore)

        shared.up.store(true, ordering: .relaxed)
        Thread.sleep(forTimeInterval: 0.35)
        // Sharing resumes: x, y, r1 and now r4 (r2 and r3 were counted here only).
        #expect(try store.recordConfirmation(fingerprint: "f", recipients: ["r4@b"], at: start, window: 3600) == 4)
        #expect(store.degradedReason == nil)
        let last = reports.withLock { $0.last }
        guard case .recovered = last else { Issue.record("no recovery reported: \(String(describing: last))"); return }
    }

    /// Incidents read while the database answered stay in force while it does not.
    @Test func theLastIncidentsReadStayInForceDuringAnOutage() throws {
        let shared = try SwitchableStore()
        let incident = DeclaredIncident(senderDomain: "retailer.example", phrase: "", starts: start - 60, ends: start + 3600, explanation: "mistake")
        try shared.backing.addIncident(incident)
        let store = SharedCorrelationStore(shared: shared, local: try SQLiteCorrelationStore(path: nil), pause: 0, incidentRefresh: 0) { _ in }
        #expect(try store.activeIncidents(at: start).map(\.senderDomain) == ["retailer.example"])
        shared.up.store(false, ordering: .relaxed)
        #expect(try store.activeIncidents(at: start).map(\.senderDomain) == ["retailer.example"])
        #expect(try store.activeIncidents(at: start + 7200).isEmpty)
    }

    /// The real client against a port where nothing listens: the message still gets this host's count.
    @Test func anUnreachableDatabaseStillGivesACount() throws {
        let database = try PostgresCorrelationStore(location: TestPostgres.nowhere, password: "x", timeout: .milliseconds(100),
                                                    logger: TestPostgres.quiet)
        let store = SharedCorrelationStore(shared: database, local: try SQLiteCorrelationStore(path: nil)) { _ in }
        #expect(try store.recordConfirmation(fingerprint: "f", recipients: ["a@x", "b@x"], at: start, window: 3600) == 2)
        #expect(store.degradedReason != nil)
    }
}

@Suite struct PostgresLocationTests {
    @Test func readsLibpqURIs() throws {
        let tcp = try PostgresLocation(parsing: "postgresql://giftcard@db.example.org:6543/state?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem")
        #expect(tcp.endpoint == .tcp(host: "db.example.org", port: 6543))
        #expect(tcp.user == "giftcard" && tcp.database == "state" && tcp.tls == .verifyFull && tcp.rootCertificates == "/etc/ssl/ca.pem")
        let plain = try PostgresLocation(parsing: "postgres://milter@10.0.0.5/giftcard")
        #expect(plain.endpoint == .tcp(host: "10.0.0.5", port: 5432) && plain.tls == .prefer)
        let socket = try PostgresLocation(parsing: "postgresql://milter@/giftcard?host=/var/run/postgresql&sslmode=disable")
        #expect(socket.endpoint == .unixSocket(path: "/var/run/postgresql/.s.PGSQL.5432"))
        let encoded = try PostgresLocation(parsing: "postgresql://milter@%2Frun%2Fpostgresql:5433/giftcard")
        #expect(encoded.endpoint == .unixSocket(path: "/run/postgresql/.s.PGSQL.5433"))
        #expect(tcp.description == "postgresql://giftcard@db.example.org:6543/state?sslmode=verify-full")
    }

    @Test func refusesAPasswordInTheURIWithoutRepeatingIt() {
        do {
            _ = try PostgresLocation(parsing: "postgresql://giftcard:s3cret@db/giftcard")
            Issue.record("a password in the URI was accepted")
        } catch {
            #expect(error.description.contains("StateDatabasePasswordFile"))
            #expect(!error.description.contains("s3cret"))
        }
    }

    @Test func refusesWhatItCannotHonour() {
        for bad in ["mysql://u@h/d", "postgresql://h/d", "postgresql://u@h/", "postgresql://u@h/d?sslmode=allow",
                    "postgresql://u@h/d?application_name=x", "postgresql://u@/d?host=/run/postgresql&sslmode=require"] {
            #expect(throws: PostgresLocation.Invalid.self, "\(bad)") { try PostgresLocation(parsing: bad) }
        }
    }

    @Test func aPasswordFileOthersCanReadIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gcm-pw-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data("secret\nignored\n".utf8), attributes: [.posixPermissions: 0o644]))
        #expect(throws: PostgresLocation.Invalid.self) { try PostgresLocation.password(fromFile: path) }
        chmod(path, 0o640)
        #expect(try PostgresLocation.password(fromFile: path) == "secret")
    }
}
