import Correlation
import Detection
import Foundation
import MailView

/// The one pipeline from raw message to verdict (one parse, then Detection's judgement with the
/// correlation facts), shared by the daemon and `giftcard-milter check`.
public struct MessageScanner: Sendable {
    public let detector: Detector
    public let limits: MessageLimits
    /// Cross-message state; nil runs every message on its own.
    public let store: (any CorrelationStore)?
    public let bulk: BulkRule
    /// Why the state is kept in memory instead of `StateDirectory`, when it is (said in each audit record).
    public let stateFallback: String?

    public init(configuration: Configuration, store: (any CorrelationStore)? = nil, stateFallback: String? = nil) {
        detector = Detector(brands: configuration.brands, platforms: configuration.platforms, trustedAuthservIDs: Set(configuration.trustedAuthservIDs),
                            organizationDomains: configuration.organizationDomains)
        limits = configuration.limits
        self.store = store
        bulk = configuration.bulk
        self.stateFallback = stateFallback
    }

    public struct Result: Sendable {
        public var view: MessageView
        public var verdict: Verdict
        /// Wall time spent parsing and detecting, in milliseconds.
        public var milliseconds: Double
        /// Why the correlation state could not be used for this message, if it could not.
        public var correlationError: String?
        /// Where correlation stood for this message when not in its state file or shared database; nil
        /// otherwise.
        public var correlationState: CorrelationState?
    }

    /// Parses the message once and has it judged, with the correlation state's facts.
    public func scan(_ raw: RawMessage, envelope: Envelope, at time: Date = Date()) -> Result {
        let start = ContinuousClock.now
        let judgement = detector.judge(lazily: MessageParser.parse(raw, limits: limits, details: false, screen: detector.screen), envelope: envelope,
                                       facts: store, bulk: bulk, at: time)
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let state = judgement.correlationError.map(CorrelationState.unavailable)
            ?? (stateFallback ?? store?.degradedReason).map(CorrelationState.memory)
        return Result(view: judgement.view, verdict: judgement.verdict, milliseconds: ms, correlationError: judgement.correlationError,
                      correlationState: state)
    }
}
