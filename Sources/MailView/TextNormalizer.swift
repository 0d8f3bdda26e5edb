import Foundation

/// The form of text that matching works on: the same words match however a sender dressed them up.
///
/// NFKC (full-width and styled letters to plain ones), case folding and diacritic folding; zero-width
/// and bidi control characters removed; Arabic normalized (alef forms, alef maqsura, taa marbuta,
/// tashkeel, tatweel); digits of every script turned into ASCII; common Cyrillic and Greek letters that
/// look Latin folded to the Latin letter when they stand in a Latin word; whitespace collapsed.
public enum TextNormalizer {
    public static func normalize(_ text: String) -> String {
        let compatible = text.precomposedStringWithCompatibilityMapping
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(compatible.unicodeScalars.count)
        for scalar in compatible.unicodeScalars {
            if invisible(scalar) { continue }
            if let quote = quotes[scalar.value] {
                scalars.append(quote)
                continue
            }
            if let mapped = arabic[scalar.value] {
                if mapped != 0, let s = Unicode.Scalar(mapped) { scalars.append(s) }
                continue
            }
            if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
               let digit = Unicode.Scalar(UInt32(48 + Int(value))) {
                scalars.append(digit)
                continue
            }
            scalars.append(scalar)
        }
        let folded = String(scalars)
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        return collapseWhitespace(foldConfusables(folded))
    }

    /// Zero-width, joiner, bidi control, soft hyphen and BOM characters: invisible, so a filter must not see them.
    static func invisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD, 0x034F, 0x061C, 0x180E, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064,
             0x2066...0x2069, 0xFEFF:
            return true
        default:
            return false
        }
    }

    /// Typographic apostrophes and quotes as ASCII, so "l’acquisto" matches "l'acquisto".
    static let quotes: [UInt32: Unicode.Scalar] = [
        0x2018: "'", 0x2019: "'", 0x02BC: "'", 0x2032: "'", 0x201C: "\"", 0x201D: "\"", 0x00AB: "\"", 0x00BB: "\"",
    ]

    /// Arabic letter variants to their base letter; 0 means drop (tashkeel, tatweel).
    static let arabic: [UInt32: UInt32] = {
        var map: [UInt32: UInt32] = [
            0x0622: 0x0627, 0x0623: 0x0627, 0x0625: 0x0627, 0x0671: 0x0627, // alef forms → alef
            0x0649: 0x064A, // alef maqsura → yeh
            0x0629: 0x0647, // taa marbuta → heh
            0x0640: 0, // tatweel
            0x0670: 0, // superscript alef
        ]
        for mark in UInt32(0x064B)...0x065F { map[mark] = 0 }
        return map
    }()

    /// Cyrillic and Greek letters that render like Latin ones, folded only inside words that also hold
    /// Latin letters: "Аmazon" becomes "amazon", while Russian or Greek text is left alone.
    static let latinLookalikes: [Character: Character] = [
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
        "ԁ": "d", "ɡ": "g", "һ": "h", "ӏ": "l", "ο": "o", "α": "a", "ν": "v", "τ": "t", "ι": "i", "κ": "k",
        "ρ": "p", "ε": "e", "μ": "u",
    ]

    static func foldConfusables(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var word: [Character] = []
        func flush() {
            let hasLatin = word.contains { $0.isASCII && $0.isLetter }
            out.append(contentsOf: hasLatin ? String(word.map { latinLookalikes[$0] ?? $0 }) : String(word))
            word.removeAll(keepingCapacity: true)
        }
        for ch in text {
            if ch.isLetter || ch.isNumber { word.append(ch) } else { flush(); out.append(ch) }
        }
        flush()
        return out
    }

    static func collapseWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
