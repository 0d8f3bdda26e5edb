import Foundation

/// Finds links in plain text and reads hosts out of URLs and link texts.
enum LinkFinder {
    /// `http(s)://…` and `www.…` runs in plain text; their shown host is their own host.
    static func bareLinks(in text: String) -> [Link] {
        var links: [Link] = []
        for token in text.split(whereSeparator: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" }) {
            let candidate = String(token).trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?()[]'"))
            let lower = candidate.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.") else { continue }
            let url = lower.hasPrefix("www.") ? "http://" + candidate : candidate
            if let host = host(ofURL: url) { links.append(Link(url: url, host: host, shownHost: host)) }
        }
        return links
    }

    /// The lower-cased host of an absolute http(s) URL, or nil for other schemes and relative links.
    static func host(ofURL url: String) -> String? {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let schemeEnd = trimmed.range(of: "://") else { return nil }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var authority = trimmed[schemeEnd.upperBound...].prefix { !"/?#\\".contains($0) }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("[") { return String(authority.prefix { $0 != "]" }.dropFirst()).lowercased() }
        let host = authority.prefix { $0 != ":" }.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return host.isEmpty ? nil : host
    }

    /// The host a link's text displays, when the text looks like a URL or a domain name.
    static func shownHost(_ shown: String) -> String? {
        let text = shown.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, !text.contains(" ") else { return nil }
        if text.contains("://") { return host(ofURL: text) }
        let candidate = text.lowercased().prefix { !"/?#".contains($0) }
        let labels = candidate.split(separator: ".")
        guard labels.count >= 2, let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter),
              candidate.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else { return nil }
        return String(candidate)
    }
}
