import Detection
import Foundation

/// A correlation store with its latency and failures reported to an observer per operation (the daemon's
/// metrics: `giftcard_state_seconds{store,operation}` and `giftcard_state_errors_total{store,operation}`).
/// Answers and errors pass through unchanged, so a shared store's fallback behind it behaves as before.
public struct MeasuredCorrelationStore: CorrelationStore {
    /// What one operation's calls are reported to: each call's duration, and each failure.
    public struct Observer: Sendable {
        public var latency: @Sendable (Duration) -> Void
        public var failed: @Sendable () -> Void

        public init(latency: @escaping @Sendable (Duration) -> Void, failed: @escaping @Sendable () -> Void) {
            self.latency = latency
            self.failed = failed
        }
    }

    public let inner: any CorrelationStore
    private let record: Observer
    private let incidents: Observer

    public init(_ inner: any CorrelationStore, record: Observer, incidents: Observer) {
        self.inner = inner
        self.record = record
        self.incidents = incidents
    }

    public var degradedReason: String? { inner.degradedReason }

    public func recordConfirmation(fingerprint: String, recipients: [String], at time: Date, window: TimeInterval) throws -> Int {
        try measured(record) { try inner.recordConfirmation(fingerprint: fingerprint, recipients: recipients, at: time, window: window) }
    }

    public func activeIncidents(at time: Date) throws -> [DeclaredIncident] {
        try measured(incidents) { try inner.activeIncidents(at: time) }
    }

    private func measured<T>(_ observer: Observer, _ body: () throws -> T) throws -> T {
        let start = ContinuousClock.now
        defer { observer.latency(ContinuousClock.now - start) }
        do { return try body() } catch {
            observer.failed()
            throw error
        }
    }
}
