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
