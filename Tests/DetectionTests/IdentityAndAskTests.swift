import Foundation
import Testing
@testable import Detection
@testable import MailView

/// What a pass proves (which domain sent the message, never that it is honest) and what a message asks in
/// its own words (a call, a payment, codes): the shapes of issue 21, each scam beside its legitimate twin.
@Suite struct IdentityAndAskTests {
    let detector = Detector(trustedAuthservIDs: ["mx.example.org"])

    /// A message with a trusted DKIM pass (and its signature) for `signer` on top, as OpenDKIM writes it.
    func passed(_ signer: String, from: String, subject: String, body: String, replyTo: String? = nil) -> Verdict {
        var headers = [verified(signer, dmarc: false)]
        if let replyTo { headers.append("Reply-To: \(replyTo)") }
        return detector.evaluate(makeView(from: from, subject: subject, body: body, extraHeaders: headers))
    }

    // MARK: A pass is identity, not innocence

    /// Gmail signs every message its users send: a callback invoice from a Gmail address with Gmail's own
    /// pass is exactly as suspicious as without it.
    @Test(arguments: ["gmail.com", "outlook.com", "yahoo.com", "gmx.de", "web.de", "mail.ru"])
    func aFreeMailboxsPassClearsNothing(_ provider: String) {
        let body = "Your McAfee Total Protection subscription was renewed for $399.99. Order ID MC-77812.\n"
            + "If you did not authorize this charge, call +1 (844) 555-0199 to cancel and get a refund."
        let v = passed(provider, from: "\"Billing Dept\" <billing.dept77@\(provider)>", subject: "Renewal receipt", body: body)
        #expect(v.kind == .suspicious, "\(provider)")
        #expect(v.reasons.contains(.callbackPurchase))
    }

    /// A domain that passes but does not speak for itself (no link home) sending someone else's receipt.
    @Test func aRentedDomainsPassClearsNothing() {
        let body = "Norton 360 Deluxe renewed successfully. Amount: $489.99. Invoice INV-55821.\n"
            + "If you did not authorize this transaction, call our billing department at +1 (888) 555-0192."
        let v = passed("billing-processing.example", from: "\"Cynthia Lamont\" <c.lamont@billing-processing.example>",
                       subject: "Processing complete: Bill 7032", body: body)
        #expect(v.kind == .suspicious)
    }

    /// The postmaster's own additions to the open platforms count like the built-in ones.
    @Test func openPlatformDomainsAreExtensible() throws {
        var platforms = OpenPlatforms.builtin
        #expect(!platforms.isOpenSender("regional-mail.example", registrable: "regional-mail.example"))
        platforms.addSenders(["regional-mail.example"])
        #expect(platforms.isOpenSender("regional-mail.example", registrable: "regional-mail.example"))
        #expect(OpenPlatforms.builtin.isOpenSender("x.web.app", registrable: "x.web.app"))
        #expect(throws: OpenPlatformsError.self) { try OpenPlatforms(text: "mailbox gmail.com\n") }
        #expect(OpenPlatforms.builtin.freemail.count > 50)
    }

    // MARK: Who is speaking vs what is sold

    /// A real shop's dispatch notice names the brand of what it sold, links home, and gives its own number.
    @Test func aMerchantsReceiptNamingAnotherBrandIsNoClaim() {
        let body = "Hi Dana, your order 5561-221 has shipped: Apple AirPods Pro (2nd gen), $249.00.\n"
            + "Track it: https://www.bigshop.example/track/5561\nIf you did not place this order, call us at 1-800-555-0100."
        let v = passed("bigshop.example", from: "\"Bigshop\" <orders@bigshop.example>", subject: "Your order 5561-221 has shipped", body: body)
        #expect(v.kind == .none)
    }

    /// A brand's own domain without a pass: no spoof shown unless it lures.
    @Test func theBrandsOwnUnauthenticatedNewsletterIsNotSuspicious() {
        let body = "Thank you for your order of a Lidl gift card of 25,00 €. Order number 4471-2231."
        let v = detector.evaluate(makeView(from: "\"Lidl\" <service@lidl.de>", subject: "Ihre Bestellung", body: body))
        #expect(v.kind == .none)
        #expect(v.reasons.contains(.brandNotAuthenticated))
    }

    // MARK: Awareness and reporting, and the laundering it must not reopen

    static let scam = "Thank you for purchasing 5 Google Play gift cards, order total $500.00.\n"
        + "If you did not make this purchase, call +1 (888) 555-0134 to cancel."

    @Test func aBankArticleQuotingAWholeScamIsNone() {
        let body = "Dear customer,\nScammers send fake gift card confirmations like this one: '" + Self.scam
            + "'\nNever call numbers in such emails and never pay with gift cards. Report it to us instead.\n"
            + "Read more: https://www.mybank.example/security"
        let v = detector.evaluate(makeView(from: "\"My Bank\" <news@mybank.example>", subject: "Beware of gift card scams", body: body))
        #expect(v.kind == .none)
        #expect(v.reasons == [.scamAwareness])
    }

