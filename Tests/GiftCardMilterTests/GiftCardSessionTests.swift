import Actions
import Detection
import Foundation
import Logging
import MailView
import Milter
import Testing
@testable import GiftCardMilter

/// Records what a session asks the MTA to do, in order, and can be told to fail one action.
final class RecordingContext: MessageContext {
    var macros: [String: String] = [:]
    var actions: [String] = []
    var body: [UInt8]?
    var failing: String?

    func macro(_ name: String) -> String? { macros[name] }
    private func record(_ action: String) throws(MilterError) {
        if let failing, action.hasPrefix(failing) { throw MilterError(code: failing, detail: "refused by the test") }
        actions.append(action)
    }
    func addHeader(_ name: String, _ value: String) throws(MilterError) { try record("add \(name)") }
    func insertHeader(at index: Int32, _ name: String, _ value: String) throws(MilterError) { try record("insert \(index) \(name): \(value)") }
    func changeHeader(_ name: String, index: Int32, to value: String) throws(MilterError) { try record("change \(name)[\(index)]") }
    func deleteHeader(_ name: String, index: Int32) throws(MilterError) { try record("delete \(name)[\(index)]") }
    func replaceBody(_ body: [UInt8]) throws(MilterError) { try record("body"); self.body = body }
    func quarantine(reason: String) throws(MilterError) { try record("quarantine") }
    func setReply(code rcode: String, extended xcode: String, lines: [String]) throws(MilterError) { try record("reply \(rcode) \(xcode)") }
}

/// The milter session's behaviour without an MTA: what it edits, in which order, and when it does not.
@Suite struct GiftCardSessionTests {
    static let scam = """
    From: "Amazon.com" <orders@amazon-giftcards-support.com>\r
    To: alice@example.org\r
    Subject: Your Amazon.com order of Google Play gift cards\r
    X-GiftCard-Verdict: genuine\r
    x-giftcard-score: 0\r
    Content-Type: text/plain; charset=utf-8\r
    \r
    Dear Amazon customer,\r
    Thank you for purchasing Google Play gift cards from Amazon.com. Order total: $500.00.\r
    If you did not make this purchase, call us immediately at +1 (888) 555-0134 to cancel.\r

    """

    func session(_ policies: [VerdictKind: VerdictPolicy] = [.suspicious: .banner, .erroneous: .banner],
                 exemptNetworks: String = "", limits: MessageLimits = MessageLimits()) throws -> GiftCardSession {
        var settings = PolicySettings()
        settings.policies = policies
        settings.internalNetworks = try NetworkList(parsing: exemptNetworks)
        var config = Configuration()
        config.trustedAuthservIDs = ["mx.example.org"]
        return GiftCardSession(scanner: MessageScanner(configuration: config), limits: limits, logger: Logger(label: "test"),
                               policies: settings, banner: BannerSettings(key: Array("session test key".utf8)), version: "test")
    }

    /// Feeds one message as libmilter would: connect, MAIL, RCPT, headers, body in chunks, end.
    func feed(_ text: String, to session: GiftCardSession, context: RecordingContext, client: String = "192.0.2.10",
              chunk: Int = 700) throws -> MilterStatus {
        let raw = RawMessage(parsing: Array(text.utf8))
        _ = try session.connect(hostname: "client.example", address: client, context: context)
        _ = try session.envelopeFrom(["<sender@example.net>"], context: context)
        _ = try session.envelopeRecipient(["<alice@example.org>"], context: context)
        for header in raw.headers { _ = try session.header(name: header.name, value: header.value, context: context) }
        _ = try session.endOfHeaders(context: context)
        var index = 0
        while index < raw.body.count {
            let part = Array(raw.body[index..<min(index + chunk, raw.body.count)])
            let status = try part.withUnsafeBytes { try session.body($0, context: context) }
            if status == .skip { break }
            index += chunk
        }
        context.macros["i"] = "4AB12CD"
        return try session.endOfMessage(context: context)
    }

    @Test func aScamGetsForgedCopiesRemovedThenItsHeadersThenTheBanner() throws {
        let context = RecordingContext()
        let status = try feed(Self.scam, to: session(), context: context)
        #expect(status == .proceed)
        // Forged copies go first (each name by its canonical spelling), then ours at the top, then the body.
        let report = try #require(context.actions.first { $0.hasPrefix("insert 0 X-GiftCard-Report: ") })
        #expect(report.contains("reasons=gift-card-confirmation"))
        #expect(context.actions == ["delete X-GiftCard-Score[1]", "delete X-GiftCard-Verdict[1]", report,
                                    "insert 0 X-GiftCard-Score: 95", "insert 0 X-GiftCard-Verdict: suspicious", "body"])
        let body = String(decoding: try #require(context.body), as: UTF8.self)
        #expect(body.hasPrefix("Warning: Amazon did not send this gift-card message."))
        #expect(body.hasSuffix("call us immediately at +1 (888) 555-0134 to cancel.\r\n"))
    }

    @Test func headersOnlyPoliciesAndExemptClientsNeverTouchTheBody() throws {
        let plain = RecordingContext()
        _ = try feed(Self.scam, to: session([:]), context: plain)
        #expect(!plain.actions.contains("body"))
        #expect(plain.actions.contains("insert 0 X-GiftCard-Verdict: suspicious"))
        let exempt = RecordingContext()
        _ = try feed(Self.scam, to: session(exemptNetworks: "192.0.2.0/24"), context: exempt, client: "192.0.2.10")
        #expect(!exempt.actions.contains("body"))
        #expect(exempt.actions.contains("insert 0 X-GiftCard-Verdict: suspicious"))
    }

    @Test func rejectAnswersWithTheReplyAndNoHeaders() throws {
        let context = RecordingContext()
        let status = try feed(Self.scam, to: session([.suspicious: .reject]), context: context)
        #expect(status == .reject)
        #expect(context.actions == ["reply 550 5.7.1"])
    }

    @Test func aFailingActionIsThrownToTheRunnersPolicy() throws {
        let context = RecordingContext()
        context.failing = "body"
        #expect(throws: MilterError.self) { try feed(Self.scam, to: session(), context: context) }
        // The headers went out before the body was refused.
        #expect(context.actions.contains("insert 0 X-GiftCard-Verdict: suspicious"))
    }

    @Test func aBodyPastTheLimitStillGetsAVerdict() throws {
        var limits = MessageLimits()
        limits.maxBodyBytes = 2048
        let padded = Self.scam.replacingOccurrences(of: "Dear Amazon customer,\r\n",
                                                    with: "Dear Amazon customer,\r\n" + String(repeating: "padding line of text\r\n", count: 400))
        let context = RecordingContext()
        _ = try feed(padded, to: session([:], limits: limits), context: context)
        let report = try #require(context.actions.first { $0.hasPrefix("insert 0 X-GiftCard-Report") })
        #expect(report.contains("limit-reached"))
        #expect(context.actions.contains("insert 0 X-GiftCard-Verdict: suspicious"))
    }

    @Test func eachMessageOnAConnectionStartsAfresh() throws {
        let s = try session([:])
        let first = RecordingContext()
        _ = try feed(Self.scam, to: s, context: first)
        let second = RecordingContext()
        let ordinary = "From: carol@example.net\r\nTo: alice@example.org\r\nSubject: lunch\r\n\r\nNoon?\r\n"
        _ = try feed(ordinary, to: s, context: second)
        #expect(second.actions == ["insert 0 X-GiftCard-Report: v=1; brand=none; lang=und; reasons=none",
                                   "insert 0 X-GiftCard-Score: 0", "insert 0 X-GiftCard-Verdict: none"])
    }
}
