import Foundation
import Testing
@testable import Actions
import Detection

@Suite struct VerdictHeadersTests {
    @Test func headersFollowTheContract() {
        let verdict = Verdict(kind: .suspicious, score: 92, reasons: [.lookalikeDomain, .callbackPhone],
                              brand: "amazon", language: "ar", explanation: "x")
        let headers = VerdictHeaders.headers(for: verdict)
        #expect(headers.map(\.name) == ["X-GiftCard-Verdict", "X-GiftCard-Score", "X-GiftCard-Report"])
        #expect(headers[0].value == "suspicious")
        #expect(headers[1].value == "92")
        // Folded before 78 columns; unfolded it reads as the contract shows.
        #expect(headers[2].value.replacingOccurrences(of: "\n\t", with: " ") == "v=1; brand=amazon; lang=ar; reasons=lookalike-domain,callback-phone")
    }

    @Test func longReportsFoldWithNewlineTab() {
        let many = (0..<12).map { Reason(rawValue: "reason-number-\($0)") }
        let value = VerdictHeaders.reportValue(for: Verdict(kind: .suspicious, score: 99, reasons: many, brand: "google-play",
                                                            language: "en", explanation: ""))
        #expect(value.contains("\n\t"))
        #expect(!value.contains("\r"))
        #expect(value.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(value.replacingOccurrences(of: "\n\t", with: " ").contains("reason-number-11"))
    }

    @Test func valuesStayASCII() {
        let v = Verdict(kind: .none, score: 0, reasons: [], brand: "أمازون", language: "und", explanation: "")
        #expect(VerdictHeaders.reportValue(for: v) == "v=1; brand=none; lang=und; reasons=none")
        #expect(VerdictHeaders.isOwn("x-giftcard-VERDICT"))
        #expect(!VerdictHeaders.isOwn("X-GiftCard-Other"))
    }
}