    @Test(arguments: [("Fwd: Your order", "en"), ("WG: Ihre Bestellung", "de"), ("I: Il tuo ordine", "it"), ("TR: Votre commande", "fr")])
    func aReaderForwardingAScamWithAWarningIsNone(_ subject: String, _ language: String) {
        let warning = ["en": "Careful, this is a scam I got, never call the number!\n---------- Forwarded message ---------\n",
                       "de": "Achtung, Betrug! Rufen Sie solche Nummern nie an.\n---------- Weitergeleitete Nachricht ----------\n",
                       "it": "Attenzione, è una truffa: non chiamare mai quel numero.\n---------- Messaggio inoltrato ----------\n",
                       "fr": "Attention, c'est une arnaque : ne jamais appeler ce numéro.\n---------- Message transféré ----------\n"][language]!
        let v = detector.evaluate(makeView(from: "\"Dana\" <dana.k@gmail.com>", subject: subject, body: warning + Self.scam))
        #expect(v.kind == .none, "\(language)")
        #expect(v.reasons == [.scamAwareness])
    }

    /// Every way to launder a scam with warning words keeps it suspicious: a sentence added, a typed
    /// forward line without a forward subject, the ask outside the quotation, a link away, a brand's name.
    @Test(arguments: [
        ("\"Gift Desk\" <billing@giftcard-desk.example>", "Your order", scam + "\nStay safe: scammers send fake messages. Never pay anyone with gift cards."),
        ("\"Support\" <support.center@outlook.com>", "Order 5512", "Note: scammers send fake confirmations, never pay with gift cards.\n---------- Forwarded message ---------\n" + scam),
        ("\"Dana\" <dana.k@gmail.com>", "Fwd: order", "Scammers everywhere, never trust such mails. But if this is yours call +1 (888) 555-0134 to cancel.\n---------- Forwarded message ---------\n" + scam),
        ("\"Security\" <security@desk.example>", "Scam warning", "Scammers send mails like this: \"" + scam + "\" Never call. Check your order: https://desk.example.evil.example/login"),
        ("\"Amazon Security\" <security@amazon-alerts.example>", "Fwd: order", "Beware of scams, never call unknown numbers.\n---------- Forwarded message ---------\n" + scam),
    ])
    func launderingStaysSuspicious(_ from: String, _ subject: String, _ body: String) {
        let v = detector.evaluate(makeView(from: from, subject: subject, body: body))
        #expect(v.kind == .suspicious, "\(subject)")
        #expect(!v.reasons.contains(.scamAwareness))
    }

    // MARK: Gift cards as payment, and the CEO-fraud request

    @Test(arguments: [
        ("en", "Hi, are you available? I need you to buy 5 Google Play cards of $100 each for some clients. It's confidential. Send me pictures of the codes."),
        ("de", "Hallo, bist du gerade erreichbar? Ich brauche dringend 4 iTunes-Karten zu je 100 Euro für einen Kunden. Bitte kauf sie im nächsten Laden und schick mir Fotos davon. Vertraulich."),
        ("it", "Ciao, sei disponibile? Ho bisogno che tu compri 4 carte regalo Google Play da 100 euro per alcuni clienti. È riservato, mandami una foto dei codici."),
        ("es", "Hola, ¿estás disponible? Necesito que compres 5 tarjetas regalo de Google Play para unos clientes. Es confidencial, envíame fotos de los códigos."),
        ("fr", "Bonjour, es-tu disponible ? J'ai besoin que tu achètes 5 cartes cadeaux Google Play pour des clients. C'est confidentiel, envoie-moi une photo des codes."),
        ("pt", "Olá, está disponível? Preciso que você compre 5 cartões-presente Google Play para alguns clientes. É confidencial, me mande fotos dos códigos."),
        ("nl", "Hoi, ben je beschikbaar? Kun je kopen: 5 Google Play cadeaukaarten voor een klant. Vertrouwelijk, stuur me een foto van de codes."),
    ])
    func theCEOFraudRequestInEveryLanguage(_ language: String, _ body: String) {
        let v = detector.evaluate(makeView(from: "\"Robert Miller\" <robert.miller.office@gmail.com>", subject: "Quick favour", body: body))
        #expect(v.kind == .suspicious, "\(language)")
        #expect(v.reasons.contains(.giftCardRequest), "\(language)")
    }

    /// A colleague organising a staff present from the organisation's own domain has no private channel.
    @Test func aColleaguesGiftCardCollectionIsNoRequest() {
        let body = "Hi all, for Anna's farewell we are collecting for a gift card. Can you buy one on your way in? Thanks, Tom"
        let v = passed("corp.example", from: "\"Tom\" <tom@corp.example>", subject: "Anna's farewell", body: body + "\nhttps://intranet.corp.example/farewell")
        #expect(v.kind == .none)
    }

