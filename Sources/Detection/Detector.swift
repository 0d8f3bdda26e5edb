import Foundation
import MailView

/// Turns a message view and its envelope into a verdict. Pure: no I/O, safe to share across threads.
public struct Detector: Sendable {
    public var brands: BrandRegistry
    public let lexicon: Lexicon
    /// The lexicon as the parser's pre-screen (`MessageParser.parse(_:limits:details:screen:)`).
    public let screen: LexiconScreen
    /// authserv-ids whose `Authentication-Results` are believed (lower-case).
    public let trustedAuthservIDs: Set<String>
    /// Their UTS #39 skeletons, to recognise a disguised copy (`resemblesTrustedID`).
    let trustedSkeletons: Set<String>
    /// The organisation's own mail domains (lower-case): where its security notices come from.
    public var organizationDomains: [String]
    /// Free mail, form platforms, free hosts and shorteners: where a pass proves nothing about the writer.
    public var platforms: OpenPlatforms
    /// The scores the rules give (`Rules/scores.conf`).
    public var scores: Scores = .builtin

    public init(brands: BrandRegistry = .builtin, lexicon: Lexicon = .builtin, platforms: OpenPlatforms = .builtin,
                trustedAuthservIDs: Set<String>, organizationDomains: [String] = []) {
        self.brands = brands
        self.lexicon = lexicon
        screen = LexiconScreen(lexicon)
        self.platforms = platforms
        self.trustedAuthservIDs = Set(trustedAuthservIDs.map { $0.lowercased() })
        trustedSkeletons = Set(self.trustedAuthservIDs.map(ConfusableSkeleton.of))
        self.organizationDomains = organizationDomains.map { $0.lowercased() }
    }

    /// Judges a view parsed without details: mail that never mentions gift cards is `none` at once,
    /// and only the rest gets its details (phone numbers, links, obfuscations, domains) and a full
    /// evaluation. Returns the view the verdict was made on.
    /// A view the screen cleared (`MessageView.clearedByScreen`, parsed with this detector's `screen`) is
    /// `none` the same way, without the lexicon walk.
    public func evaluate(lazily view: MessageView, envelope: Envelope = Envelope()) -> (Verdict, MessageView) {
        if view.clearedByScreen {
            return (noting(Self.notGiftCard(language: view.language), about: view, forgedAuthentication: authentication(of: view, envelope: envelope).forged), view)
        }
        let hits = lexicon.scan(view.normalizedText)
        let named = { lexicon.scan(TextNormalizer.normalize(view.from?.displayName ?? "")) }
        guard view.hasDetails || Self.mayConcern(hits) || Self.mayConcern(named()) else {
            return (noting(Self.notGiftCard(language: view.language), about: view, forgedAuthentication: authentication(of: view, envelope: envelope).forged), view)
        }
        var full = view
        MessageParser.addDetails(to: &full)
        return (evaluate(full, envelope: envelope, hits: hits), full)
    }

    /// Whether a message could belong to any family the rules judge: it names gift cards or vouchers,
    /// offers a prize, or is a transaction that gives a way to get in touch.
    static func mayConcern(_ hits: Lexicon.Hits) -> Bool {
        mayConcern { hits.has($0) }
    }

    /// The same decision from any account of which sections occur (the screen's is a superset).
    static func mayConcern(_ has: (Lexicon.Section) -> Bool) -> Bool {
        has(.giftCard) || has(.prize) || (has(.transaction) && (has(.support) || has(.callback)))
    }

    /// The sections `mayConcern` reads.
    static let concernSections: [Lexicon.Section] = [.giftCard, .prize, .transaction, .support, .callback]

    /// What the verdict must not hide, noted on any verdict. Limits that cut what was read: what lies past
    /// a limit was never judged, so a lure hidden after 2 MB of padding or in MIME part 257 must not leave
    /// with a clean report; an otherwise `none` verdict gets score 5 (the top of `none`'s range) so
    /// score-based rules can see it. The HTML depth limit only switches to a plain tag stripper, which
    /// still reads all the text. And a trusted authserv-id's result that was refused as forged.
    func noting(_ verdict: Verdict, about view: MessageView, forgedAuthentication: Bool) -> Verdict {
        var noted = verdict
        if forgedAuthentication { noted.reasons.append(.forgedAuthentication) }
        guard view.limitsReached.contains(where: { $0 != .htmlDepth }) else { return noted }
        noted.reasons.append(.limitReached)
        if noted.kind == .none { noted.score = max(noted.score, scores[.limitReached]) }
        return noted
    }

