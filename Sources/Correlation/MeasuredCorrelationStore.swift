import CoreMetrics
import Detection
import Foundation

/// A correlation store with its latency and failures counted (swift-metrics, through the factory the
/// daemon made for `MetricsListen`): `giftcard_state_seconds{store,operation}` and
/// `giftcard_state_errors_total{store,operation}`. Answers and errors pass through unchanged, so a
/// shared store's fallback behind it behaves as before.
public struct MeasuredCorrelationStore: CorrelationStore {
    public let inner: any CorrelationStore
    private let record: (timer: CoreMetrics.Timer, errors: Counter)
    private let incidents: (timer: CoreMetrics.Timer, errors: Counter)

    /// `store` names the backend in the labels: `sqlite` or `postgresql`.
    public init(_ inner: any CorrelationStore, store: String, factory: any MetricsFactory) {
        self.inner = inner
        func pair(_ operation: String) -> (CoreMetrics.Timer, Counter) {
            let labels = [("store", store), ("operation", operation)]
            return (CoreMetrics.Timer(label: Self.latency, dimensions: labels, factory: factory),
                    Counter(label: "giftcard_state_errors_total", dimensions: labels, factory: factory))
        }
        record = pair("record")
        incidents = pair("incidents")
    }

    /// The latency histogram's name (the daemon gives it sub-millisecond buckets).
    public static let latency = "giftcard_state_seconds"

    public var degradedReason: String? { inner.degradedReason }

    public func recordConfirmation(fingerprint: String, recipients: [String], at time: Date, window: TimeInterval) throws -> Int {
        try measured(record) { try inner.recordConfirmation(fingerprint: fingerprint, recipients: recipients, at: time, window: window) }
    }

    public func activeIncidents(at time: Date) throws -> [DeclaredIncident] {
        try measured(incidents) { try inner.activeIncidents(at: time) }
    }

    private func measured<T>(_ metrics: (timer: CoreMetrics.Timer, errors: Counter), _ body: () throws -> T) throws -> T {
        let start = ContinuousClock.now
        defer { metrics.timer.recordInterval(since: start) }
        do { return try body() } catch {
            metrics.errors.increment()
            throw error
        }
    }
}

extension CoreMetrics.Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
