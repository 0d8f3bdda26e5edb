import Testing
@testable import MailView

@Suite struct TextNormalizerTests {
    @Test func removesZeroWidthAndFoldsCase() {
        #expect(TextNormalizer.normalize("Gi\u{200B}ft C\u{200D}ARD") == "gift card")
    }

    @Test func foldsCyrillicLookalikesInsideLatinWords() {
        #expect(TextNormalizer.normalize("\u{0410}mazon") == "amazon")
        // A Russian word stays Russian.
        #expect(TextNormalizer.normalize("Спасибо") == "спасибо")
    }

    @Test func normalizesArabic() {
        // Alef with hamza, tashkeel, tatweel, taa marbuta, alef maqsura.
        #expect(TextNormalizer.normalize("أَمـــازون بطاقة على") == "امازون بطاقه علي")
    }

    @Test func digitsOfAnyScriptBecomeASCII() {
        #expect(TextNormalizer.normalize("٠٥٥ ١٢٣") == "055 123")
    }

    @Test func fullWidthAndAccents() {
        #expect(TextNormalizer.normalize("ＡＭＡＺＯＮ Bestellbestätigung") == "amazon bestellbestatigung")
        #expect(TextNormalizer.normalize("l’acquisto") == "l'acquisto")
    }

    @Test func phoneNumbersInArabicIndicDigits() {
        #expect(PhoneNumberFinder.find(in: "اتصل على ٠٥٥ ١٢٣ ٤٥٦٧ الآن", countryTLD: "sa")
            == [PhoneNumber(digits: "0551234567", e164: "+966551234567")])
        #expect(PhoneNumberFinder.find(in: "Order 2026-11-28, total 1,234.00").isEmpty)
        #expect(PhoneNumberFinder.find(in: "call +44 20 7946 0958").map(\.e164) == ["+442079460958"])
        #expect(PhoneNumberFinder.find(in: "chiama lo 02 1234 5678", countryTLD: "it").map(\.e164) == ["+390212345678"])
        #expect(PhoneNumberFinder.find(in: "Ruf an: 0049 30 1234 5678").map(\.e164) == ["+493012345678"])
        // A national number with no country in sight stays without an E.164 form.
        #expect(PhoneNumberFinder.find(in: "call 888 555 0134").map(\.e164) == [nil])
        // Zero-width characters inside the number do not hide it.
        #expect(PhoneNumberFinder.find(in: "+1 888\u{200B}555\u{200B}0134").map(\.digits) == ["+18885550134"])
    }

    @Test(arguments: [
        ("Thank you for your order. We will ship your purchase soon.", "en"),
        ("Grazie per il tuo ordine, abbiamo ricevuto il pagamento della tua carta.", "it"),
        ("Gracias por tu pedido, hemos recibido el pago para los productos.", "es"),
        ("Merci pour votre commande, nous avons bien reçu le paiement de votre achat.", "fr"),
        ("Vielen Dank für Ihre Bestellung, wir haben die Zahlung erhalten und ist nicht storniert.", "de"),
        ("Obrigado pela sua compra, você recebeu o seu pedido em casa.", "pt"),
        ("شكرا لك على شراء بطاقات الهدايا", "ar"),
        ("Bedankt voor uw bestelling, het pakket van de winkel is niet bij ons.", "nl"),
    ])
    func guessesLanguage(_ text: String, _ expected: String) {
        #expect(LanguageGuesser.guess(TextNormalizer.normalize(text)) == expected)
    }
}

/// `PhoneNumberFinder.digitValue` answers nil below U+0660 without a property look-up: no decimal
/// digit lies between ASCII and the Arabic-Indic digits.
@Suite struct DigitShortcutTests {
    @Test func noDecimalDigitBetweenASCIIAndArabicIndic() {
        let digits = (UInt32(0x80)..<0x660).filter { Unicode.Scalar($0)?.properties.numericType == .decimal }
        #expect(digits.isEmpty)
        #expect(Unicode.Scalar(0x660)?.properties.numericType == .decimal)
    }
}
