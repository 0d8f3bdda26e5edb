import Actions
import Detection
import MailView
import Testing
@testable import GiftCardMilter

@Suite struct MessageScannerTests {
    @Test func defaultConfigurationReadsAMultipartMessage() {
        let text = "From: a@example.net\nSubject: x\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain; charset=us-ascii\n\nhello there\n--b--\n"
        let scanner = MessageScanner(configuration: Configuration())
        let result = scanner.scan(RawMessage(parsing: Array(text.utf8), limits: Configuration().limits), envelope: Envelope())
        #expect(result.view.limitsReached.isEmpty)
        #expect(result.view.textParts.map(\.text) == ["hello there"])
    }
}

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

    @Test func aBannerGoesInWhenHeadersAreWhole() throws {
        let raw = RawMessage(parsing: Array(scam.utf8))
        let scanner = MessageScanner(configuration: Configuration())
        let result = scanner.scan(raw, envelope: Envelope())
        #expect(result.verdict.kind == .suspicious)
        let (outcome, bannered) = BannerSettings().bannered(raw, verdict: result.verdict, view: result.view, brands: scanner.detector.brands)
        #expect(bannered != nil, "\(String(describing: outcome))")
    }

    /// With the header block cut at MaximumHeaders the Content-Type may be gone: GMime would read the
    /// multipart body as plain text, so no banner is placed.
    @Test func noBannerWhenHeadersWereCut() throws {
        var limits = MessageLimits()
        limits.maxHeaders = 2
        let raw = RawMessage(parsing: Array(scam.utf8), limits: limits)
        #expect(raw.limitsReached.contains(.headers))
        let scanner = MessageScanner(configuration: Configuration())
        let result = scanner.scan(raw, envelope: Envelope())
        let settings = BannerSettings()
        let note = try #require(settings.banner(for: result.verdict, view: result.view, brands: scanner.detector.brands))
        #expect(settings.place(note, in: raw, body: raw.body) == .skipped(.unsupported))
    }
}