    @Test(arguments: [
        ("it", "Gentile cittadino, risulta una sanzione a suo carico di 250 euro. Il pagamento deve avvenire entro 48 ore tramite carte regalo Steam. Invii i codici a questo indirizzo."),
        ("es", "Estimado contribuyente, tiene una deuda pendiente de 300 euros. Debe pagar hoy con tarjetas de iTunes. Envíe los códigos respondiendo a este correo."),
        ("en", "Your package is held at customs. The release fee of $95 must be paid in Steam gift cards within 24 hours."),
    ])
    func feesDemandedInGiftCards(_ language: String, _ body: String) {
        let v = detector.evaluate(makeView(from: "\"Ufficio\" <ufficio.pratiche@libero.it>", subject: "Avviso", body: body))
        #expect(v.kind == .suspicious, "\(language)")
        #expect(v.reasons.contains(.giftCardPayment), "\(language)")
    }

    // MARK: Marketing is not a confirmation

    static let padding = String(repeating: "&zwnj;&nbsp;", count: 40)

    /// Offers to everyone (a streaming service's gift cards, a retailer's sweepstakes, a supermarket's own
    /// voucher), with a tracking redirect behind a link showing the sender's own site, hidden preheader
    /// padding and a customer-service number: none of it is a confirmation of the reader's, or a lure.
    @Test(arguments: [
        ("\"StreamFlix\" <news@streamflix.example>", "Give the gift of StreamFlix",
         "<p>Thank you for being a member. Give the gift of entertainment: StreamFlix gift cards from $25. Order yours today and get a bonus $5 card.</p><p><a href=\"https://click.esp.example/c/1\">www.streamflix.example/gift</a></p><p>Questions? Call 1-800-555-0177.</p>"),
        ("\"MegaMart\" <deals@e.megamart.example>", "Enter our sweepstakes: win a $500 gift card!",
         "<p>Your order history earns entries! Enter our holiday sweepstakes for a chance to win a $500 MegaMart gift card.</p><a href=\"https://links.tracker.example/ls/click?upn=x\">www.megamart.example</a><p>Customer service: (888) 555-0111</p>"),
        ("\"FreshMarkt\" <newsletter@freshmarkt.example>", "Ihr 5 € Gutschein für den nächsten Einkauf",
         "<p>Vielen Dank für Ihren Einkauf! Mit Ihrer Bestellung erhalten Sie einen 5 € Gutschein. Fragen? Hotline 0800 555 1234.</p><a href=\"https://t.esp.example/r/1\">www.freshmarkt.example</a>"),
    ])
    func anOfferToEveryoneIsNoConfirmation(_ from: String, _ subject: String, _ body: String) {
        let html = "<html><body><div style=\"display:none\">Holiday deals \(Self.padding)</div>\(body)</body></html>"
        let v = detector.evaluate(makeView(from: from, subject: subject, body: html, type: "text/html"))
        #expect(v.kind == .none, "\(subject): \(v.reasons)")
        #expect(!v.reasons.contains(.linkMismatch) && !v.reasons.contains(.obfuscatedText))
    }

    /// The same shape showing another brand's site is a mismatch, and a dispute cue makes it a lure.
    @Test func aLinkShowingSomeoneElsesSiteStillCounts() {
        let html = "<html><body><p>Thank you for purchasing a $200 gift card. If you did not make this purchase, call 1-888-555-0134.</p>"
            + "<a href=\"https://secure-refunds.example.net/x\">www.amazon.com</a></body></html>"
        let v = detector.evaluate(makeView(from: "\"Gift Desk\" <desk@giftdesk.example>", subject: "Receipt", body: html, type: "text/html"))
        #expect(v.kind == .suspicious)
        #expect(v.reasons.contains(.linkMismatch))
    }

    // MARK: A brand's own domains include its .brand top-level domain

    @Test func aCardIssuersMailFromItsBrandTLDIsItsOwn() {
        let registry = BrandRegistry.builtin
        #expect(registry.brand(owning: "welcome.americanexpress")?.id == "american-express")
        #expect(registry.brand(owning: "email.amazon")?.id == "amazon")
        #expect(registry.brand(owning: "amazon.evil.example") == nil)
        #expect(registry.brand(owning: "americanexpress.example") == nil)
        let body = "Dear Dana Rossi, we received your payment of $1,204.50 for your card ending 1004. Payment reference 88213-A.\n"
            + "Questions? Call 1-800-528-4800. https://www.americanexpress.com/account"
        let v = passed("welcome.americanexpress", from: "\"American Express\" <americanexpress@welcome.americanexpress>",
                       subject: "Your payment was received", body: body)
        #expect(v.kind != .suspicious, "\(v.reasons)")
        #expect(!v.reasons.contains(.lookalikeDomain))
    }
}
