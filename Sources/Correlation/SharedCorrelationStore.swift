import Detection
import Foundation
import Synchronization

/// The daemon's store when `StateDatabase` is set: the state shared with the other mail servers, with
/// this host's own memory behind it, so that no message waits on or is lost to the database.
///
/// Every confirmation is also counted in memory. While the shared store answers, its count is the
/// verdict's; when it fails (down, slower than `StateTimeout`, login refused), the message is judged
/// with this host's count and the last incidents it read, `report` is told the cause, and for a short
/// pause messages do not wait on it at all. After the pause one message tries again (the client has
/// meanwhile been reconnecting by itself); when it answers, sharing resumes and `report` says so.
/// Counts made in memory during an outage stay on this host: they are not replayed into the shared store.
public final class SharedCorrelationStore: CorrelationStore {
    public let shared: any CorrelationStore
    private let local: any CorrelationStore
    private let report: @Sendable (Problem) -> Void
    private let pause: TimeInterval
    private let incidentRefresh: TimeInterval
    private let state = Mutex(Health())

    /// What `report` is told: a failure (the daemon logs it at most once a minute) or the recovery.
    public enum Problem: Sendable, Equatable {
        case failing(cause: String)
        case recovered(after: TimeInterval)
    }

    private struct Health {
        var failingSince: Date?
        /// Before the shared store first answered (`joined()`): no message waits on it.
        var joining = false
        var cause = ""
        var retryAt = Date.distantPast
        var incidents: [DeclaredIncident] = []
        var incidentsRead = Date.distantPast
    }

    /// - Parameter joining: true when the shared store is still being reached (the daemon connects and
    ///   migrates in the background at start): until `joined()`, every message is judged from this host's
    ///   memory without waiting.
    public init(shared: any CorrelationStore, local: any CorrelationStore, pause: TimeInterval = 2, incidentRefresh: TimeInterval = 2,
                joining: Bool = false, report: @escaping @Sendable (Problem) -> Void) {
        self.shared = shared
        self.incidentRefresh = incidentRefresh
        self.local = local
        self.pause = pause
        self.report = report
        if joining {
            state.withLock { health in
                health.joining = true
                health.failingSince = Date()
                health.cause = "not reached yet since start"
            }
        }
    }

    /// The shared store answered for the first time: messages use it from now on.
    public func joined() {
        state.withLock { health in
            health.joining = false
            health.failingSince = nil
            health.retryAt = .distantPast
            health.incidentsRead = .distantPast
        }
    }

    /// Why the background join has not succeeded yet (what messages say meanwhile).
    public func stillJoining(because cause: String) {
        state.withLock { health in if health.joining { health.cause = cause } }
    }

    public var degradedReason: String? {
        state.withLock { health in
            health.failingSince.map { "shared state unavailable since \($0.formatted(.iso8601)) (\(health.cause)); this host's memory used" }
        }
    }

    public func recordConfirmation(fingerprint: String, recipients: [String], at time: Date, window: TimeInterval) throws -> Int {
        // This host's count is kept even while the shared one answers, so an outage starts from it.
        let mine = Result { try local.recordConfirmation(fingerprint: fingerprint, recipients: recipients, at: time, window: window) }
        guard mayTry() else { return try mine.get() }
        do {
            let all = try shared.recordConfirmation(fingerprint: fingerprint, recipients: recipients, at: time, window: window)
            succeeded()
            return all
        } catch {
            failed(error)
            return try mine.get()
        }
    }

    /// Re-read at most every `incidentRefresh` seconds (2 by default): an incident declared on any host
    /// applies everywhere within that, and a message in between asks nothing of the database.
    public func activeIncidents(at time: Date) throws -> [DeclaredIncident] {
        let now = Date()
        // One message re-reads; the others meanwhile use the list read before.
        let (known, due) = state.withLock { health in
            let due = now.timeIntervalSince(health.incidentsRead) >= incidentRefresh
            if due { health.incidentsRead = now }
            return (health.incidents, due)
        }
        guard due, mayTry() else { return known.filter { $0.starts <= time && time <= $0.ends } }
        do {
            let current = try shared.activeIncidents(at: time)
            state.withLock { $0.incidents = current }
            succeeded()
            return current.filter { $0.starts <= time && time <= $0.ends }
        } catch {
            failed(error)
            return known.filter { $0.starts <= time && time <= $0.ends }
        }
    }

    private func mayTry() -> Bool {
        let now = Date()
        return state.withLock { health in
            guard !health.joining else { return false }
            guard health.failingSince != nil else { return true }
            guard now >= health.retryAt else { return false }
            // One message tries; the others keep going from memory until it has an answer.
            health.retryAt = now.addingTimeInterval(pause)
            return true
        }
    }

    private func succeeded() {
        let recoveredAfter: TimeInterval? = state.withLock { health in
            guard let since = health.failingSince else { return nil }
            health.failingSince = nil
            return Date().timeIntervalSince(since)
        }
        if let recoveredAfter { report(.recovered(after: recoveredAfter)) }
    }

    private func failed(_ error: any Error) {
        let cause = "\(error)"
        let now = Date()
        state.withLock { health in
            if health.failingSince == nil { health.failingSince = now }
            health.cause = cause
            health.retryAt = now.addingTimeInterval(pause)
        }
        report(.failing(cause: cause))
    }
}
