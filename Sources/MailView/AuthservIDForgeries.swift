import Foundation

/// The forms a sender can write a trusted authserv-id in, as `Authentication-Results` values: plain,
/// and disguised the ways RFC 5322 and RFC 2047 allow or a lenient reader would accept (comments,
/// quotes, encoded-words, case, folding, versions, look-alike letters). `configtest` asks the MTA's
/// header_checks about each, and the tests and the fuzz target start from them.
public enum AuthservIDForgeries {
    public struct Form: Sendable {
        /// What the form is, for messages: "comment attached", "encoded-word (Q)"…
        public let name: String
        /// The header value as a sender would write it (after "Authentication-Results:"); folded with LF + tab.
        public let value: String
    }

    /// Every form of `id`, each carrying a DMARC pass for `domain` (the claim a scam wants believed).
    public static func forms(of id: String, claiming domain: String = "amazon.com") -> [Form] {
        forms(of: id, claims: { _ in domain })
    }

    /// Every form of `id`, the n-th claiming `domain(n)`: distinct claims name each form in an answer
    /// that prints the headers it matched (`postmap -h`).
    public static func forms(of id: String, claims domain: (Int) -> String) -> [Form] {
        // Each form is written up to its claim, which ends every value.
        let base64 = Data(id.utf8).base64EncodedString()
        var heads: [(name: String, head: String)] = [
            ("plain", " \(id); "),
            ("no space before ;", " \(id);"),
            ("upper case", " \(id.uppercased()); "),
            ("version", " \(id) 1; "),
            ("tab", "\t\(id)\t; "),
            ("folded", "\n\t\(id);\n\t"),
            ("comment attached", " \(id)(c); "),
            ("comment after", " \(id) (c); "),
            ("comment before", " (c) \(id); "),
            ("comment before, attached", " (c)\(id); "),
            ("nested comment before", " (a (b) c)\(id); "),
            ("quoted", " \"\(id)\"; "),
            ("encoded-word (Q)", " =?us-ascii?q?\(id)?=; "),
            ("encoded-word (B)", " =?utf-8?b?\(base64)?=; "),
            ("escaped", " \\\(id); "),
            ("trailing dot", " \(id).; "),
            ("slash", " \(id)/1; "),
        ]
        // Look-alikes: one Latin letter replaced by its Cyrillic twin, a fullwidth letter, an invisible one.
        let twins: [Character: Character] = ["a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і"]
        if let index = id.firstIndex(where: { twins[$0] != nil }) {
            var twin = id
            twin.replaceSubrange(index...index, with: String(twins[id[index]]!))
            heads.append(("Cyrillic look-alike", " \(twin); "))
        }
        if let first = id.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
           let wide = Unicode.Scalar(first.value - 0x21 + 0xFF01) {
            heads.append(("fullwidth letter", " \(Character(wide))\(id.dropFirst()); "))
        }
        if id.count > 1 {
            heads.append(("zero-width space", " \(id.prefix(1))\u{200B}\(id.dropFirst()); "))
        }
        heads.append(("no-break space", "\u{00A0}\(id); "))
        return heads.enumerated().map { index, form in
            Form(name: form.name, value: form.head + "dmarc=pass header.from=\(domain(index))")
        }
    }
}
