import MailView

/// The words that tell what a message is about, per language, matched on normalized text.
///
/// Phrases are written as people write them and normalized once at start-up with the same
/// `TextNormalizer` as the message, so accents, case and Arabic letter forms never need listing twice.
public struct Lexicon: Sendable {
    /// Gift card, gift voucher, e-gift…
    public var giftCardTerms: [String]
    /// Thank-you-for-your-purchase, order confirmation, order number…
    public var purchaseTerms: [String]
    /// "If you did not make this purchase", "call us to cancel"…
    public var callbackTerms: [String]
    /// Asking someone to pass gift-card codes on: "scratch the back", "send me the codes" (BEC fraud).
    public var codeSharingTerms: [String]
    /// Words of scam warnings: "scammers", "fraud", "phishing", "truffa", "احتيال".
    public var awarenessTerms: [String]
    /// Advice words of security notices: "never", "report", "fake".
    public var adviceTerms: [String]

    /// Greeting words that open a message ("dear", "gentile", "عزيزي").
    public var salutationWords: Set<String>
    /// Words that address anyone rather than a person ("customer", "cliente", "عميل").
    public var genericAddressWords: Set<String>
    /// Words that introduce an order number ("order", "ordine", "pedido", "طلب").
    public var orderCueWords: Set<String>
    /// Currency names and codes that follow or precede an amount ("eur", "usd", "ريال").
    public var currencyWords: Set<String>

    /// All terms in one automaton; `kinds[id]` says which list a phrase id came from.
    private let phraseSet: PhraseSet
    private let kinds: [Kind]

    enum Kind { case giftCard, purchase, callback, codeSharing, awareness, advice }

    public init(giftCardTerms: [String], purchaseTerms: [String], callbackTerms: [String],
                codeSharingTerms: [String] = [], awarenessTerms: [String] = [], adviceTerms: [String] = [],
                salutationWords: [String] = [], genericAddressWords: [String] = [], orderCueWords: [String] = [],
                currencyWords: [String] = []) {
        self.codeSharingTerms = codeSharingTerms.map(TextNormalizer.normalize)
        self.awarenessTerms = awarenessTerms.map(TextNormalizer.normalize)
        self.adviceTerms = adviceTerms.map(TextNormalizer.normalize)
        self.salutationWords = Set(salutationWords.map(TextNormalizer.normalize))
        self.genericAddressWords = Set(genericAddressWords.map(TextNormalizer.normalize))
        self.orderCueWords = Set(orderCueWords.map(TextNormalizer.normalize))
        self.currencyWords = Set(currencyWords.map(TextNormalizer.normalize))
        self.giftCardTerms = giftCardTerms.map(TextNormalizer.normalize)
        self.purchaseTerms = purchaseTerms.map(TextNormalizer.normalize)
        self.callbackTerms = callbackTerms.map(TextNormalizer.normalize)
        let lists: [(Kind, [String])] = [
            (.giftCard, self.giftCardTerms), (.purchase, self.purchaseTerms), (.callback, self.callbackTerms),
            (.codeSharing, self.codeSharingTerms), (.awareness, self.awarenessTerms), (.advice, self.adviceTerms),
        ]
        phraseSet = PhraseSet(lists.flatMap(\.1))
        kinds = lists.flatMap { kind, terms in terms.map { _ in kind } }
    }

    /// The first term of each kind found in normalized text, in one pass.
    public struct Hits: Sendable, Equatable {
        public var giftCard: String?
        public var purchase: String?
        public var callback: String?
        public var codeSharing: String?
        public var awareness: String?
        public var advice: String?
    }

    public func scan(_ normalized: String) -> Hits {
        var hits = Hits()
        for id in phraseSet.matches(in: normalized) {
            let phrase = phraseSet.phrases[id]
            switch kinds[id] {
            case .giftCard: hits.giftCard = hits.giftCard ?? phrase
            case .purchase: hits.purchase = hits.purchase ?? phrase
            case .callback: hits.callback = hits.callback ?? phrase
            case .codeSharing: hits.codeSharing = hits.codeSharing ?? phrase
            case .awareness: hits.awareness = hits.awareness ?? phrase
            case .advice: hits.advice = hits.advice ?? phrase
            }
        }
        return hits
    }

