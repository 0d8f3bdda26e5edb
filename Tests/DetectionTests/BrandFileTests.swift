import Foundation
import Testing
@testable import Detection
@testable import MailView

@Suite struct BrandFileTests {
    @Test func shippedBrandFileIsComplete() {
        let ids = BrandRegistry.builtin.brands.map(\.id)
        #expect(ids.count >= 14)
        for id in ["amazon", "google-play", "apple", "steam", "best-buy", "target", "walmart", "ebay", "paypal", "visa",
                   "mastercard", "hotels-com", "razer-gold", "netflix"] {
            #expect(ids.contains(id), "missing \(id)")
        }
        #expect(BrandRegistry.builtin.brand(owning: "email.amazon.co.uk")?.id == "amazon")
        #expect(BrandRegistry.builtin.brand(mentionedIn: TextNormalizer.normalize("من أمازون"))?.id == "amazon")
    }

    @Test func brandLinesAreValidated() throws {
        #expect(throws: BrandLineError.self) { try Brand(line: "no domains; names: X") }
        #expect(throws: BrandLineError.self) { try Brand(line: "x; domains: notadomain") }
        #expect(throws: BrandLineError.self) { try Brand(line: "bad id!; domains: a.com") }
        #expect(try Brand(line: "shop; domains: Shop.Example").domains == ["shop.example"])
    }
}
