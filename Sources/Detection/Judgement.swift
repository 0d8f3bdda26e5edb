import Foundation
import MailView

/// A finished verdict, the view it was made on, and why the correlation facts could not be had, if so.
public struct Judgement: Sendable {
    public var verdict: Verdict
    public var view: MessageView
    /// Why correlation could not be asked for this message (it was judged without that fact).
    public var correlationError: String?
}

extension Detector {
    /// The whole judgement of one message: the rules on the view (its details added only when it may
    /// concern gift cards), then the cross-message facts: a declared incident covering an authenticated
    /// brand's mail makes it `erroneous`; an authenticated confirmation is recorded and becomes
    /// `erroneous` once the same one has reached `bulk.recipients` people. A failing fact source is
    /// noted, not fatal: the message is judged without that fact.
    public func judge(lazily view: MessageView, envelope: Envelope = Envelope(), facts: (any CorrelationFacts)? = nil,
                      bulk: BulkRule = BulkRule(), at time: Date = Date()) -> Judgement {
        var (verdict, view) = evaluate(lazily: view, envelope: envelope)
        var correlationError: String?
        guard let facts else { return Judgement(verdict: verdict, view: view) }
        do {
            let incidents = try facts.activeIncidents(at: time)
            if !incidents.isEmpty {
                // An incident's phrase is looked for in the whole text.
                MessageParser.readRest(of: &view)
                verdict = applyIncidents(verdict, view: view, envelope: envelope, incidents: incidents, at: time)
            }
        } catch {
            correlationError = "\(error)"
        }
        if verdict.reasons.contains(.brandAuthenticated) {
            let fingerprint = ConfirmationFingerprint.of(view, brand: verdict.brand, lexicon: lexicon)
            let recipients = envelope.recipients.isEmpty ? view.toAddresses : envelope.recipients
            do {
                let reached = try facts.recordConfirmation(fingerprint: fingerprint, recipients: recipients, at: time, window: bulk.window)
                verdict = applyBulk(verdict, recipients: reached, threshold: bulk.recipients)
            } catch {
                correlationError = "\(error)"
            }
        }
        return Judgement(verdict: verdict, view: view, correlationError: correlationError)
    }
}
