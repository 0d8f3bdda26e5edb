import Correlation
import Detection
import Foundation
import MailView

/// The one pipeline from raw message to verdict, shared by the daemon and `giftcard-milter check`.
public struct MessageScanner: Sendable {
    public let detector: Detector
    public let limits: MessageLimits
    /// Cross-message state; nil runs every message on its own.
    public let store: (any CorrelationStore)?
    public let bulkRecipients: Int
    public let bulkWindow: TimeInterval
    /// Why the state is kept in memory instead of `StateDirectory`, when it is (said in each audit record).
    public let stateFallback: String?

    public init(configuration: Configuration, store: (any CorrelationStore)? = nil, stateFallback: String? = nil) {
        detector = Detector(brands: configuration.brands, trustedAuthservIDs: Set(configuration.trustedAuthservIDs),
                            organizationDomains: configuration.organizationDomains)
        limits = configuration.limits
        self.store = store
        bulkRecipients = configuration.bulkRecipients
        bulkWindow = configuration.bulkWindow
        self.stateFallback = stateFallback
    }

    public struct Result: Sendable {
        public var view: MessageView
        public var verdict: Verdict
        /// Wall time spent parsing and detecting, in milliseconds.
        public var milliseconds: Double
        /// Why the correlation state could not be used for this message, if it could not.
        public var correlationError: String?
        /// Where correlation stood for this message when not in its state file: `unavailable: …` (this
        /// message was judged without it) or `memory: …` (kept in memory since start); nil otherwise.
        public var correlationState: String?
    }

    /// Parses and judges one message; authenticated brand confirmations are also recorded in the
    /// correlation state, and judged `erroneous` once the same one has reached `bulkRecipients` people.
    public func scan(_ raw: RawMessage, envelope: Envelope, at time: Date = Date()) -> Result {
        let start = ContinuousClock.now
        var (verdict, view) = detector.evaluate(lazily: MessageParser.parse(raw, limits: limits, details: false), envelope: envelope)
        var correlationError: String?
        if let store {
            do {
                let incidents = try store.activeIncidents(at: time)
                if !incidents.isEmpty { verdict = detector.applyIncidents(verdict, view: view, incidents: incidents, at: time) }
            } catch {
                correlationError = "\(error)"
            }
        }
        if let store, verdict.reasons.contains(.brandAuthenticated) {
            let fingerprint = ConfirmationFingerprint.of(view, brand: verdict.brand, lexicon: detector.lexicon)
            let recipients = envelope.recipients.isEmpty ? view.toAddresses : envelope.recipients
            do {
                let reached = try store.recordConfirmation(fingerprint: fingerprint, recipients: recipients, at: time, window: bulkWindow)
                verdict = detector.applyBulk(verdict, recipients: reached, threshold: bulkRecipients)
            } catch {
                correlationError = "\(error)"
            }
        }
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let state = correlationError.map { "unavailable: \($0)" } ?? stateFallback.map { "memory: \($0)" }
        return Result(view: view, verdict: verdict, milliseconds: ms, correlationError: correlationError, correlationState: state)
    }
}

extension MessageScanner.Result {
    /// `verdict=…, score=…, brand=…, lang=…, reasons=…`: the Postfix-style key=value summary.
    public var summary: String {
        let reasons = verdict.reasons.map(\.rawValue).joined(separator: ",")
        return "verdict=\(verdict.kind.rawValue), score=\(verdict.score), brand=\(verdict.brand ?? "none"), "
            + "lang=\(verdict.language), reasons=\(reasons.isEmpty ? "none" : reasons)"
    }
}
