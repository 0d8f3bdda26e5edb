import Foundation
import MailView

/// Turns a message view and its envelope into a verdict. Pure: no I/O, safe to share across threads.
public struct Detector: Sendable {
    public var brands: BrandRegistry
    public var lexicon: Lexicon
    /// authserv-ids whose `Authentication-Results` are believed (lower-case).
    public var trustedAuthservIDs: Set<String>

    public init(brands: BrandRegistry = .builtin, lexicon: Lexicon = .builtin, trustedAuthservIDs: Set<String>) {
        self.brands = brands
        self.lexicon = lexicon
        self.trustedAuthservIDs = Set(trustedAuthservIDs.map { $0.lowercased() })
    }

    public func evaluate(_ view: MessageView, envelope: Envelope = Envelope()) -> Verdict {
        let text = view.normalizedText
        let language = view.language
        let hits = lexicon.scan(text)
        guard hits.giftCard != nil, hits.purchase != nil else {
            return Verdict(kind: .none, score: 0, reasons: [], brand: nil, language: language,
                           explanation: "Not a gift-card purchase confirmation.")
        }
        let fromDomain = view.from?.domain ?? ""
        let claimed = claimedBrand(view)
        let callback = !view.phoneNumbers.isEmpty && hits.callback != nil
        var reasons: [Reason] = [.giftCardConfirmation]

        guard let brand = claimed else {
            if callback {
                reasons.append(.callbackPhone)
                return Verdict(kind: .suspicious, score: 75, reasons: reasons, brand: nil, language: language,
                               explanation: "A gift-card confirmation that asks you to call a phone number.")
            }
            if !fromDomain.isEmpty, authenticated(domain: fromDomain, in: view) {
                reasons.append(.senderAuthenticated)
                return Verdict(kind: .genuine, score: 10, reasons: reasons, brand: nil, language: language,
                               explanation: "A gift-card confirmation from an authenticated sender, \(fromDomain).")
            }
            reasons.append(.unknownBrand)
            return Verdict(kind: .none, score: 5, reasons: reasons, brand: nil, language: language,
                           explanation: "A gift-card confirmation from a sender that is neither a known brand nor authenticated.")
        }

        if brand.owns(domain: fromDomain), authenticated(brand: brand, fromDomain: fromDomain, in: view) {
            reasons.append(.brandAuthenticated)
            return Verdict(kind: .genuine, score: 10, reasons: reasons, brand: brand.id, language: language,
                           explanation: "A gift-card confirmation that \(brand.names.first ?? brand.id) authenticated.")
        }

        var score = 70
        if brand.owns(domain: fromDomain) {
            reasons.append(.brandNotAuthenticated)
        } else {
            reasons.append(.brandDomainMismatch)
            if isLookalike(fromDomain, of: brand) {
                reasons.append(.lookalikeDomain)
                score += 10
            }
        }
        if callback {
            reasons.append(.callbackPhone)
            score += 15
        }
        let name = brand.names.first ?? brand.id
        let explanation = callback
            ? "Presents itself as a confirmation from \(name), was not sent by \(name), and asks you to call a phone number."
            : "Presents itself as a confirmation from \(name) but was not sent by \(name)'s authenticated mail."
        return Verdict(kind: .suspicious, score: score, reasons: reasons, brand: brand.id, language: language,
                       explanation: explanation)
    }

    /// The brand the message presents itself as: From domain, then display name, then subject, then text.
    func claimedBrand(_ view: MessageView) -> Brand? {
        if let domain = view.from?.domain, let brand = brands.brand(owning: domain) { return brand }
        let displayName = TextNormalizer.normalize(view.from?.displayName ?? "")
        if let brand = brands.brand(mentionedIn: displayName) { return brand }
        if let domain = view.from?.domain, let brand = brands.brands.first(where: { isLookalike(domain, of: $0) }) {
            return brand
        }
        if let brand = brands.brand(mentionedIn: TextNormalizer.normalize(view.subject)) { return brand }
        return brands.brand(mentionedIn: view.normalizedText)
    }

    /// Trusted results only: a DKIM pass whose signing domain, or a DMARC pass whose From domain,
    /// belongs to the brand (and the visible From domain is the brand's).
    func authenticated(brand: Brand, fromDomain: String, in view: MessageView) -> Bool {
        trustedPasses(in: view).contains { brand.owns(domain: $0) }
    }

    /// A trusted pass aligned with an arbitrary domain (relaxed: same domain or parent/child).
    func authenticated(domain: String, in view: MessageView) -> Bool {
        trustedPasses(in: view).contains { $0 == domain || domain.hasSuffix("." + $0) || $0.hasSuffix("." + domain) }
    }

    /// Domains vouched for by trusted DKIM (`header.d`) and DMARC (`header.from`) passes.
    func trustedPasses(in view: MessageView) -> [String] {
        view.authenticationResults.compactMap { result in
            guard trustedAuthservIDs.contains(result.authservID), result.result == "pass" else { return nil }
            switch result.method {
            case "dkim": return (result.properties["header.d"] ?? result.properties["header.i"]).map(domainPart)
            case "dmarc": return result.properties["header.from"].map(domainPart)
            default: return nil
            }
        }
    }

    /// A domain that carries a brand's name (or its domain's first label) without belonging to it,
    /// after folding look-alike letters and digits (`amaz0n`, `аmazon`).
    func isLookalike(_ domain: String, of brand: Brand) -> Bool {
        guard !domain.isEmpty, !brand.owns(domain: domain) else { return false }
        let folded = TextNormalizer.normalize(domain)
            .replacingOccurrences(of: "0", with: "o").replacingOccurrences(of: "1", with: "l")
            .replacingOccurrences(of: "rn", with: "m").replacingOccurrences(of: "vv", with: "w")
            .filter { $0.isLetter || $0 == "." }
        let stems = Set(brand.domains.compactMap { $0.split(separator: ".").first.map(String.init) }
            + brand.names.map { TextNormalizer.normalize($0).filter(\.isLetter) })
        return stems.contains { $0.count >= 4 && $0.allSatisfy(\.isASCII) && folded.contains($0) }
    }
}

private func domainPart(_ value: String) -> String {
    let lower = value.lowercased()
    if let at = lower.lastIndex(of: "@") { return String(lower[lower.index(after: at)...]) }
    return lower
}
