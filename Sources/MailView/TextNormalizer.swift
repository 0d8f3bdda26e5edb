/// The form of text that matching works on: the same words match however a sender dressed them up.
///
/// Steps, in order: typographic quotes to ASCII; ICU's NFKC_Casefold (full-width and styled letters to
/// plain ones, case folded, zero-width and other default-ignorable characters removed); remaining
/// bidi and invisible controls removed; canonical decomposition with the combining marks dropped
/// (accents, Arabic tashkeel and hamza carriers); Arabic letter variants unified (alef wasla, alef
/// maqsura, taa marbuta) and tatweel removed; digits of every script to ASCII; inside words that hold
/// Latin letters, every other letter replaced by its UTS #39 skeleton when that is a Latin letter
/// (so "Аmazon" with a Cyrillic А reads "amazon" while Russian words stay Russian); whitespace collapsed.
public enum TextNormalizer {
    public static func normalize(_ text: String) -> String {
        var quoted = String.UnicodeScalarView()
        quoted.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            quoted.append(quotes[scalar.value] ?? scalar)
        }
        let folded = ICU.decomposed(ICU.nfkcCasefolded(String(quoted)))
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(folded.unicodeScalars.count)
        for scalar in folded.unicodeScalars {
            if invisible(scalar) || scalar.properties.generalCategory == .nonspacingMark { continue }
            if let mapped = arabic[scalar.value] {
                if let replacement = mapped { scalars.append(replacement) }
                continue
            }
            if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
               let digit = Unicode.Scalar(UInt32(48 + Int(value))) {
                scalars.append(digit)
                continue
            }
            scalars.append(scalar)
        }
        return collapseWhitespaceFoldingConfusables(scalars)
    }

    /// Bidi controls and other invisible characters NFKC_Casefold keeps.
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

    /// Arabic letters with variants after decomposition; nil means drop (tatweel).
    static let arabic: [UInt32: Unicode.Scalar?] = [
        0x0671: "\u{0627}", // alef wasla → alef
        0x0649: "\u{064A}", // alef maqsura → yeh
        0x0629: "\u{0647}", // taa marbuta → heh
        0x0640: nil, // tatweel
    ]

    /// Collapses whitespace runs to one space, and folds look-alike letters inside Latin words.
    static func collapseWhitespaceFoldingConfusables(_ scalars: String.UnicodeScalarView) -> String {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(scalars.count)
        var word: [Unicode.Scalar] = []
        var pendingSpace = false
        func flushWord() {
            guard !word.isEmpty else { return }
            if pendingSpace, !out.isEmpty { out.append(" ") }
            pendingSpace = false
            let hasLatin = word.contains { $0.isASCII && $0.properties.isAlphabetic }
            let hasOther = word.contains { !$0.isASCII && $0.properties.isAlphabetic }
            if hasLatin && hasOther {
                for scalar in word { out.append(latinLookalike(scalar) ?? scalar) }
            } else {
                out.append(contentsOf: word)
            }
            word.removeAll(keepingCapacity: true)
        }
        for scalar in scalars {
            if scalar.properties.isWhitespace {
                flushWord()
                pendingSpace = true
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                word.append(scalar)
            } else {
                flushWord()
                if pendingSpace, !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        flushWord()
        return String(out)
    }

    /// The Latin letter a non-Latin letter is confusable with, from ICU's skeleton, if there is one.
    static func latinLookalike(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        guard !scalar.isASCII, scalar.properties.isAlphabetic else { return nil }
        let skeleton = ICU.skeleton(String(scalar)).lowercased().unicodeScalars
        guard skeleton.count == 1, let first = skeleton.first, first.isASCII, first.properties.isAlphabetic else { return nil }
        return first
    }
}
