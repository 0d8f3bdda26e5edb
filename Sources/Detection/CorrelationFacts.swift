import Foundation

/// What is known across messages, as detection asks for it: the incidents a postmaster declared, and
/// how many people the same confirmation has reached. `Correlation`'s stores provide it; detection only
/// asks, so the rules that turn those facts into a verdict stay here, with the other rules.
public protocol CorrelationFacts: Sendable {
    /// Records that a confirmation with `fingerprint` reached `recipients` at `time`, and returns how many
    /// distinct recipients it has reached within `window` seconds before `time`, these included.
    func recordConfirmation(fingerprint: String, recipients: [String], at time: Date, window: TimeInterval) throws -> Int

    /// Incidents the postmaster declared that are in force at `time`.
    func activeIncidents(at time: Date) throws -> [DeclaredIncident]
}

/// When the same confirmation is bulk: `recipients` distinct people within `window` seconds.
public struct BulkRule: Sendable, Equatable {
    public var recipients: Int
    public var window: TimeInterval

    public init(recipients: Int = 10, window: TimeInterval = 3600) {
        self.recipients = recipients
        self.window = window
    }
}
