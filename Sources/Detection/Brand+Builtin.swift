import Foundation

extension BrandRegistry {
    /// Brands known out of the box: `Sources/Detection/Brands/brands.conf`, compiled in. A postmaster
    /// adds or replaces entries with `Brand` lines in the configuration file, in the same form.
    public static let builtin: BrandRegistry = {
        var registry = BrandRegistry([])
        for line in String(decoding: PackageResources.brands_conf, as: UTF8.self).split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            // The shipped file is checked by the tests; a bad line is skipped rather than fatal.
            if let brand = try? Brand(line: text) { registry.add(brand) }
        }
        return registry
    }()
}

/// Why a brand line could not be read.
public struct BrandLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

extension Brand {
    /// Reads `ID; domains: a.com, b.com; names: Name One, Name Two` (names default to the id).
    public init(line: String) throws(BrandLineError) {
        let parts = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let id = parts.first, !id.isEmpty,
              id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
            throw BrandLineError(description: "starts with an id of ASCII letters, digits, '-' or '.', like 'my-shop'")
        }
        var domains: [String] = []
        var names: [String] = []
        for part in parts.dropFirst() {
            guard let colon = part.firstIndex(of: ":") else {
                throw BrandLineError(description: "'\(part)' should be 'domains: …' or 'names: …'")
            }
            let items = part[part.index(after: colon)...].split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            switch part[..<colon].trimmingCharacters(in: .whitespaces).lowercased() {
            // ".amazon": the brand's own top-level domain (a .brand TLD only its owner registers under).
            case "domains": domains += items.map { $0.lowercased().hasPrefix(".") ? String($0.lowercased().dropFirst()) + "." : $0.lowercased() }
            case "names": names += items
            default: throw BrandLineError(description: "'\(part[..<colon])' should be 'domains' or 'names'")
            }
        }
        guard !domains.isEmpty else { throw BrandLineError(description: "brand '\(id)' needs 'domains: …'") }
        if let bad = domains.first(where: { !$0.contains(".") || $0.contains(" ") || $0.contains("@") || $0 == "." }) {
            throw BrandLineError(description: "'\(bad)' is not a domain name (or a '.brand' top-level domain)")
        }
        self.init(id: id.lowercased(), names: names.isEmpty ? [id] : names, domains: domains)
    }
}
