import Foundation
import Testing
@testable import MailView

/// Inputs that once crashed or could crash a parser (hand-made ones and libFuzzer finds): each must
/// give a view, within the limits, without crashing or hanging.
@Suite struct HostileInputTests {
    static func names() throws -> [String] {
        guard let url = Bundle.module.url(forResource: "FuzzRegressions", withExtension: nil) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    @Test(arguments: try names())
    func replay(_ name: String) throws {
        let url = try #require(Bundle.module.url(forResource: "FuzzRegressions", withExtension: nil))
        let bytes = try Data(contentsOf: url.appendingPathComponent(name))
        let view = MessageParser.parse(RawMessage(parsing: Array(bytes)))
        #expect(view.textParts.count <= MessageLimits().maxMimeParts * PartWalker.textPartsFactor)
    }

    @Test func regressionInputsArePresent() throws {
        #expect(try Self.names().count >= 6)
    }

    @Test func deepMimeStopsAtTheDepthLimit() throws {
        let url = try #require(Bundle.module.url(forResource: "FuzzRegressions", withExtension: nil))
        let view = MessageParser.parse(RawMessage(parsing: Array(try Data(contentsOf: url.appendingPathComponent("mime-nested-120.eml")))))
        #expect(view.limitsReached == [.mimeDepth])
        #expect(view.degraded)
    }

    @Test func deepHTMLIsReadWithoutTheHTMLParser() throws {
        let url = try #require(Bundle.module.url(forResource: "FuzzRegressions", withExtension: nil))
        let view = MessageParser.parse(RawMessage(parsing: Array(try Data(contentsOf: url.appendingPathComponent("html-deep-nesting.eml")))))
        #expect(view.limitsReached == [.htmlDepth])
        #expect(view.normalizedText == "gift card")
    }

    @Test func tagStripperKeepsTextAndEntities() {
        let html = "<html><head><style>p{}</style></head><body><p class=x>Gift&nbsp;card &amp; <b>call</b> &#x31;800</p><br/>next &bogus</body>"
        #expect(HTMLText.strippedText(html) == "\nGift\u{00A0}card & call 1800\n\nnext &bogus")
        #expect(HTMLText.estimatedDepth(String(repeating: "<div>", count: 401), over: 400))
        #expect(!HTMLText.estimatedDepth(String(repeating: "<div></div><br><img src=x/>", count: 5000), over: 400))
    }

    @Test func longLineIsRead() throws {
        let url = try #require(Bundle.module.url(forResource: "FuzzRegressions", withExtension: nil))
        let view = MessageParser.parse(RawMessage(parsing: Array(try Data(contentsOf: url.appendingPathComponent("long-line-200k.eml")))))
        let length = view.textParts.first?.text.count ?? 0
        #expect(length >= 199_000)
        // Kept in a Bool so that a failure does not print 200 KB.
        let startsRight = view.normalizedText.hasPrefix("long gift card gift card")
        #expect(startsRight)
    }

    @Test func manyHeadersAndHugeValuesAreBounded() {
        var limits = MessageLimits()
        limits.maxHeaders = 50
        limits.maxHeaderBytes = 1000
        var text = ""
        for index in 0..<200 { text += "X-Filler-\(index): \(String(repeating: "a", count: 5000))\n" }
        let raw = RawMessage(parsing: Array((text + "\nbody\n").utf8), limits: limits)
        #expect(raw.headers.count == 50)
        #expect(raw.headers.allSatisfy { $0.value.count <= 1000 })
        let view = MessageParser.parse(raw, limits: limits)
        #expect(view.limitsReached == [.headers, .headerBytes])
    }

    @Test func fiftyMegabyteMessageKeepsWithinTheLimit() {
        let body = [UInt8](repeating: 0x41, count: 50 * 1024 * 1024)
        let raw = RawMessage(parsing: Array("Subject: big\n\n".utf8) + body)
        #expect(raw.body.count > 0 && raw.body.count <= MessageLimits().maxBodyBytes)
        let view = MessageParser.parse(raw)
        #expect(view.limitsReached == [.bodyBytes])
        #expect(view.subject == "big")
    }
}
