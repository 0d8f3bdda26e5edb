import Detection
import Foundation

/// State shared across messages: which confirmations reached which recipients, and when, and the
/// incidents the postmaster declared. Detection asks it for those facts (`CorrelationFacts`) and turns
/// them into the verdict itself. The protocol speaks only of opaque fingerprints and recipient keys, so
/// a store shared by several mail servers (PostgreSQL, a later issue) can implement it unchanged.
/// Stores may cache incidents for a few seconds; a newly declared incident must be seen without a restart.
public protocol CorrelationStore: CorrelationFacts {
    /// Why this store currently answers from somewhere other than where it should (a shared database
    /// it cannot reach), for the audit record; nil when all is well.
    var degradedReason: String? { get }
}

extension CorrelationStore {
    public var degradedReason: String? { nil }
}

/// Where the postmaster's declared incidents are kept (`giftcard-milter incident`).
public protocol IncidentStore: Sendable {
    /// Declares an incident; returns its id.
    @discardableResult func addIncident(_ incident: DeclaredIncident) throws -> Int64
    /// Ends an incident early; false when there is none with that id.
    @discardableResult func removeIncident(id: Int64) throws -> Bool
    /// Every declared incident, by id.
    func listIncidents() throws -> [DeclaredIncident]
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
