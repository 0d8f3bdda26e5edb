import CPSL

/// A domain seen in a message, in the forms detection compares: as written, IDNA ASCII (punycode),
/// Unicode, and registrable domain (public suffix list).
public struct DomainName: Sendable, Equatable, Hashable {
    /// Lower-cased, as it appeared (trailing dot removed).
    public var name: String
    /// UTS #46 ASCII form (`xn--…` labels); equals `name` for plain ASCII names. Nil when IDNA rejects it.
    public var ascii: String?
    /// UTS #46 Unicode form, which is what a reader sees.
    public var unicode: String?
    /// The registrable domain (`amazon.co.uk` for `email.amazon.co.uk`), from the ASCII form.
    public var registrable: String?

    public init(_ raw: String) {
        var cleaned = raw.lowercased()
        while cleaned.hasSuffix(".") { cleaned.removeLast() }
        name = cleaned
        ascii = ICU.domainToASCII(cleaned)
        unicode = ICU.domainToUnicode(ascii ?? cleaned)
        registrable = (ascii ?? (cleaned.allSatisfy(\.isASCII) ? cleaned : nil)).flatMap(PublicSuffixList.registrableDomain)
    }

    /// True when the ASCII form differs from the Unicode one: the name has non-ASCII labels.
    public var isInternationalized: Bool { ascii != nil && unicode != nil && ascii != unicode }
}

/// libpsl with the newest list on the machine (Debian's `publicsuffix` package or libpsl's built-in copy).
enum PublicSuffixList {
    /// psl_latest's context is read-only after loading and libpsl's lookups take it as const.
    private final class Context: @unchecked Sendable {
        let pointer: OpaquePointer?
        init() { pointer = psl_latest(nil) }
    }
    private static let context = Context()

    static func registrableDomain(_ asciiDomain: String) -> String? {
        guard let psl = context.pointer ?? psl_builtin(), !asciiDomain.isEmpty else { return nil }
        return asciiDomain.withCString { name in
            psl_registrable_domain(psl, name).map { String(cString: $0) }
        }
    }
}
