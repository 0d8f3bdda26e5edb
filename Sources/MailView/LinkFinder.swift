/// Finds links in plain text and reads hosts out of URLs and link texts.
///
/// Byte-level on purpose: a confirmation carries dozens of links and Foundation string calls per link
/// (case-insensitive search, trimming) cost more than the rest of the message.
public enum LinkFinder {
    /// `http(s)://…` and `www.…` runs in plain text; their shown host is their own host.
    public static func bareLinks(in text: String) -> [Link] {
        var links: [Link] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            guard index == 0 || isSeparator(bytes[index - 1]), startsLink(bytes, at: index) else {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, !isSeparator(bytes[end]) { end += 1 }
            var last = end
            while last > index, isTrailingPunctuation(bytes[last - 1]) { last -= 1 }
            let token = String(decoding: bytes[index..<last], as: UTF8.self)
            let url = bytes[index] | 0x20 == UInt8(ascii: "w") ? "http://" + token : token
            if let host = host(ofURL: url) { links.append(Link(url: url, host: host, shownHost: host)) }
            index = end
        }
        return links
    }

    /// The lower-cased host of an absolute http(s) URL, or nil for other schemes and relative links.
    static func host(ofURL url: String) -> String? {
        var bytes = Array(url.utf8)[...]
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        let scheme: Int
        if hasPrefix(bytes, "https://") { scheme = 8 } else if hasPrefix(bytes, "http://") { scheme = 7 } else { return nil }
        var authority = bytes.dropFirst(scheme)
        if let end = authority.firstIndex(where: { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 || $0 == 0x5C || isSpace($0) }) {
            authority = authority[..<end]
        }
        if let at = authority.lastIndex(of: 0x40) { authority = authority[(at + 1)...] }
        if authority.first == 0x5B {
            let inside = authority.dropFirst().prefix { $0 != 0x5D }
            return inside.isEmpty ? nil : lowercased(inside)
        }
        var host = authority.prefix { $0 != 0x3A }
        while host.last == 0x2E { host = host.dropLast() }
        while host.first == 0x2E { host = host.dropFirst() }
        return host.isEmpty ? nil : lowercased(host)
    }

    /// The host a link's text displays, when the text looks like a URL or a domain name.
    static func shownHost(_ shown: String) -> String? {
        var bytes = Array(shown.utf8)[...]
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isSpace(last) { bytes = bytes.dropLast() }
        guard !bytes.isEmpty, !bytes.contains(0x20) else { return nil }
        if hasPrefix(bytes, "http://") || hasPrefix(bytes, "https://") { return host(ofURL: String(decoding: bytes, as: UTF8.self)) }
        let candidate = bytes.prefix { $0 != 0x2F && $0 != 0x3F && $0 != 0x23 }
        // Letters (any script, so IDN names count), digits, dots and hyphens; a dot; a final label of
        // at least two letters.
        guard let lastDot = candidate.lastIndex(of: 0x2E), lastDot > candidate.startIndex,
              candidate.endIndex - lastDot > 2,
              candidate[(lastDot + 1)...].allSatisfy({ $0 >= 0x80 || UTF8Scan.isASCIILetter(UInt32($0)) }),
              candidate.allSatisfy({ $0 >= 0x80 || TextNormalizer.isASCIIAlphanumeric($0) || $0 == 0x2E || $0 == 0x2D })
        else { return nil }
        let text = lowercased(candidate)
        // Non-ASCII bytes must be letters or digits, not symbols dressed as a domain.
        guard text.unicodeScalars.allSatisfy({ $0.isASCII || $0.properties.isAlphabetic || $0.properties.numericType != nil }) else { return nil }
        return text
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, 0x3C, 0x3E, 0x22, 0x28: return true
        default: return false
        }
    }

    private static func isTrailingPunctuation(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x28, 0x29, 0x5B, 0x5D, 0x27: return true
        default: return false
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private static func startsLink(_ bytes: [UInt8], at index: Int) -> Bool {
        // Every word start comes here: only an h or a w can begin a link.
        let first = bytes[index] | 0x20
        guard first == UInt8(ascii: "h") || first == UInt8(ascii: "w") else { return false }
        let rest = bytes[index...]
        return hasPrefix(rest, "http://") || hasPrefix(rest, "https://") || hasPrefix(rest, "www.")
    }

    /// ASCII case-insensitive prefix test.
    private static func hasPrefix(_ bytes: ArraySlice<UInt8>, _ prefix: StaticString) -> Bool {
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        var index = bytes.startIndex
        for offset in 0..<prefix.utf8CodeUnitCount {
            let expected = prefix.utf8Start[offset]
            let actual = bytes[index]
            if actual != expected && !(actual | 0x20 == expected && expected >= 0x61 && expected <= 0x7A) { return false }
            index += 1
        }
        return true
    }

    /// ASCII-lower-cases the bytes; other characters are kept as they are.
    private static func lowercased(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
