import Detection
import Foundation
import MailView

/// The one pipeline from raw message to verdict, shared by the daemon and `giftcard-milter check`.
public struct MessageScanner: Sendable {
    public let detector: Detector
    public let limits: MessageLimits

    public init(configuration: Configuration) {
        detector = Detector(brands: configuration.brands, trustedAuthservIDs: Set(configuration.trustedAuthservIDs))
        limits = configuration.limits
    }

    public struct Result: Sendable {
        public var view: MessageView
        public var verdict: Verdict
        /// Wall time spent parsing and detecting, in milliseconds.
        public var milliseconds: Double
    }

    public func scan(_ raw: RawMessage, envelope: Envelope) -> Result {
        let start = ContinuousClock.now
        let view = MessageParser.parse(raw, limits: limits)
        let verdict = detector.evaluate(view, envelope: envelope)
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return Result(view: view, verdict: verdict, milliseconds: ms)
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
