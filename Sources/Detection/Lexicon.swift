import Foundation
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

    /// The built-in lexicon: the files in `Sources/Detection/Lexicon/`, one per language (en, ar, it,
    /// es, fr, de, pt), compiled into the binary.
    public static let builtin: Lexicon = {
        let files = [
            PackageResources.en_lexicon, PackageResources.ar_lexicon, PackageResources.it_lexicon,
            PackageResources.es_lexicon, PackageResources.fr_lexicon, PackageResources.de_lexicon,
            PackageResources.pt_lexicon,
        ]
        var sections: [String: [String]] = [:]
        for file in files {
            for (name, terms) in parse(String(decoding: file, as: UTF8.self)) { sections[name, default: []] += terms }
        }
        return Lexicon(
            giftCardTerms: sections["gift-card"] ?? [], purchaseTerms: sections["purchase"] ?? [],
            callbackTerms: sections["callback"] ?? [], codeSharingTerms: sections["code-sharing"] ?? [],
            awarenessTerms: sections["awareness"] ?? [], adviceTerms: sections["advice"] ?? [],
            salutationWords: sections["salutation"] ?? [], genericAddressWords: sections["generic-address"] ?? [],
            orderCueWords: sections["order-cue"] ?? [], currencyWords: sections["currency"] ?? []
        )
    }()

    /// Reads a lexicon file: `[section]` lines open a section, other lines are phrases. A line starting
    /// with `#`, or the rest of a line after ` # `, is a comment (so a phrase like "order #" keeps its `#`).
    static func parse(_ text: String) -> [String: [String]] {
        var sections: [String: [String]] = [:]
        var current: String?
        for rawLine in text.split(separator: "\n") {
            var line = String(rawLine)
            if let comment = line.range(of: " # ") { line = String(line[..<comment.lowerBound]) }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast())
            } else if let current {
                sections[current, default: []].append(line)
            }
        }
        return sections
    }
}
