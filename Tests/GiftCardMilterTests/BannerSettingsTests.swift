import Actions
import Detection
import MailView
import Logging
import Testing
@testable import GiftCardMilter

@Suite struct BannerSettingsTests {
    private let scam = """
    From: "Amazon.com" <orders@amazon-giftcards-support.com>
    Subject: Your Amazon.com order of Google Play gift cards
    Message-ID: <cut@test.example>
    Content-Type: multipart/alternative; boundary=b

    --b
    Content-Type: text/plain; charset=utf-8

    Thank you for purchasing Google Play gift cards. If you did not make this purchase, call +1 888 555 0134.
    --b--
    """

    /// Through a session as the daemon makes them, onto an in-memory MTA.
    func deliver(_ bytes: [UInt8], _ config: Configuration = Configuration()) throws -> OfflineDelivery.Delivered {
        let session = LiveSettings(config, store: nil, stateFallback: nil, key: Array("scanner test key".utf8))
            .session(logger: Logger(label: "test"), version: "test")
        return try OfflineDelivery.deliver(bytes, through: session, envelope: Envelope(sender: "s@example.net", recipients: ["a@example.org"]))
    }

    @Test func aBannerGoesInWhenHeadersAreWhole() throws {
        let delivered = try deliver(Array(scam.utf8))
        #expect(delivered.judged.result.verdict.kind == .suspicious)
        guard case .placed = delivered.judged.plan.banner else { Issue.record("\(String(describing: delivered.judged.plan.banner))"); return }
        #expect(delivered.context.bodyReplaced)
        #expect(delivered.message.values(of: "X-GiftCard-Verdict") == ["suspicious"])
    }

    /// With the header block cut at MaximumHeaders the Content-Type may be gone: GMime would read the
    /// multipart body as plain text, so no banner is placed.
    @Test func noBannerWhenHeadersWereCut() throws {
        var config = Configuration()
        config.limits.maxHeaders = 2
        let delivered = try deliver(Array(scam.utf8), config)
        #expect(delivered.judged.result.view.limitsReached.contains(.headers))
        #expect(delivered.judged.plan.banner == .skipped(.unsupported))
        #expect(!delivered.context.bodyReplaced)
    }

    /// A body past MaximumBodyBytes but within MaximumBannerBytes: inspected sparsely, bannered whole.
    /// Every byte after the banner is the original body's, the attachment's content included.
    @Test func aLargeBodyIsBanneredWholeNotAsInspected() throws {
        let attachment = (0..<40_000).map { _ in "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx" }.joined(separator: "\n")
        let text = scam.replacingOccurrences(of: "--b--", with: "--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n\(attachment)\n--b--")
        let bytes = Array(text.utf8)
        let original = RawMessage.split(bytes).body
        #expect(original.count > Configuration().limits.maxBodyBytes)
        let delivered = try deliver(bytes)
        guard case .placed = delivered.judged.plan.banner else { Issue.record("\(String(describing: delivered.judged.plan.banner))"); return }
        let body = delivered.message.body
        #expect(body.count > original.count)
        #expect(ByteSearch.first(Array(attachment.utf8), in: body, range: 0..<body.count) != nil, "the attachment's content is delivered")
        // With a smaller MaximumBannerBytes the body is not kept whole: headers only, the body untouched.
        var config = Configuration()
        config.maximumBannerBytes = 1024
        let small = try deliver(bytes, config)
        #expect(small.judged.plan.banner == .skipped(.tooLarge))
        #expect(!small.context.bodyReplaced && small.message.body == Array(original))
    }
}
