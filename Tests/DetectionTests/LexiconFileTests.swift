import Foundation
import Testing
@testable import Detection
@testable import MailView

@Suite struct LexiconFileTests {
    @Test func everyLanguageContributesEverySection() {
        let lexicon = Lexicon.builtin
        #expect(lexicon.terms(.giftCard).contains("بطاقه هدايا"))
        #expect(lexicon.terms(.giftCard).contains("geschenkkarte"))
        #expect(lexicon.terms(.purchase).contains("order #"))
        #expect(lexicon.terms(.purchase).contains("grazie per l'acquisto"))
        #expect(lexicon.terms(.callback).contains("se voce nao fez"))
        #expect(lexicon.salutationWords.contains("chere"))
        #expect(lexicon.currencyWords.contains("ريال"))
    }

    @Test func parserReadsSectionsAndComments() {
        let parsed = Lexicon.parse("# header\n[gift-card]  # terms\ngift card\norder #\n\n[purchase]\nthanks # a comment\n")
        #expect(parsed["gift-card"] == ["gift card", "order #"])
        #expect(parsed["purchase"] == ["thanks"])
    }
}