    /// The built-in lexicon for en, ar, it, es, fr, de and pt.
    public static let builtin = Lexicon(
        giftCardTerms: [
            // en
            "gift card", "gift cards", "giftcard", "giftcards", "e-gift card", "egift card", "egift", "e-gift",
            "gift certificate", "gift voucher", "gift code",
            // ar
            "بطاقة هدايا", "بطاقات هدايا", "بطاقة هدية", "بطاقات هدية", "بطاقة الهدايا", "بطاقات الهدايا",
            "قسيمة هدية", "قسائم هدايا", "كرت هدية",
            // it
            "carta regalo", "carte regalo", "buono regalo", "buoni regalo", "gift card regalo",
            // es
            "tarjeta regalo", "tarjetas regalo", "tarjeta de regalo", "tarjetas de regalo", "cheque regalo",
            // fr
            "carte cadeau", "cartes cadeaux", "carte-cadeau", "cartes-cadeaux", "cheque-cadeau", "e-carte cadeau",
            // de
            "geschenkkarte", "geschenkkarten", "geschenkgutschein", "gutschein", "gutscheinkarte", "guthabenkarte",
            // pt
            "cartao-presente", "cartoes-presente", "cartao presente", "cartao de presente", "vale-presente",
            "vale presente", "cartao-oferta",
        ],
        purchaseTerms: [
            // en
            "thank you for your purchase", "thanks for your purchase", "thank you for purchasing",
            "thank you for your order", "thanks for your order", "order confirmation", "purchase confirmation",
            "your order", "you purchased", "you have purchased", "you bought", "order number", "order #",
            "order total", "your purchase",
            // ar
            "شكرا لك على شراء", "شكرا على شراء", "شكرا لشرائك", "شكرا لك على طلبك", "تاكيد الطلب",
            "تاكيد الشراء", "طلبك", "رقم الطلب", "عملية الشراء", "مشترياتك", "لقد اشتريت",
            // it
            "grazie per l'acquisto", "grazie per aver acquistato", "grazie per il tuo ordine",
            "conferma dell'ordine", "conferma d'ordine", "conferma ordine", "il tuo ordine", "numero d'ordine",
            "numero ordine", "hai acquistato", "il tuo acquisto", "conferma di acquisto",
            // es
            "gracias por tu compra", "gracias por su compra", "gracias por tu pedido", "gracias por su pedido",
            "confirmacion del pedido", "confirmacion de pedido", "confirmacion de compra", "tu pedido",
            "su pedido", "numero de pedido", "has comprado", "ha comprado",
            // fr
            "merci pour votre achat", "merci pour votre commande", "merci de votre achat",
            "merci de votre commande", "confirmation de commande", "confirmation d'achat", "votre commande",
            "numero de commande", "vous avez achete", "votre achat",
            // de
            "vielen dank fur ihren einkauf", "vielen dank fur ihre bestellung", "danke fur ihre bestellung",
            "bestellbestatigung", "kaufbestatigung", "ihre bestellung", "bestellnummer", "sie haben gekauft",
            "ihr einkauf",
            // pt
            "obrigado pela sua compra", "obrigado pela compra", "obrigado pelo seu pedido",
            "confirmacao do pedido", "confirmacao de pedido", "confirmacao de compra", "seu pedido",
            "numero do pedido", "voce comprou", "sua compra",
        ],
        callbackTerms: [
            // en
            "did not make this purchase", "didn't make this purchase", "did not authorize", "didn't authorize",
            "did not place this order", "didn't place this order", "if this wasn't you", "if this was not you",
            "not you?", "call us", "call our", "call now", "call immediately", "call the number",
            "contact us immediately", "to cancel", "cancel this order", "cancel this transaction",
            "billing department", "helpline", "support line",
            // ar
            "اذا لم تقم", "لم تقم بهذه", "لم تقم بهذا", "اتصل", "للالغاء", "لالغاء", "الغاء الطلب",
            // it
            "se non hai effettuato", "non hai effettuato", "non hai autorizzato", "chiama", "chiamaci",
            "chiamare", "per annullare", "annullare l'ordine", "contatta subito",
            // es
            "si no realizaste", "si usted no realizo", "si no reconoces", "no autorizaste", "llame",
            "llamenos", "llama", "para cancelar", "cancelar el pedido",
            // fr
            "si vous n'avez pas effectue", "si vous n'etes pas a l'origine", "appelez", "appelez-nous",
            "pour annuler", "annuler la commande",
            // de
            "falls sie diese", "wenn sie diesen kauf nicht", "nicht autorisiert", "rufen sie", "rufen sie uns",
            "stornieren", "zum stornieren",
            // pt
            "se voce nao fez", "se voce nao reconhece", "nao autorizou", "ligue", "ligue para", "para cancelar",
            "cancelar o pedido",
        ],
        codeSharingTerms: [
            "scratch the back", "scratch off", "send me the code", "send me the codes", "photos of the codes",
            "pictures of the codes", "picture of the card", "gratta il retro", "foto dei codici", "mandami i codici",
            "raspa el reverso", "fotos de los codigos", "enviame los codigos", "gratte le dos", "photos des codes",
            "envoie-moi les codes", "rubbel die ruckseite", "fotos der codes", "schick mir die codes",
            "raspe o verso", "fotos dos codigos", "me envie os codigos", "اكشط الخلف", "صور الرموز", "ارسل لي الرموز",
        ],
        awarenessTerms: [
            "scam", "scams", "scammer", "scammers", "fraud", "fraudster", "fraudsters", "phishing", "truffa", "truffe",
            "truffatori", "estafa", "estafas", "estafadores", "arnaque", "arnaques", "escroc", "escrocs", "fraudeurs",
            "betrug", "betruger", "betrugsmasche", "betrugsmaschen", "golpe", "golpes", "golpista", "golpistas",
            "fraudadores", "احتيال", "الاحتيال", "المحتالون", "محتالين", "المحتالين",
        ],
        adviceTerms: [
            "never call", "never pay", "do not call", "fake messages", "report them", "non chiamare mai",
            "non pagare mai", "messaggi falsi", "segnalali", "nunca llames", "mensajes falsos", "reportalos",
            "n'appelez jamais", "faux messages", "signalez-les", "rufen sie solche", "gefalschte nachrichten",
            "melden sie", "nunca ligue", "mensagens falsas", "denuncie", "لا تتصل ابدا", "رسائل مزيفه", "ابلغ",
        ],
        salutationWords: [
            "dear", "hello", "hi", "ciao", "gentile", "caro", "cara", "salve", "hola", "estimado", "estimada",
            "querido", "querida", "bonjour", "cher", "chère", "hallo", "liebe", "lieber", "sehr", "geehrte",
            "geehrter", "olá", "prezado", "prezada", "oi", "عزيزي", "عزيزتي", "مرحبا", "السيد", "السيدة",
        ],
        genericAddressWords: [
            "customer", "customers", "client", "member", "user", "shopper", "valued", "sir", "madam", "there",
            "friend", "all", "team",
            "cliente", "clienti", "utente", "cliente", "usuario", "cliente", "client", "clients", "cliente",
            "kunde", "kundin", "kunden", "nutzer", "kundinnen", "usuário", "membro",
            "عميل", "العميل", "عملاءنا", "عملائنا", "المستخدم", "عميلنا",
        ],
        orderCueWords: [
            "order", "ordine", "pedido", "commande", "bestellung", "bestellnummer", "encomenda", "طلب", "الطلب",
            "طلبك", "transaction", "transazione", "transaccion", "transacao", "receipt", "ricevuta", "recibo", "recu",
            "beleg", "invoice", "fattura", "factura", "facture", "rechnung", "fatura", "فاتورة",
        ],
        currencyWords: [
            "usd", "eur", "euro", "euros", "gbp", "sar", "aed", "egp", "brl", "mxn", "chf", "dollars", "dollari",
            "dolares", "dollar", "reais", "real", "ريال", "درهم", "جنيه", "دولار", "يورو",
        ]
    )
}