    static func notGiftCard(language: String) -> Verdict {
        Verdict(kind: .none, score: 0, reasons: [], brand: nil, language: language, explanation: "Not a gift-card purchase confirmation.")
    }

    public func evaluate(_ view: MessageView, envelope: Envelope = Envelope()) -> Verdict {
        var view = view
        MessageParser.readRest(of: &view)
        return evaluate(view, envelope: envelope, hits: lexicon.scan(view.normalizedText))
    }

    /// Turns an authenticated brand confirmation into `erroneous` when correlation shows the same
    /// confirmation reached `recipients` distinct people within the window, at or above `threshold`.
    /// Other verdicts are returned unchanged.
    public func applyBulk(_ verdict: Verdict, recipients: Int, threshold: Int) -> Verdict {
        guard verdict.reasons.contains(.brandAuthenticated), recipients >= threshold,
              verdict.kind == .genuine || verdict.kind == .erroneous else { return verdict }
        var result = verdict
        result.kind = .erroneous
        result.reasons.append(.bulkIdentical)
        result.score = max(verdict.score, scores[.bulkIdentical])
        let name = verdict.brand.flatMap { brands.brand(id: $0)?.names.first } ?? verdict.brand ?? "The sender"
        result.explanation = "\(name) sent this same confirmation to \(recipients) people within a short time: it was most likely sent in error."
        return result
    }

    /// Signs of a scam beyond the sender: links that show one domain and lead to another or away from
    /// the brand, replies to a free mailbox, text obfuscated against filters. Returns reasons and score.
    func scamMarkers(_ view: MessageView, _ s: MessageSignals, brand: Brand?) -> ([Reason], Int) {
        var reasons: [Reason] = []
        var score = 0
        if s.linkMismatch {
            reasons.append(.linkMismatch)
            score += scores[.markerLinkMismatch]
        }
        if let brand, view.links.contains(where: { !brand.owns(domain: view.domain($0.host).registrable ?? $0.host) }) {
            reasons.append(.offBrandLinks)
            score += scores[.markerOffBrandLinks]
        }
        if s.freemailReplyTo {
            reasons.append(.freemailReplyTo)
            score += scores[.markerFreemailReplyTo]
        }
        // Hidden HTML alone is a newsletter's preheader padding: only text disguised inside words counts.
        if s.disguised {
            reasons.append(.obfuscatedText)
            score += scores[.markerObfuscatedText]
        }
        return (reasons, score)
    }

    func hasFreemailReplyTo(_ view: MessageView) -> Bool {
        guard let replyTo = view.replyTo?.domain, !replyTo.isEmpty else { return false }
        return platforms.isFreemail(registrable: view.domain(replyTo).registrable ?? replyTo)
    }

    /// A trusted pass aligned with an arbitrary domain (relaxed: same domain or parent/child).
    func authenticated(domain: String, in view: MessageView, envelope: Envelope = Envelope()) -> Bool {
        Self.aligned(domain, with: trustedPasses(in: view, envelope: envelope))
    }

    /// A pass in `passes` aligned with `domain` (relaxed: same domain or parent/child).
    static func aligned(_ domain: String, with passes: [String]) -> Bool {
        passes.contains { Brand.isSameOrSubdomain(domain, of: $0) || Brand.isSameOrSubdomain($0, of: domain) }
    }

    /// Domains vouched for by trusted DKIM (`header.d`) and DMARC (`header.from`) passes written on this
    /// host (see `AuthenticationResult.addedHere`). A sender can write any Authentication-Results, so a
    /// pass is refused when it cannot be this host's: its authserv-id not written plainly (the form the
    /// MTA's rule removes, `AuthenticationResult.plainID`), a DKIM pass for a domain no DKIM-Signature
    /// names, a DMARC pass with neither an aligned DKIM-Signature nor an aligned envelope sender (the only
    /// two ways DMARC can pass), or a DMARC result the same authserv-id contradicts (a verifier writes one
    /// per message). A trusted failure for a domain is never outvoted by a pass for it.
    func trustedPasses(in view: MessageView, envelope: Envelope = Envelope()) -> [String] {
        authentication(of: view, envelope: envelope).passes
    }

