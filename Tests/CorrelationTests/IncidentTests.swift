import Detection
import Foundation
import MailView
import Testing
@testable import Correlation

@Suite struct IncidentTests {
    let now = Date()

    @Test func incidentsAreStoredListedAndRemoved() throws {
        let store = try SQLiteCorrelationStore(path: nil)
        let id = try store.addIncident(DeclaredIncident(senderDomain: "Amazon.com", phrase: "Google Play",
                                                        starts: now - 60, ends: now + 3600, explanation: "Sent in error."))
        _ = try store.addIncident(DeclaredIncident(senderDomain: "ebay.com", phrase: "", starts: now - 7200, ends: now - 3600,
                                                   explanation: "Over."))
        #expect(try store.listIncidents().count == 2)
        #expect(try store.activeIncidents(at: now).map(\.senderDomain) == ["amazon.com"])
        #expect(try store.removeIncident(id: id))
        #expect(try !store.removeIncident(id: id))
        #expect(try store.activeIncidents(at: now).isEmpty)
    }

    func view(from: String, body: String, authenticated: Bool) -> MessageView {
        let ar = authenticated ? "Authentication-Results: mx.example.org; dkim=pass header.d=amazon.com\n" : ""
        let signature = authenticated ? "DKIM-Signature: v=1; d=amazon.com; s=sel1; b=\n" : ""
        return MessageParser.parse(RawMessage(parsing: Array("\(ar)From: \(from)\nSubject: Order\n\(signature)\n\(body)".utf8)))
    }

    @Test func authenticatedMailCoveredByAnIncidentIsErroneous() {
        let detector = Detector(trustedAuthservIDs: ["mx.example.org"])
        let incident = DeclaredIncident(senderDomain: "amazon.com", phrase: "google play", starts: now - 60, ends: now + 60,
                                        explanation: "Amazon sent these confirmations in error; no action needed.")
        let body = "Hello Dana, thank you for your order 112-4455667-8899001 of a Google Play gift card of $25.00."
        let real = view(from: "auto-confirm@email.amazon.com", body: body, authenticated: true)
        let genuine = detector.evaluate(real)
        #expect(genuine.kind == .genuine)
        let covered = detector.applyIncidents(genuine, view: real, incidents: [incident], at: now)
        #expect(covered.kind == .erroneous)
        #expect(covered.reasons.contains(.declaredIncident))
        #expect(covered.explanation == incident.explanation)
        // Outside the window, or without the phrase, the incident does not apply.
        #expect(detector.applyIncidents(genuine, view: real, incidents: [incident], at: now + 3600).kind == .genuine)
        let other = view(from: "auto-confirm@amazon.com", body: body.replacingOccurrences(of: "Google Play", with: "Steam"), authenticated: true)
        #expect(detector.applyIncidents(detector.evaluate(other), view: other, incidents: [incident], at: now).kind == .genuine)
        // Unauthenticated mail during an incident is not made the brand's mistake.
        let spoof = view(from: "auto-confirm@amazon.com", body: body, authenticated: false)
        let judged = detector.applyIncidents(detector.evaluate(spoof), view: spoof, incidents: [incident], at: now)
        #expect(judged.kind != .erroneous && judged.kind != .genuine && !judged.reasons.contains(.declaredIncident))
    }
}
