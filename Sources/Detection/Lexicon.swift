import Foundation
import MailView

/// The words that tell what a message is about, per language, matched on normalized text.
///
/// Phrases are written as people write them and normalized once at start-up with the same
/// `TextNormalizer` as the message, so accents, case and Arabic letter forms never need listing twice.
/// A phrase ending in `*` is a stem (`renew*` matches "renewed", "renewal"); one starting with `*` may
/// close a compound (`*gutschein` matches "einkaufsgutschein"). Detection never depends on one phrase:
/// sections are signals that rules weigh together (see `Detector+Rules.swift`).
public struct Lexicon: Sendable {
    /// The phrase sections of a lexicon file, `[name]` in the file.
    public enum Section: String, Sendable, CaseIterable {
        /// Gift card, gift voucher, e-gift, Gutschein, bon d'achat…
        case giftCard = "gift-card"
        /// Whole phrases of purchase confirmations: "thank you for your order", "order confirmation".
        case purchase
        /// Transaction stems in any form: order*, purchas*, renew*, invoice*, bestell*, commande*.
        case transaction
        /// Words that address the reader: you, your, ihre, votre, il tuo, uw.
        case secondPerson = "second-person"
        /// Dispute cues of call-back lures: "if you did not authorize", "to cancel", "refund".
        case callback
        /// Ways to reach a support line: "call us", "contact us at", "helpline", "toll free".
        case support
        /// Asking someone to pass gift-card codes on: "scratch the back", "send me the codes".
        case codeSharing = "code-sharing"
        /// Fees, fines, taxes and charges someone demands: "delivery fee", "clearance", "Gebühr".
        case fee
        /// Paying with something: "pay with", "send via", "in the form of", "bezahlen mit".
        case payWith = "pay-with"
        /// Winning and prizes: win*, prize, gewinn*, gagn*, sorteio, verlosung.
        case prize
        /// Being chosen: congratulations, selected, ausgewählt, félicitations, gefeliciteerd.
        case selection
        /// Surveys and taking part: survey, umfrage, enquête, teilnehmen, participate.
        case participation
        /// Claiming what is waiting: claim, confirm, redeem, bestätigen, einlösen, réclamer.
        case claim
        /// Pressure and bait: free, kostenlos, expires, last chance, nur noch, limited.
        case urgency
        /// Words of scam warnings: "scammers", "fraud", "phishing", "truffa", "احتيال".
        case awareness
        /// Advice words of security notices: "never", "report", "fake".
        case advice
        /// Asking the reader to get something for the writer: "I need you to buy", "can you pick up",
        /// "kauf bitte", "puoi comprare", "necesito que compres" (read beside gift cards: the CEO fraud).
        case request
        /// The pretext around such a request: availability, secrecy, a meeting that keeps the writer from
        /// the phone: "are you available", "confidential", "bist du erreichbar", "riservato", "discreto".
        case discretion
        /// The line a mail client puts above a forwarded or quoted message: "forwarded message", "original
        /// message", "weitergeleitete Nachricht", "messaggio inoltrato": what follows is reported, not said.
        case forwarded
        /// An offer to everyone, in the imperative: "order yours", "shop now", "bestellen Sie Ihre",
        /// "commandez", "ordina ora". A confirmation speaks of what the reader did, not of what to do.
        case offer
    }

    /// Each section's phrases, normalized.
    public let terms: [Section: [String]]

    /// Greeting words that open a message ("dear", "gentile", "عزيزي").
    public var salutationWords: Set<String>
    /// Words that address anyone rather than a person ("customer", "cliente", "عميل").
    public var genericAddressWords: Set<String>
    /// Words that introduce an order number ("order", "ordine", "pedido", "طلب").
    public var orderCueWords: Set<String>
    /// Currency names and codes that follow or precede an amount ("eur", "usd", "ريال").
    public var currencyWords: Set<String>

    /// All terms in one automaton; `sections[id]` says which section a phrase id came from.
    private let phraseSet: PhraseSet
    private let sections: [Section]

    public init(terms: [Section: [String]], salutationWords: [String] = [], genericAddressWords: [String] = [],
                orderCueWords: [String] = [], currencyWords: [String] = []) {
        let normalized = terms.mapValues { $0.map(TextNormalizer.normalize).filter { !$0.isEmpty } }
        self.terms = normalized
        self.salutationWords = Set(salutationWords.map(TextNormalizer.normalize))
        self.genericAddressWords = Set(genericAddressWords.map(TextNormalizer.normalize))
        self.orderCueWords = Set(orderCueWords.map(TextNormalizer.normalize))
        self.currencyWords = Set(currencyWords.map(TextNormalizer.normalize))
        let lists = Section.allCases.map { ($0, normalized[$0] ?? []) }
        phraseSet = PhraseSet(lists.flatMap(\.1))
        sections = lists.flatMap { section, phrases in phrases.map { _ in section } }
    }

    public func terms(_ section: Section) -> [String] { terms[section] ?? [] }

    /// Where each section's phrases occur in one normalized text, found in one pass.
    public struct Hits: Sendable {
        /// Per section: (phrase, byte offset) in text order.
        var found: [Section: [(phrase: String, offset: Int)]] = [:]

        public init() {}

        public func has(_ section: Section) -> Bool { found[section] != nil }

        /// Byte offsets of a section's phrases.
        public func offsets(_ section: Section) -> [Int] { (found[section] ?? []).map(\.offset) }

        /// Byte ranges of a section's phrases.
        public func spans(_ section: Section) -> [Range<Int>] {
            (found[section] ?? []).map { $0.offset..<($0.offset + $0.phrase.utf8.count) }
        }

        /// True when a phrase of `a` and one of `b` start within `distance` bytes of each other: the
        /// short window that tells "your order" from "order" and "your" in two sentences.
        public func near(_ a: Section, _ b: Section, within distance: Int) -> Bool {
            let left = offsets(a), right = offsets(b)
            guard !left.isEmpty, !right.isEmpty else { return false }
            return left.contains { x in right.contains { abs($0 - x) <= distance } }
        }

        /// Offsets of `section` that are within `distance` bytes of some offset in `others`.
        public func near(_ section: Section, offsets others: [Int], within distance: Int) -> Bool {
            offsets(section).contains { x in others.contains { abs($0 - x) <= distance } }
        }
    }

    public func scan(_ normalized: String) -> Hits {
        var hits = Hits()
        for occurrence in phraseSet.occurrences(in: normalized) {
            hits.found[sections[occurrence.id], default: []].append((phraseSet.phrases[occurrence.id], occurrence.offset))
        }
        return hits
    }

    /// The built-in lexicon: all languages' files together (mail mixes languages, and a lure's
    /// language guess may be wrong, so every message is read with every language's words).
    public static let builtin: Lexicon = {
        let files = [
            PackageResources.en_lexicon, PackageResources.ar_lexicon, PackageResources.it_lexicon,
            PackageResources.es_lexicon, PackageResources.fr_lexicon, PackageResources.de_lexicon,
            PackageResources.pt_lexicon, PackageResources.nl_lexicon,
        ]
        var sections: [String: [String]] = [:]
        for file in files {
            for (name, terms) in parse(String(decoding: file, as: UTF8.self)) { sections[name, default: []] += terms }
        }
        var terms: [Section: [String]] = [:]
        for section in Section.allCases { terms[section] = sections[section.rawValue] ?? [] }
        return Lexicon(
            terms: terms,
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
