import Detection
import Foundation

/// State shared across messages: which confirmations reached which recipients, and when.
///
/// Detection stays pure; the scanner asks the store and hands the counts to the detector. The protocol
/// speaks only of opaque fingerprints and recipient keys, so a store shared by several mail servers
/// (PostgreSQL, a later issue) can implement it unchanged.
public protocol CorrelationStore: Sendable {
    /// Records that a confirmation with `fingerprint` reached `recipients` at `time`, and returns how many
    /// distinct recipients it has reached within `window` seconds before `time`, these included.
    func recordConfirmation(fingerprint: String, recipients: [String], at time: Date, window: TimeInterval) throws -> Int

    /// Incidents the postmaster declared that are in force at `time`. Stores may cache them for a few
    /// seconds; a newly declared incident must be seen without a restart.
    func activeIncidents(at time: Date) throws -> [DeclaredIncident]
}

/// Keys stored for recipients: a stable hash of the lower-cased address, so the state file does not
/// hold a list of addresses. Collisions merely merge two recipients' counts.
public enum RecipientKey {
    public static func of(_ address: String) -> String { StableHash.address(address) }
}

/// A store that remembers nothing: every confirmation is seen by one recipient only.
public struct NoCorrelationStore: CorrelationStore {
    public init() {}
    public func recordConfirmation(fingerprint: String, recipients: [String], at time: Date, window: TimeInterval) throws -> Int {
        Set(recipients.map(RecipientKey.of)).count
    }

    public func activeIncidents(at time: Date) throws -> [DeclaredIncident] { [] }
}
