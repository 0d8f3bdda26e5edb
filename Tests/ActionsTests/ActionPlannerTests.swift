import Foundation
import Testing
import Actions
import Detection
import MailView

/// The planner alone: what it asks of the MTA for a judged message, in which order, and what it logs.
@Suite struct ActionPlannerTests {
    static let scam = """
    From: "Amazon.com" <orders@amazon-giftcards-support.com>\r
    To: alice@example.org\r
    Subject: Your Amazon.com order of Google Play gift cards\r
    Message-ID: <plan@example>\r
    Content-Type: text/plain; charset=utf-8\r
    \r
    Dear Amazon customer,\r
    Thank you for purchasing Google Play gift cards from Amazon.com. Order total: $500.00.\r
    If you did not make this purchase, call us immediately at +1 (888) 555-0134 to cancel.\r

    """

    let raw = RawMessage(parsing: Array(scam.utf8))
    let detector = Detector(trustedAuthservIDs: ["mx.example.org"])

    func planner(_ policies: [VerdictKind: VerdictPolicy], networks: String = "") throws -> ActionPlanner {
        ActionPlanner(policies: PolicySettings(policies: policies, internalNetworks: try NetworkList(parsing: networks)),
                      banner: BannerSettings(key: Array("planner test key".utf8)), version: "test")
    }

    func message(envelope: Envelope = Envelope(sender: "s@example.net", recipients: ["alice@example.org"], clientAddress: "198.51.100.7"),
                 wholeBody: Bool = true, forged: [String: Int32] = [:]) -> ActionPlanner.Message {
        // A body past the whole-body limit is held only as inspected, as the session holds it.
        let raw = wholeBody ? raw : RawMessage(parsing: Array(Self.scam.utf8), keepingWholeBodyUpTo: 16)
        let judgement = detector.judge(lazily: MessageParser.parse(raw, details: false), envelope: envelope)
        return ActionPlanner.Message(view: judgement.view, verdict: judgement.verdict, envelope: envelope, queueID: "Q1", raw: raw,
                                     forgedCounts: forged)
    }

    func kinds(_ steps: [ActionStep]) -> [String] {
        steps.map { step in
            switch step {
            case .deleteHeader(let name, let index): "delete \(name)[\(index)]"
            case .insertHeader(_, let name, _): "insert \(name)"
            case .changeHeader(let name, _, _): "change \(name)"
            case .addHeader(let name, _): "add \(name)"
            case .replaceBody: "body"
            case .quarantine: "quarantine"
            case .setReply(let code, _, _): "reply \(code)"
            }
        }
    }

    @Test func aBanneredScamRemovesForgedCopiesStampsThenReplacesTheBody() throws {
        let plan = try planner([.suspicious: .banner]).plan(message(forged: ["X-GiftCard-Verdict": 2]))
        #expect(plan.policy == .banner)
        #expect(plan.disposition == .deliver)
        #expect(kinds(plan.steps) == ["delete X-GiftCard-Verdict[2]", "delete X-GiftCard-Verdict[1]", "insert X-GiftCard-Report",
                                      "insert X-GiftCard-Score", "insert X-GiftCard-Verdict", "body"])
        guard case .replaceBody(let body) = plan.steps.last else { Issue.record("no body step"); return }
        #expect(String(decoding: body, as: UTF8.self).hasPrefix("Warning: Amazon did not send this gift-card message."))
        #expect(String(decoding: body, as: UTF8.self).hasSuffix("to cancel.\r\n"))
        #expect(plan.logLine.hasPrefix("verdict=suspicious"))
        #expect(plan.logLine.hasSuffix("action=banner, banner=placed, removed=2"))
        #expect(plan.audit.action == "banner" && plan.audit.banner == "placed" && plan.audit.version == "test")
    }

    @Test func aBodyTooLargeForTheBannerGetsHeadersOnly() throws {
        let plan = try planner([.suspicious: .banner]).plan(message(wholeBody: false))
        #expect(plan.banner == .skipped(.tooLarge))
        #expect(!kinds(plan.steps).contains("body"))
        #expect(kinds(plan.steps).contains("insert X-GiftCard-Verdict"))
    }

    @Test func rejectAndTempfailAnswerWithAReplyOnly() throws {
        let rejected = try planner([.suspicious: .reject]).plan(message())
        #expect(kinds(rejected.steps) == ["reply 550"])
        #expect(rejected.disposition == .reject)
        let deferred = try planner([.suspicious: .tempfail]).plan(message())
        #expect(kinds(deferred.steps) == ["reply 451"])
        #expect(deferred.disposition == .tempfail)
    }

    @Test func quarantineStampsAndHoldsTheMessage() throws {
        let plan = try planner([.suspicious: .quarantine]).plan(message())
        #expect(kinds(plan.steps).last == "quarantine")
        #expect(plan.disposition == .deliver)
    }

    @Test func internalClientsAndAuthenticatedSendersAreLoweredToHeaders() throws {
        let inside = try planner([.suspicious: .reject], networks: "198.51.100.0/24").plan(message())
        #expect(inside.policy == .header && inside.exemption == "internal-network")
        #expect(inside.logLine.hasSuffix("action=header, exempt=internal-network"))
        let submitted = try planner([.suspicious: .reject]).plan(message(envelope: Envelope(sender: "s@x", authenticatedUser: "alice")))
        #expect(submitted.exemption == "authenticated")
        #expect(!kinds(submitted.steps).contains("reply 550"))
    }

    @Test func theSamePlanComesFromTheSameMessage() throws {
        let planner = try planner([.suspicious: .banner])
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        var first = message()
        first.time = time
        let a = planner.plan(first), b = planner.plan(first)
        #expect(a.steps == b.steps)
        #expect(a.logLine == b.logLine)
        #expect(a.audit.time == b.audit.time)
    }
}
