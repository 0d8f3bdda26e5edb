import Foundation
import MailView

/// An incident the postmaster declared: mail from a sender domain, optionally containing a phrase,
/// within a time window, is known to have been sent in error. The explanation goes into the banner.
public struct DeclaredIncident: Sendable, Equatable, Codable {
    public var id: Int64
    /// The sender's domain; its subdomains match too.
    public var senderDomain: String
    /// Words the message must contain (matched on normalized text); empty matches every message.
    public var phrase: String
    public var starts: Date
    public var ends: Date
    public var explanation: String

    public init(id: Int64 = 0, senderDomain: String, phrase: String, starts: Date, ends: Date, explanation: String) {
        self.id = id
        self.senderDomain = senderDomain.lowercased()
        self.phrase = phrase
        self.starts = starts
        self.ends = ends
        self.explanation = explanation
    }

    /// True when the incident covers this message at `time`: the From domain is the incident's (or
    /// below it) and the phrase, if any, is in the text.
    public func covers(_ view: MessageView, at time: Date) -> Bool {
        guard starts <= time, time <= ends, let domain = view.from?.domain, !domain.isEmpty,
              Brand.isSameOrSubdomain(domain, of: senderDomain) else { return false }
        let wanted = TextNormalizer.normalize(phrase)
        return wanted.isEmpty || view.normalizedText.contains(wanted)
    }
}

extension Reason {
    /// The postmaster declared an incident covering this sender and wording.
    public static let declaredIncident = Reason(rawValue: "declared-incident")
}

extension Detector {
    /// Makes an authenticated message covered by a declared incident `erroneous`, with the incident's
    /// explanation. Mail that is not authenticated for its From domain is left as it is: a spoof sent
    /// during an incident is still a spoof.
    public func applyIncidents(_ verdict: Verdict, view: MessageView, envelope: Envelope = Envelope(), incidents: [DeclaredIncident],
                               at time: Date) -> Verdict {
        guard verdict.kind != .suspicious, let domain = view.from?.domain, authenticated(domain: domain, in: view, envelope: envelope),
              let incident = incidents.first(where: { $0.covers(view, at: time) }) else { return verdict }
        var result = verdict
        result.kind = .erroneous
        if !result.reasons.contains(.declaredIncident) { result.reasons.append(.declaredIncident) }
        result.score = max(result.score, scores[.declaredIncident])
        result.explanation = incident.explanation
        return result
    }
}
