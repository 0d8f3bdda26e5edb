import Foundation
import Testing
@testable import Detection
@testable import MailView

/// The scam families of real mail (reward lures, fees in gift cards, call-back purchase notices) and,
/// beside each, the legitimate mail of the same shape that must stay `none`.
@Suite struct ScamFamilyTests {
    let detector = Detector(trustedAuthservIDs: ["mx.example.org"])
    /// Default trust settings: no authserv-id trusted, so nothing is authenticated.
    let untrusting = Detector(trustedAuthservIDs: [])
    /// With the organisation's own domain configured (`OrganizationDomains corp.example.org`).
    let organisation = Detector(trustedAuthservIDs: ["mx.example.org"], organizationDomains: ["corp.example.org"])

    static func aligned(_ domain: String) -> String { verified(domain) }

    // MARK: The messages quoted in the issue

    @Test func orderConfirmedWithoutAListedPhraseIsStillAConfirmation() {
        let html = "<p>Order confirmed: 5 x $200 Google Play gift cards.</p><p>Not you? Call (844) 555-0107</p>"
            + "<p><a href=\"https://secure-refunds.example.net/cancel\">www.amazon.com</a></p>"
        let v = detector.evaluate(makeView(from: "\"Amazon\" <no-reply@amazon-giftcards-support.com>", subject: "Your order", body: html, type: "text/html"))
        #expect(v.kind == .suspicious)
        #expect(v.brand == "amazon")
        #expect(v.reasons.first == .giftCardConfirmation)
        for reason in [Reason.lookalikeDomain, .linkMismatch, .callbackPhone] { #expect(v.reasons.contains(reason), "\(reason)") }
    }

    @Test func fakeReceiptWhoseOnlyPhoneLineIsContactUs() {
        let body = "Thank you for your purchase.\nOrder number: 23-10587-44211\nItem: Apple iPhone 15 Pro Max 256GB\n"
            + "Total: $1,249.00\nIf you have any questions, please contact us at +1 888.929.2670"
        let v = detector.evaluate(makeView(from: "\"eBay\" <receipts@buyer-protection-center.example>",
                                           subject: "Your eBay receipt", body: body))
        #expect(v.kind == .suspicious)
        #expect(v.brand == "ebay")
        #expect(v.reasons.contains(.callbackPurchase))
        #expect(v.reasons.contains(.callbackPhone))
    }

    /// The organisation's own security team may quote scam wording: its authenticated mail is a notice.
    @Test func italianAwarenessMailFromTheOrganisationIsANotice() {
        let body = "Attenzione: i truffatori inviano false conferme d'ordine. Se ricevi una conferma d'ordine di carte regalo "
            + "che non hai acquistato, non chiamare i numeri indicati e segnala il messaggio al servizio IT."
        let view = makeView(from: "\"Sicurezza IT\" <sicurezza@corp.example.org>", subject: "Avviso di sicurezza", body: body,
                            extraHeaders: [Self.aligned("corp.example.org")])
        let v = organisation.evaluate(view)
        #expect(v.kind == .none)
        #expect(v.reasons == [.securityNotice])
        // Unauthenticated, or not the organisation's domain: no notice, and still no flag.
        for judge in [detector, untrusting] {
            let other = judge.evaluate(view)
            #expect(!other.reasons.contains(.securityNotice))
            #expect(other.kind != .suspicious && other.kind != .erroneous)
        }
    }

    /// Issue 10, defect 2: one sentence of scam advice must not switch detection off for a sender who
    /// controls and authenticates his own domain, nor for the organisation's mail when it asks to call back.
    @Test func aWarningSentenceDoesNotLaunderACallbackScam() {
        let scam = "Thank you for purchasing 5 Google Play gift cards, order total $500.00.\n"
            + "If you did not make this purchase, call +1 (888) 555-0134 to cancel.\n"
            + "Stay safe: scammers send fake messages. Never pay anyone with gift cards."
        let own = makeView(from: "\"Billing\" <billing@giftcard-desk.example>", subject: "Your order", body: scam,
                           extraHeaders: [Self.aligned("giftcard-desk.example")])
        let v = organisation.evaluate(own)
        #expect(v.kind == .suspicious)
        #expect(v.score >= 60)
        #expect(!v.reasons.contains(.securityNotice))
        // From the organisation's own authenticated domain, its own words ask for the call: no notice.
        let inside = makeView(from: "\"IT\" <it@corp.example.org>", subject: "Your order", body: scam,
                              extraHeaders: [Self.aligned("corp.example.org")])
        #expect(!organisation.evaluate(inside).reasons.contains(.securityNotice))
        // The same callback wording quoted as the example, with a helpdesk number to report to: a notice.
        let notice = "Scammers send fake messages like \"Thank you for purchasing gift cards, if you did not make this purchase "
            + "call us\". Never call numbers in such mails and never pay with gift cards. Report them to the helpdesk at +1 212 555 0199."
        let quoted = organisation.evaluate(makeView(from: "\"IT\" <it@corp.example.org>", subject: "Security reminder", body: notice,
                                                    extraHeaders: [Self.aligned("corp.example.org")]))
        #expect(quoted.reasons == [.securityNotice])
    }

    @Test func forwardedArticlesNamingBrandsAndPurchasesAreNoClaim() {
        let body = "Interesting read: retailers sold more gift cards this year, and many customers paid with PayPal. "
            + "Thank you for your order, the shops wrote, order number 1234-5678, total $50.00."
        let v = untrusting.evaluate(makeView(from: "\"Sam\" <sam@corp.example.org>", subject: "Fwd: retail news", body: body))
        #expect(v.kind == .none)
    }

    // MARK: Reward lures

    @Test(arguments: [
        ("de", "\"EDEKA-Gutschein\" <info@kundenvorteil-aktion.example>", "Sie wurden ausgewählt",
         "Herzlichen Glückwunsch! Sie wurden ausgewählt. Ihr 1.000 € EDEKA-Gutschein wartet auf Sie. Jetzt an der Umfrage teilnehmen und einlösen: https://bit.ly/3edk4x", "edeka"),
        ("en", "\"Rewards Team\" <noreply@mx4.reward-center.example>", "Rewards for you",
         "Complete our survey to claim your $750 Cash App gift card. Offer expires today: https://203.0.113.7/claim", "cash-app"),
        ("nl", "\"Albert Heijn\" <nieuws@winactie-mail.example>", "Win een cadeaukaart",
         "Gefeliciteerd! Doe mee aan onze enquête en win een Albert Heijn cadeaukaart van € 250. Claim uw beloning: https://winactie.web.app/ah", "albert-heijn"),
        ("fr", "\"Carrefour\" <jeu@promo-fidelite.example>", "Félicitations",
         "Félicitations ! Vous avez été sélectionné pour recevoir une carte cadeau Carrefour de 500 €. Répondez à notre enquête : https://tinyurl.com/crf500", "carrefour"),
    ])
    func rewardLuresAreSuspicious(_ language: String, _ from: String, _ subject: String, _ body: String, _ brand: String) {
        let v = untrusting.evaluate(makeView(from: from, subject: subject, body: body))
        #expect(v.kind == .suspicious, "\(language)")
        #expect(v.reasons.first == .rewardLure, "\(language)")
        #expect(v.brand == brand, "\(language)")
    }

    @Test func aBrandsOwnAuthenticatedContestIsMarketing() {
        let body = "Nehmen Sie an unserer Kundenumfrage teil und gewinnen Sie einen von zehn EDEKA-Gutscheinen im Wert von 100 €. "
            + "Einsendeschluss ist der 31. Mai: https://www.edeka.de/umfrage"
        let v = detector.evaluate(makeView(from: "\"EDEKA\" <newsletter@edeka.de>", subject: "Ihr Newsletter", body: body,
                                           extraHeaders: [Self.aligned("edeka.de")]))
        #expect(v.kind == .none)
    }

    @Test func aShopsNewsletterRafflingAnotherBrandsVoucherIsNoLure() {
        let body = "Machen Sie mit bei unserer Kundenumfrage und gewinnen Sie einen von drei Amazon-Gutscheinen über 50 €. "
            + "Teilnahme bis 30. Juni: https://www.versicherung-muster.example/umfrage"
        let v = untrusting.evaluate(makeView(from: "\"Muster Versicherung\" <newsletter@versicherung-muster.example>",
                                             subject: "Ihr Newsletter im Juni", body: body))
        #expect(v.kind == .none)
        // The same offer under the brand's name from another domain is a lure.
        let lure = untrusting.evaluate(makeView(from: "\"Amazon Gutschein\" <newsletter@versicherung-muster.example>",
                                                subject: "Ihr Newsletter im Juni", body: body))
        #expect(lure.kind == .suspicious)
        #expect(lure.reasons.first == .rewardLure)
    }

    @Test func aFriendsPresentWithCongratulationsIsNoLure() {
        let body = "Congratulations on the new job! Here is a $50 Amazon gift card from all of us. Enjoy it, Sam"
        let v = untrusting.evaluate(makeView(from: "\"Sam\" <sam.friend@gmail.com>", subject: "well done", body: body))
        #expect(v.kind == .none)
    }

    @Test func anImageOnlyLureIsReadFromItsSenderAndSubject() {
        let html = "<a href=\"https://promo.example.net/r?id=1\"><img src=\"https://promo.example.net/banner.png\"></a>"
        let v = untrusting.evaluate(makeView(from: "\"Lidl Gutschein\" <angebote@newsletter.shop-mail.example>", subject: "Wir gratulieren Ihnen recht herzlich", body: html, type: "text/html"))
        #expect(v.kind == .suspicious)
        #expect(v.reasons.first == .rewardLure)
        #expect(v.brand == "lidl")
    }

    @Test func articlesThatUseTheTeamWonAreNoOffer() {
        let body = "Our team won the regional award this year. Click here to read the interview, and get your free ticket "
            + "to the conference: https://bit.ly/conf24. Microsoft sponsored the prize money of $10,000."
        let v = untrusting.evaluate(makeView(from: "\"Tech Weekly\" <news@techweekly.example>", subject: "This week", body: body))
        #expect(v.kind == .none)
    }

    // MARK: Fees in gift cards

    @Test func aFinePaidInGiftCardsIsAPaymentDemand() {
        let body = "This is the tax office. You owe a fine of $500. Pay the fine with 5 x $100 Google Play cards today and send the codes to this address."
        let v = untrusting.evaluate(makeView(from: "\"Tax Office\" <office.notice@outlook.com>", subject: "Final notice", body: body))
        #expect(v.kind == .suspicious)
        #expect(v.reasons.first == .giftCardPayment)
        #expect(v.reasons.contains(.freemailReplyTo))
    }

    @Test func germanCustomsFeeInGiftCards() {
        let body = "Ihr Paket liegt beim Zoll. Die Zollgebühr von 89 € ist ausschließlich in Form von Steam Geschenkkarten zu bezahlen."
        let v = untrusting.evaluate(makeView(from: "\"Paketdienst\" <zoll@paket-hinweis.example>", subject: "Paket", body: body))
        #expect(v.kind == .suspicious)
        #expect(v.reasons.first == .giftCardPayment)
    }

    @Test func aShopsOwnGiftCardOfferIsNoDemand() {
        let body = "Pay with a gift card at checkout: no delivery fee on orders over 30 €. Gift cards are sold in every store."
        let v = detector.evaluate(makeView(from: "\"Corner Shop\" <news@cornershop.example>", subject: "News", body: body,
                                           extraHeaders: [Self.aligned("cornershop.example")]))
        #expect(v.kind == .none)
    }

    // MARK: Call-back purchase notices

    /// One call-back purchase notice: who it claims to be, what it says, and what the verdict must carry.
    struct CallbackNotice: Sendable, CustomTestStringConvertible {
        var name: String
        var from: String
        var subject: String
        var body: String
        var brand: String? = nil
        var language: String? = nil
        /// Reasons the verdict must carry besides `callback-purchase`, which it carries first.
        var alsoReasons: [Reason] = []
        var testDescription: String { name }
    }

    static let callbackNotices: [CallbackNotice] = [
        CallbackNotice(name: "Norton 360 renewal with a call-back number",
                       from: "\"Norton Billing\" <billing@invoice-desk.example>", subject: "Your renewal receipt",
                       body: "Norton 360 renewed. Amount charged: $399.99. Invoice number: 88412-2231. "
                           + "If you did not authorize this, call +1 (808) 312-4567 to cancel.",
                       brand: "norton", alsoReasons: [.brandDomainMismatch]),
        CallbackNotice(name: "a letter-spaced brand in a free-mail invoice",
                       from: "\"Paid Customer\" <orders.desk7@gmail.com>", subject: "Invoice",
                       body: "Your e b a y order 55-12093-33412 is confirmed. Total: $899.00. If you did not authorize this purchase, call +1 888 555 0199.",
                       brand: "ebay", alsoReasons: [.obfuscatedText]),
        CallbackNotice(name: "the phone number only in the subject",
                       from: "\"McAfee\" <support@renewals-center.example>", subject: "Renewal $299.99 questions call +1 888 555 0123",
                       body: "Your McAfee Total Protection subscription was renewed. Amount: $299.99. Invoice number: 55123-9."),
        CallbackNotice(name: "a notice signed with a brand's copyright presents that brand",
                       from: "\"Kim Allen\" <kim@foundation-news.example>", subject: "Receipt 4431 confirmed",
                       body: "Payment confirmation. Product purchased: Ultimate Defense, 48 months. Total amount: $425.88. "
                           + "To cancel within 24 hours, our customer support team is available at +1 (805) 302-8040. "
                           + "Copyright © 2025 McAfee, LLC. All rights reserved.",
                       brand: "mcafee"),
        CallbackNotice(name: "a Dutch renewal call-back",
                       from: "\"Microsoft 365 Facturatie\" <factuur@abonnement-service.example>", subject: "Uw verlenging",
                       body: "Uw Microsoft 365 abonnement is verlengd. Afgeschreven bedrag: € 129,00. Factuurnummer: 2024-88123. "
                           + "Heeft u hier geen toestemming voor gegeven? Bel dan onze klantenservice op +31 20 123 4567 om te annuleren.",
                       language: "nl"),
    ]

    @Test(arguments: callbackNotices)
    func aCallbackPurchaseNoticeIsSuspicious(_ notice: CallbackNotice) {
        let v = untrusting.evaluate(makeView(from: notice.from, subject: notice.subject, body: notice.body))
        #expect(v.kind == .suspicious)
        #expect(v.reasons.first == .callbackPurchase)
        if let brand = notice.brand { #expect(v.brand == brand) }
        if let language = notice.language { #expect(v.language == language) }
        for reason in notice.alsoReasons { #expect(v.reasons.contains(reason), "\(reason)") }
    }

    @Test func realOrderNoticesFromTheBrandsOwnDomainStayNone() {
        let body = "Hello Dana, thank you for your order 112-4455667-8899001. Order total: $54.20. "
            + "Questions? Contact customer service at 1-888-280-4331."
        // The corpus case: the brand's own domain, no trusted authentication result.
        let v = untrusting.evaluate(makeView(from: "\"Amazon.com\" <shipment-tracking@amazon.com>", subject: "Your order has shipped", body: body))
        #expect(v.kind == .none)
        // A shop outside the registry with its own support number.
        let shop = untrusting.evaluate(makeView(from: "\"Bakery Rossi\" <orders@bakery-rossi.example>", subject: "Your order",
                                                body: "Thank you for your order 5512. Total: 23,00 €. Call us at +39 02 1234 5678."))
        #expect(shop.kind == .none)
        // Its receipt names the means of payment and how to cancel: that is no claim to be PayPal.
        let paid = untrusting.evaluate(makeView(from: "\"Bakery Rossi\" <orders@bakery-rossi.example>", subject: "Your order",
                                                body: "Thank you for your order 5512. Total: 23,00 €, paid with PayPal. "
                                                    + "To cancel your order, call us at +39 02 1234 5678."))
        #expect(paid.kind == .none)
    }

    @Test func aBrandsAuthenticatedRenewalWithItsSupportLineIsNone() {
        let body = "Hello Dana, thank you for renewing Norton 360. Amount: $99.99. Invoice number: 55122-1. Our support team is at +1 844 555 0100."
        let v = detector.evaluate(makeView(from: "\"Norton\" <billing@norton.com>", subject: "Your Norton 360 renewal", body: body,
                                           extraHeaders: [Self.aligned("norton.com")]))
        #expect(v.kind == .none)
    }

    // MARK: Tricks

    @Test func phoneNumbersWithLettersForDigits() {
        let found = PhoneNumberFinder.find(in: "Call +1 (8O8) 3l2-4567 now. Ref 0107 Order")
        #expect(found.map(\.digits) == ["+18083124567"])
    }

    @Test func spacedLettersAreJoinedOnlyInRunsOfThree() {
        #expect(Detector.joiningSpacedLetters("your e b a y order") == "your ebay order")
        #expect(Detector.joiningSpacedLetters("plan a or b today") == nil)
    }
}