    /// The believed passes, the domains a trusted verifier failed, and whether a result with a trusted
    /// authserv-id was refused as forged.
    func authentication(of view: MessageView, envelope: Envelope = Envelope()) -> (passes: [String], failed: Set<String>, forged: Bool) {
        var passes: [String] = []
        var failed: Set<String> = []
        var forged = false
        var trusted: [AuthenticationResult] = []
        for result in view.authenticationResults {
            if result.plainID {
                if trustedAuthservIDs.contains(result.authservID) { trusted.append(result) }
            } else if resemblesTrustedID(result.authservID) {
                forged = true
            }
        }
        // One DMARC evaluation per message and verifier: differing ones under one id are not all its own.
        var dmarcResults: [String: Set<String>] = [:]
        for result in trusted where result.method == "dmarc" && result.addedHere {
            dmarcResults[result.authservID, default: []].insert(result.result + " " + (result.properties["header.from"] ?? "").lowercased())
        }
        for result in trusted {
            guard result.addedHere else { forged = true; continue }
            let domain: String?
            switch result.method {
            case "dkim": domain = (result.properties["header.d"] ?? result.properties["header.i"]).map(domainPart)
            case "dmarc": domain = result.properties["header.from"].map(domainPart)
            default: domain = nil
            }
            guard let domain else { continue }
            switch result.result {
            case "pass":
                if result.method == "dkim", !view.dkimSigners.contains(where: { Brand.isSameOrSubdomain(domain, of: $0) }) { forged = true; continue }
                if result.method == "dmarc" {
                    if dmarcResults[result.authservID, default: []].count > 1 { forged = true; continue }
                    if !Self.dmarcCanPass(for: domain, view: view, envelope: envelope) { forged = true; continue }
                }
                passes.append(domain)
            case "fail", "permerror", "policy", "quarantine", "reject": failed.insert(domain)
            default: break
            }
        }
        return (passes.filter { !failed.contains($0) }, failed, forged)
    }

    /// Whether DMARC could have passed for a From `domain`: through a DKIM signature whose `d=` is aligned
    /// with it (relaxed: the same registrable domain) or through SPF for an aligned envelope sender.
    static func dmarcCanPass(for domain: String, view: MessageView, envelope: Envelope) -> Bool {
        let organization = { (name: String) in view.domain(name).registrable ?? name.lowercased() }
        let from = organization(domain)
        if view.dkimSigners.contains(where: { organization($0) == from }) { return true }
        let sender = envelope.sender.trimmingCharacters(in: ["<", ">", " "])
        guard sender.contains("@") else { return false }
        let senderDomain = domainPart(sender)
        return !senderDomain.isEmpty && organization(senderDomain) == from
    }

    /// A trusted id in disguise: the same after lenient decoding, or the same to the eye (UTS #39
    /// skeleton: a Cyrillic letter, a fullwidth form).
    func resemblesTrustedID(_ id: String) -> Bool {
        guard !id.isEmpty else { return false }
        return trustedAuthservIDs.contains(id) || trustedSkeletons.contains(ConfusableSkeleton.of(id))
    }

    /// A From domain in the forms look-alike checks compare, computed once per message.
    ///
    /// A domain imitates a brand without belonging to it when its registrable label (in Unicode, so
    /// punycode is read as the reader sees it) has the same UTS #39 skeleton as a brand stem, contains the
    /// stem, or is one edit away from it (`amaz0n`, `аmazon` with Cyrillic а, `arnazon`, `amazom`).
    struct LookalikeProbe {
        let domain: String
        let label: String
        let wholeSkeleton: String
        let labelSkeleton: String

        init(_ domain: String) {
            self.domain = domain
            let name = DomainName(domain)
            let unicode = name.unicode ?? domain
            label = (name.registrable.flatMap { DomainName($0).unicode } ?? unicode)
                .split(separator: ".").first.map(String.init) ?? unicode
            wholeSkeleton = Detector.foldDigits(ConfusableSkeleton.of(unicode))
            labelSkeleton = Detector.foldDigits(ConfusableSkeleton.of(label))
        }

        func imitates(_ brand: Brand) -> Bool {
            guard !domain.isEmpty, !brand.owns(domain: domain) else { return false }
            for stem in brand.lookalikeStems {
                if labelSkeleton == stem.skeleton || wholeSkeleton.contains(stem.skeleton) { return true }
                if stem.text.count >= 5, Detector.editDistance(label, stem.text, limit: 1) <= 1 { return true }
            }
            return false
        }
    }

    /// Digits that stand in for letters in look-alike domains.
    static func foldDigits(_ text: String) -> String {
        String(text.map { ch -> Character in
            switch ch {
            case "0": return "o"
            case "1": return "l"
            case "3": return "e"
            case "5": return "s"
            default: return ch
            }
        })
    }

    /// Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a), b = Array(b)
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            var rowMin = current[0]
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return limit + 1 }
            previous = current
        }
        return previous[b.count]
    }
}

private func domainPart(_ value: String) -> String {
    let lower = value.lowercased()
    if let at = lower.lastIndex(of: "@") { return String(lower[lower.index(after: at)...]) }
    return lower
}
