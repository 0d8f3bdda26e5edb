import Foundation
import Testing
@testable import Correlation

@Suite struct SQLiteCorrelationStoreTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func countsDistinctRecipientsWithinTheWindow() throws {
        let store = try SQLiteCorrelationStore(path: nil)
        #expect(try store.recordConfirmation(fingerprint: "f", recipients: ["a@x"], at: start, window: 3600) == 1)
        #expect(try store.recordConfirmation(fingerprint: "f", recipients: ["b@x", "c@x"], at: start + 60, window: 3600) == 3)
        // The same recipient again does not count twice; case does not matter.
        #expect(try store.recordConfirmation(fingerprint: "f", recipients: ["A@X"], at: start + 120, window: 3600) == 3)
        // Another fingerprint is counted apart.
        #expect(try store.recordConfirmation(fingerprint: "g", recipients: ["a@x"], at: start + 120, window: 3600) == 1)
        // Outside the window the early sightings no longer count.
        #expect(try store.recordConfirmation(fingerprint: "f", recipients: ["d@x"], at: start + 3700, window: 3600) == 2)
    }

    @Test func survivesReopening() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gcm-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let store = try SQLiteCorrelationStore(path: path)
            _ = try store.recordConfirmation(fingerprint: "f", recipients: ["a@x", "b@x"], at: start, window: 3600)
        }
        let reopened = try SQLiteCorrelationStore(path: path)
        #expect(try reopened.recordConfirmation(fingerprint: "f", recipients: ["c@x"], at: start + 1, window: 3600) == 3)
    }

    /// A store damaged in the middle opens in SQLite but is refused at once, so the daemon says so and
    /// correlates in memory instead of failing at every message.
    @Test func aDamagedStoreIsRefusedAtOpening() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gcm-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let store = try SQLiteCorrelationStore(path: path)
            for index in 0..<2000 {
                _ = try store.recordConfirmation(fingerprint: "fingerprint-\(index)", recipients: ["reader\(index)@example.org"],
                                                 at: start, window: 3600)
            }
        }
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let size = try handle.seekToEnd()
        #expect(size > 4 * 4096)
        // Garbage over the pages after the first: the header still reads, the tree does not.
        try handle.seek(toOffset: 4096)
        handle.write(Data(repeating: 0xA5, count: Int(size) - 2 * 4096))
        try handle.close()
        #expect(throws: (any Error).self) { try SQLiteCorrelationStore(path: path) }
    }

    @Test func pruningBoundsTheStore() throws {
        let store = try SQLiteCorrelationStore(path: nil, retention: 3600, maxRows: 10)
        for index in 0..<30 {
            _ = try store.recordConfirmation(fingerprint: "f\(index)", recipients: ["r@x"], at: start + Double(index), window: 60)
        }
        try store.prune(now: start + 30)
        #expect(try store.rowCount() == 10)
        try store.prune(now: start + 4000)
        #expect(try store.rowCount() == 0)
    }

    @Test func recipientsAreStoredAsKeys() {
        #expect(RecipientKey.of("Alice@Example.org") == RecipientKey.of("alice@example.org"))
        #expect(RecipientKey.of("alice@example.org") != RecipientKey.of("bob@example.org"))
        #expect(!RecipientKey.of("alice@example.org").contains("@"))
    }
}
