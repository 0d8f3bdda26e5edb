/// The form of text that matching works on: the same words match however a sender dressed them up.
///
/// Per character: typographic quotes to ASCII; ICU's NFKC_Casefold (full-width and styled letters to
/// plain ones, case folded, zero-width and other default-ignorable characters removed); remaining bidi
/// and invisible controls removed; canonical decomposition with the combining marks dropped (accents,
/// Arabic tashkeel and hamza carriers); Arabic letter variants unified (alef wasla, alef maqsura, taa
/// marbuta) and tatweel removed; digits of every script to ASCII. Per word: in words that hold Latin
/// letters, every other letter is replaced by its UTS #39 skeleton when that is a Latin letter ("Аmazon"
/// with a Cyrillic А reads "amazon"; Russian words stay Russian). Whitespace runs become one space.
///
/// Mail is mostly ASCII, so ASCII bytes take a fast path and only non-ASCII runs go through ICU; Latin
/// letters up to U+024F come from a table built once with the same ICU steps.
public enum TextNormalizer {
    public static func normalize(_ text: String) -> String {
        var writer = Writer(capacity: text.utf8.count)
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    if byte | 0x20 >= 0x61, byte | 0x20 <= 0x7A {
                        // A run of ASCII letters at once: most of every message.
                        var end = index + 1
                        while end < bytes.count, bytes[end] | 0x20 >= 0x61, bytes[end] | 0x20 <= 0x7A { end += 1 }
                        writer.letters(UnsafeBufferPointer(rebasing: bytes[index..<end]))
                        index = end
                        continue
                    }
                    writer.emitASCII(byte)
                    index += 1
                    continue
                }
                // A run starts at a non-ASCII byte and lasts until the next ASCII letter or digit, so a
                // paragraph of Arabic with its spaces and punctuation goes to ICU in one call.
                var end = index + 1
                while end < bytes.count, !isASCIIAlphanumeric(bytes[end]) { end += 1 }
                let runBytes = UnsafeBufferPointer(rebasing: bytes[index..<end])
                if Self.isLatin(runBytes) {
                    // Accented Latin letters (Italian, French, German…): the table, no String made.
                    var scalars = UTF8ScalarIterator(runBytes)
                    while let (value, _) = scalars.next() {
                        if value < 0x80 { writer.emitASCII(UInt8(value)) } else { writer.emit(latinTable[Int(value)]) }
                    }
                } else {
                    writer.emit(fold(String(decoding: runBytes, as: UTF8.self)))
                }
                index = end
            }
        }
        return writer.finish()
    }

    /// The ICU path for one run: quotes, NFKC_Casefold, NFD, then per-scalar filtering and mapping.
    static func fold(_ run: String) -> [Unicode.Scalar] {
        var quoted = String.UnicodeScalarView()
        for scalar in run.unicodeScalars { quoted.append(quotes[scalar.value] ?? scalar) }
        var result: [Unicode.Scalar] = []
        for scalar in ICU.decomposed(ICU.nfkcCasefolded(String(quoted))).unicodeScalars {
            if invisible(scalar) || scalar.properties.generalCategory == .nonspacingMark { continue }
            if let mapped = arabic[scalar.value] {
                if let replacement = mapped { result.append(replacement) }
                continue
            }
            if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
               let digit = Unicode.Scalar(UInt32(48 + Int(value))) {
                result.append(digit)
                continue
            }
            result.append(scalar)
        }
        return result
    }

    static let latinTableLimit: UInt32 = 0x250

    /// True when every scalar of the UTF-8 run is below `latinTableLimit` (U+0250 is 0xC9 0x90: lead
    /// bytes up to 0xC8 are below it, and no invalid sequence passes).
    static func isLatin(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 { index += 1; continue }
            guard byte >= 0xC2, byte <= 0xC9, index + 1 < bytes.count, bytes[index + 1] & 0xC0 == 0x80 else { return false }
            if byte == 0xC9, bytes[index + 1] >= 0x90 { return false }
            index += 2
        }
        return true
    }

    /// `fold` of each scalar below U+0250, computed once.
    static let latinTable: [[Unicode.Scalar]] = (0..<latinTableLimit).map { value in
        guard value >= 0x80, let scalar = Unicode.Scalar(value) else { return [] }
        return fold(String(scalar))
    }

    public static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
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
        0x2018: "'", 0x2019: "'", 0x02BC: "'", 0x2032: "'", 0x201C: "\"", 0x201D: "\"", 0x201E: "\"", 0x00AB: "\"", 0x00BB: "\"",
    ]

    /// Arabic letters with variants after decomposition; nil means drop (tatweel).
    static let arabic: [UInt32: Unicode.Scalar?] = [
        0x0671: "\u{0627}", // alef wasla → alef
        0x0649: "\u{064A}", // alef maqsura → yeh
        0x0629: "\u{0647}", // taa marbuta → heh
        0x0640: nil, // tatweel
    ]

    /// The Latin letter a non-Latin letter is confusable with, from ICU's skeleton, if there is one.
    static func latinLookalike(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        guard !scalar.isASCII, scalar.properties.isAlphabetic else { return nil }
        let skeleton = ICU.skeleton(String(scalar)).lowercased().unicodeScalars
        guard skeleton.count == 1, let first = skeleton.first, first.isASCII, first.properties.isAlphabetic else { return nil }
        return first
    }

    /// Builds the normalized UTF-8: collapses whitespace and refolds mixed-script words as they end.
    struct Writer {
        var out: [UInt8]
        var pendingSpace = false
        var wordStart = -1
        var wordHasLatin = false
        var wordHasOther = false

        init(capacity: Int) {
            out = []
            out.reserveCapacity(capacity)
        }

        mutating func emitASCII(_ byte: UInt8) {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
                space()
            case 0x41...0x5A:
                letter(byte | 0x20)
            case 0x61...0x7A:
                letter(byte)
            case 0x30...0x39:
                beginToken()
                if wordStart < 0 { wordStart = out.count }
                out.append(byte)
            default:
                beginToken()
                endWord()
                out.append(byte)
            }
        }

        mutating func emit(_ scalars: [Unicode.Scalar]) {
            for scalar in scalars {
                if scalar.isASCII {
                    emitASCII(UInt8(scalar.value))
                } else if scalar.properties.isWhitespace {
                    space()
                } else {
                    beginToken()
                    if scalar.properties.isAlphabetic {
                        if wordStart < 0 { wordStart = out.count }
                        wordHasOther = true
                    } else {
                        endWord()
                    }
                    out.append(contentsOf: String(scalar).utf8)
                }
            }
        }

        /// ASCII letters, lower-cased: the same as `letter` for each, with the bookkeeping done once.
        mutating func letters(_ run: UnsafeBufferPointer<UInt8>) {
            beginToken()
            if wordStart < 0 { wordStart = out.count }
            wordHasLatin = true
            let start = out.count
            out.append(contentsOf: run)
            out.withUnsafeMutableBufferPointer { buffer in
                for index in start..<buffer.count { buffer[index] |= 0x20 }
            }
        }

        private mutating func letter(_ byte: UInt8) {
            beginToken()
            if wordStart < 0 { wordStart = out.count }
            wordHasLatin = true
            out.append(byte)
        }

        private mutating func space() {
            endWord()
            pendingSpace = true
        }

        private mutating func beginToken() {
            if pendingSpace, !out.isEmpty { out.append(0x20) }
            pendingSpace = false
        }

        /// Ends the current word; a word mixing Latin with other letters has those folded to Latin.
        private mutating func endWord() {
            defer {
                wordStart = -1
                wordHasLatin = false
                wordHasOther = false
            }
            guard wordStart >= 0, wordHasLatin, wordHasOther else { return }
            let word = String(decoding: out[wordStart...], as: UTF8.self)
            var folded = String.UnicodeScalarView()
            for scalar in word.unicodeScalars { folded.append(TextNormalizer.latinLookalike(scalar) ?? scalar) }
            out.removeSubrange(wordStart...)
            out.append(contentsOf: String(folded).utf8)
        }

        mutating func finish() -> String {
            endWord()
            return String(decoding: out, as: UTF8.self)
        }
    }
}
