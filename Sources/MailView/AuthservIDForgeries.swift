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
        let claim = "dmarc=pass header.from=\(domain)"
        let base64 = Data(id.utf8).base64EncodedString()
        var forms: [Form] = [
            Form(name: "plain", value: " \(id); \(claim)"),
            Form(name: "no space before ;", value: " \(id);\(claim)"),
            Form(name: "upper case", value: " \(id.uppercased()); \(claim)"),
            Form(name: "version", value: " \(id) 1; \(claim)"),
            Form(name: "tab", value: "\t\(id)\t; \(claim)"),
            Form(name: "folded", value: "\n\t\(id);\n\t\(claim)"),
            Form(name: "comment attached", value: " \(id)(c); \(claim)"),
            Form(name: "comment after", value: " \(id) (c); \(claim)"),
            Form(name: "comment before", value: " (c) \(id); \(claim)"),
            Form(name: "comment before, attached", value: " (c)\(id); \(claim)"),
            Form(name: "nested comment before", value: " (a (b) c)\(id); \(claim)"),
            Form(name: "quoted", value: " \"\(id)\"; \(claim)"),
            Form(name: "encoded-word (Q)", value: " =?us-ascii?q?\(id)?=; \(claim)"),
            Form(name: "encoded-word (B)", value: " =?utf-8?b?\(base64)?=; \(claim)"),
            Form(name: "escaped", value: " \\\(id); \(claim)"),
            Form(name: "trailing dot", value: " \(id).; \(claim)"),
            Form(name: "slash", value: " \(id)/1; \(claim)"),
        ]
        // Look-alikes: one Latin letter replaced by its Cyrillic twin, a fullwidth letter, an invisible one.
        let twins: [Character: Character] = ["a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і"]
        if let index = id.firstIndex(where: { twins[$0] != nil }) {
            var twin = id
            twin.replaceSubrange(index...index, with: String(twins[id[index]]!))
            forms.append(Form(name: "Cyrillic look-alike", value: " \(twin); \(claim)"))
        }
        if let first = id.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
           let wide = Unicode.Scalar(first.value - 0x21 + 0xFF01) {
            forms.append(Form(name: "fullwidth letter", value: " \(Character(wide))\(id.dropFirst()); \(claim)"))
        }
        if id.count > 1 {
            forms.append(Form(name: "zero-width space", value: " \(id.prefix(1))\u{200B}\(id.dropFirst()); \(claim)"))
        }
        forms.append(Form(name: "no-break space", value: "\u{00A0}\(id); \(claim)"))
        return forms
    }
}
