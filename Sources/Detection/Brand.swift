import MailView

/// A brand whose gift cards or confirmations people receive, and the domains that really send its mail.
public struct Brand: Sendable, Equatable {
    /// Stable id used in headers and logs, like `amazon` or `google-play`.
    public let id: String
    /// Names as readers see them, in any language ("Amazon", "أمازون").
    public let names: [String]
    /// Registrable domains whose authenticated mail is the brand's own.
    public let domains: [String]
    /// What a look-alike domain would imitate, with its confusable skeleton, computed once.
    let lookalikeStems: [Stem]

    struct Stem: Sendable, Equatable {
        let text: String
        let skeleton: String
    }

    public init(id: String, names: [String], domains: [String]) {
        self.id = id
        self.names = names
        self.domains = domains.map { $0.lowercased() }
        lookalikeStems = Self.stems(names: names, domains: self.domains).sorted().filter { $0.count >= 4 }
            .map { Stem(text: $0, skeleton: Detector.foldDigits(ConfusableSkeleton.of($0))) }
    }

    /// The ASCII words a look-alike domain would imitate: each domain's first label and each Latin
    /// name with spaces and punctuation removed ("amazon", "googleplay", "bestbuy").
    static func stems(names: [String], domains: [String]) -> Set<String> {
        var result = Set(domains.filter { !$0.hasSuffix(".") }.compactMap { $0.split(separator: ".").first.map(String.init) })
        for name in names {
            let letters = TextNormalizer.normalize(name).filter { $0.isLetter || $0.isNumber }
            if !letters.isEmpty, letters.allSatisfy(\.isASCII) { result.insert(letters) }
        }
        return result
    }

    /// True when `domain` is one of the brand's domains or a subdomain of one.
    public func owns(domain: String) -> Bool {
        owns(lowercased: domain.lowercased())
    }

    func owns(lowercased domain: String) -> Bool {
        domains.contains { Self.isSameOrSubdomain(domain, of: $0) }
    }

    /// `a.b.com` of `b.com`, or `b.com` itself; by bytes, as this runs for every brand on every message. A
    /// parent written with a trailing dot (`amazon.`) is a top-level domain: every name under it.
    static func isSameOrSubdomain(_ domain: String, of parent: String) -> Bool {
        if parent.hasSuffix(".") { return domain.hasSuffix("." + parent.dropLast()) }
        guard domain.hasSuffix(parent) else { return false }
        let child = domain.utf8, length = parent.utf8.count
        return child.count == length || child[child.index(child.endIndex, offsetBy: -length - 1)] == UInt8(ascii: ".")
    }
}

/// The brands the detector knows: built-in ones plus those the postmaster configures.
public struct BrandRegistry: Sendable {
    public private(set) var brands: [Brand]
    /// Every brand's names, normalized, in one automaton; `nameOwners[id]` is the brand index.
    private var names = PhraseSet([])
    private var nameOwners: [Int] = []

    public init(_ brands: [Brand]) {
        self.brands = []
        for brand in brands { add(brand) }
    }

    /// Adds a brand, or replaces the one with the same id.
    public mutating func add(_ brand: Brand) {
        if let index = brands.firstIndex(where: { $0.id == brand.id }) {
            brands[index] = brand
        } else {
            brands.append(brand)
        }
        let pairs = brands.enumerated().flatMap { index, brand in
            brand.names.map { (index, TextNormalizer.normalize($0)) }.filter { !$0.1.isEmpty }
        }
        names = PhraseSet(pairs.map(\.1))
        nameOwners = pairs.map(\.0)
    }

    public func brand(id: String) -> Brand? { brands.first { $0.id == id } }

    /// The brand that owns a domain (or a parent of it).
    public func brand(owning domain: String) -> Brand? {
        let lower = domain.lowercased()
        return brands.first { $0.owns(lowercased: lower) }
    }

    /// Every brand named in normalized text, with the byte offsets of its names (a few per name).
    public func mentions(in normalized: String) -> [(brand: Brand, offset: Int)] {
        names.occurrences(in: normalized, limit: 4).map { (brands[nameOwners[$0.id]], $0.offset) }
    }

    /// The brand whose name appears first, as whole words, in normalized text.
    public func brand(mentionedIn normalized: String) -> Brand? {
        names.matches(in: normalized).first.map { brands[nameOwners[$0]] }
    }
}
