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
        #expect(PhoneNumberFinder.find(in: "اتصل على ٠٥٥ ١٢٣ ٤٥٦٧ الآن") == ["0551234567"])
        #expect(PhoneNumberFinder.find(in: "Order 2026-11-28, total 1,234.00") == [])
        #expect(PhoneNumberFinder.find(in: "call +44 20 7946 0958") == ["+442079460958"])
    }

    @Test(arguments: [
        ("Thank you for your order. We will ship your purchase soon.", "en"),
        ("Grazie per il tuo ordine, abbiamo ricevuto il pagamento della tua carta.", "it"),
        ("Gracias por tu pedido, hemos recibido el pago para los productos.", "es"),
        ("Merci pour votre commande, nous avons bien reçu le paiement de votre achat.", "fr"),
        ("Vielen Dank für Ihre Bestellung, wir haben die Zahlung erhalten und ist nicht storniert.", "de"),
        ("Obrigado pela sua compra, você recebeu o seu pedido em casa.", "pt"),
        ("شكرا لك على شراء بطاقات الهدايا", "ar"),
    ])
    func guessesLanguage(_ text: String, _ expected: String) {
        #expect(LanguageGuesser.guess(TextNormalizer.normalize(text)) == expected)
    }
}
