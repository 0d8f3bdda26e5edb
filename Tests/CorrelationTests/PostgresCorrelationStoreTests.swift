import Detection
import Foundation
import Logging
import Synchronization
import Testing
@testable import Correlation

/// The SQL layer of the shared store, against a real PostgreSQL (`TestPostgres`).
@Suite(.serialized, .enabled(if: TestPostgres.reachable, TestPostgres.skipReason)) struct PostgresCorrelationStoreTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theSchemaIsCreatedOnceEvenWhenSeveralHostsStartTogether() async throws {
        try await TestPostgres.offThePool {
            let stores = try (0..<4).map { _ in try TestPostgres.store() }
            let results = Mutex<[Result<Int, any Error>]>([])
            DispatchQueue.concurrentPerform(iterations: stores.count) { index in
                let result = Result { try stores[index].migrate().to }
                results.withLock { $0.append(result) }
            }
            for result in results.withLock({ $0 }) { #expect(try result.get() == PostgresCorrelationStore.currentSchemaVersion) }
            #expect(try stores[0].schemaVersion() == PostgresCorrelationStore.currentSchemaVersion)
            // Nothing left to migrate: the versions before and after are the current one.
            let again = try stores[1].migrate()
            #expect(again.from == again.to)
        }
    }

    @Test func countsDistinctRecipientsWithinTheWindow() async throws {
        try await TestPostgres.offThePool {
            let store = try TestPostgres.store()
            let f = TestPostgres.fingerprint(), g = TestPostgres.fingerprint()
            #expect(try store.recordConfirmation(fingerprint: f, recipients: ["a@x"], at: start, window: 3600) == 1)
            #expect(try store.recordConfirmation(fingerprint: f, recipients: ["b@x", "c@x", "b@x"], at: start + 60, window: 3600) == 3)
            #expect(try store.recordConfirmation(fingerprint: f, recipients: ["A@X"], at: start + 120, window: 3600) == 3)
            #expect(try store.recordConfirmation(fingerprint: g, recipients: ["a@x"], at: start + 120, window: 3600) == 1)
            // a@x was seen again at +120, b@x and c@x at +60: at +3670 only a@x is still in the window.
            #expect(try store.recordConfirmation(fingerprint: f, recipients: ["d@x"], at: start + 3700, window: 3600) == 2)
        }
    }

    /// Two mail servers, two clients: what one records the other counts.
    @Test func twoHostsCountTogether() async throws {
        try await TestPostgres.offThePool {
            let first = try TestPostgres.store(), second = try TestPostgres.store()
            let f = TestPostgres.fingerprint()
            for index in 0..<10 {
                let host = index.isMultiple(of: 2) ? first : second
                #expect(try host.recordConfirmation(fingerprint: f, recipients: ["reader\(index)@example.org"], at: start + Double(index), window: 3600)
                        == index + 1)
            }
        }
    }

    /// Many sessions (on several hosts) record the same confirmation at once: each recipient is counted
    /// once, and because recordings of one fingerprint take turns, the counts they are told are exactly
    /// 1…N, so exactly one message sees the threshold reached.
    @Test func concurrentRecordingsCountEachRecipientOnceAndTakeTurns() async throws {
        try await TestPostgres.offThePool {
            let hosts = try (0..<3).map { _ in try TestPostgres.store(timeout: .seconds(20)) }
            let f = TestPostgres.fingerprint()
            let counts = Mutex<[Int]>([])
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 60) { index in
                // Recipients 0…39; the last 20 sessions repeat earlier recipients.
                let recipient = "reader\(index % 40)@example.org"
                do {
                    let count = try hosts[index % 3].recordConfirmation(fingerprint: f, recipients: [recipient], at: start, window: 3600)
                    if index < 40 { counts.withLock { $0.append(count) } }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
            #expect(try hosts[0].recordConfirmation(fingerprint: f, recipients: [], at: start, window: 3600) == 40)
            // The first 40 sessions may interleave with the repeats, but a new recipient always adds one.
            #expect(Set(counts.withLock { $0 }).count == 40)
        }
    }

    @Test func expiryDeletesOnlyOldSightings() async throws {
        try await TestPostgres.offThePool {
            let store = try TestPostgres.store(retention: 3600)
            let f = TestPostgres.fingerprint()
            let now = Date()
            _ = try store.recordConfirmation(fingerprint: f, recipients: ["old@x"], at: now - 7200, window: 60)
            _ = try store.recordConfirmation(fingerprint: f, recipients: ["new@x"], at: now - 60, window: 60)
            #expect(try store.expire(now: now) >= 1)
            // With a window reaching back past both, only the recent one remains.
            #expect(try store.recordConfirmation(fingerprint: f, recipients: [], at: now, window: 86_400) == 1)
        }
    }

    /// Declared on one host, seen by another at its next read, removed likewise.
    @Test func incidentsAreSharedBetweenHosts() async throws {
        try await TestPostgres.offThePool {
            let cli = try TestPostgres.store(), daemon = try TestPostgres.store()
            let domain = "shared-\(UUID().uuidString.prefix(8).lowercased()).example"
            let now = Date()
            #expect(try daemon.activeIncidents(at: now).allSatisfy { $0.senderDomain != domain })
            let id = try cli.addIncident(DeclaredIncident(senderDomain: domain, phrase: "gift card", starts: now - 60, ends: now + 3600,
                                                          explanation: "the retailer's mistaken mailing"))
            #expect(try cli.listIncidents().contains { $0.id == id && $0.senderDomain == domain && $0.phrase == "gift card" })
            let seen = try eventually { try daemon.activeIncidents(at: Date()).contains { $0.id == id } }
            #expect(seen)
            #expect(try cli.removeIncident(id: id))
            #expect(try !cli.removeIncident(id: id))
            let gone = try eventually { try !daemon.activeIncidents(at: Date()).contains { $0.id == id } }
            #expect(gone)
        }
    }

    /// Nothing listens: the call gives up at its timeout with the cause, it does not hang.
    @Test func anUnreachableServerFailsWithinTheTimeout() async throws {
        try await TestPostgres.offThePool {
            let store = try PostgresCorrelationStore(location: TestPostgres.nowhere, password: "x", timeout: .milliseconds(200),
                                                     logger: TestPostgres.quiet)
            let began = ContinuousClock.now
            #expect(throws: PostgresCorrelationStore.StoreFailure.self) {
                try store.recordConfirmation(fingerprint: "f", recipients: ["a@x"], at: start, window: 3600)
            }
            #expect(ContinuousClock.now - began < .seconds(3))
        }
    }

    /// A refused login is reported with the server's reason (found by a probe outside the pool).
    @Test func aRefusedLoginIsReportedWithItsCause() async throws {
        try await TestPostgres.offThePool {
            let (location, _) = try TestPostgres.server.get()
            let store = try PostgresCorrelationStore(location: location, password: "not-the-password", timeout: .milliseconds(300),
                                                     logger: TestPostgres.quiet)
            let cause = try eventually(seconds: 10) { () -> Bool in
                do {
                    _ = try store.recordConfirmation(fingerprint: "f", recipients: ["a@x"], at: start, window: 3600)
                    return false
                } catch let failure as PostgresCorrelationStore.StoreFailure {
                    return failure.cause.contains("password authentication failed")
                }
            }
            #expect(cause)
        }
    }

    /// Polls `condition` until it holds or `seconds` pass.
    private func eventually(seconds: Double = 5, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date() + seconds
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }
}
