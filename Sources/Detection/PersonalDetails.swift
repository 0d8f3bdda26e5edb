import MailView

/// What makes a purchase confirmation personal: an order number, an amount, the buyer's name in the
/// greeting. A confirmation from the brand that has none of them is the kind sent to many people by
/// mistake (the "Dear Amazon customer" incident).
struct PersonalDetails: Sendable, Equatable {
    var orderNumber = false
    var amount = false
    var recipientName = false
    var genericSalutation = false

    var any: Bool { orderNumber || amount || recipientName }

    /// Reads the normalized text (subject first, then the visible body). Order details and greetings
    /// stand near the top of a confirmation, so the first 3,000 characters are enough.
    init(normalized text: String, lexicon: Lexicon) {
        let words = Self.tokens(Self.opening(text, characters: 3000))
        orderNumber = Self.hasOrderNumber(words, cues: lexicon.orderCueWords)
        amount = Self.hasAmount(words, currencies: lexicon.currencyWords)
        (recipientName, genericSalutation) = Self.greeting(words, lexicon: lexicon)
    }

    init() {}

    /// The first `characters` Characters of `text`. Counting Characters means grapheme breaking; where
    /// that many bytes are ASCII (normalized text has no CR, so no CRLF pairs), they are that many
    /// Characters, and the prefix is cut by bytes.
    static func opening(_ text: String, characters: Int) -> Substring {
        let utf8 = text.utf8
        guard utf8.count > characters else { return text[...] }
        let end = utf8.index(utf8.startIndex, offsetBy: characters)
        if utf8[..<end].allSatisfy({ $0 < 0x80 && $0 != 0x0D }) { return text[..<end] }
        return text.prefix(characters)
    }

    /// Words and symbols as they stand; punctuation that is part of numbers ($25.00, 112-44) is kept.
    /// Split on scalars, not Characters: comparing Characters against non-ASCII separators costs a
    /// Unicode-normalizing comparison per character.
    static func tokens(_ text: Substring) -> [Substring] {
        var result: [Substring] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var index = start
        while index < scalars.endIndex {
            switch scalars[index].value {
            case 0x20, 0x2C, 0x3B, 0x3A, 0x28, 0x29, 0x22, 0x21, 0x3F, 0x060C, 0x061F:
                if start < index { result.append(text[start..<index]) }
                start = scalars.index(after: index)
            default:
                break
            }
            index = scalars.index(after: index)
        }
        if start < scalars.endIndex { result.append(text[start..<scalars.endIndex]) }
        return result
    }

    static func digitCount(_ token: Substring) -> Int { token.reduce(0) { $0 + ($1.isASCII && $1.isNumber ? 1 : 0) } }

    /// A token with at least 4 digits within six words after an order cue ("order", "ordine", "طلب"…),
    /// or an Amazon-style 3-7-7 order id anywhere.
    static func hasOrderNumber(_ words: [Substring], cues: Set<String>) -> Bool {
        for (index, word) in words.enumerated() {
            if isAmazonOrderID(word) { return true }
            guard cues.contains(String(word.trimmingPunctuation())) else { continue }
            for next in words[(index + 1)..<min(words.count, index + 7)] where digitCount(next) >= 4 { return true }
        }
        return false
    }

    /// `112-4455667-8899001`: digits in groups of 3, 7 and 7.
    static func isAmazonOrderID(_ word: Substring) -> Bool {
        let bytes = word.utf8
        guard bytes.count == 17 else { return false }
        for (offset, byte) in bytes.enumerated() {
            if offset == 3 || offset == 11 {
                if byte != UInt8(ascii: "-") { return false }
            } else if !(0x30...0x39).contains(byte) {
                return false
            }
        }
        return true
    }

    /// A number next to a currency sign or name: "$25.00", "25 €", "100 eur", "50 ريال".
    static func hasAmount(_ words: [Substring], currencies: Set<String>) -> Bool {
        // By UTF-8 bytes, and the currency look-up (a String per word) only next to a number: this runs
        // over every word of every message that mentions gift cards.
        let digits = words.map { $0.utf8.contains { $0 >= 0x30 && $0 <= 0x39 } }
        for (index, word) in words.enumerated() {
            let hasDigit = digits[index]
            if hasDigit, Self.currencySigns.contains(where: { Self.contains($0, in: word.utf8) }) { return true }
            // "$ 299.99", "500,00 €": a sign standing alone next to the number.
            // A sign alone is one to three bytes: longer words skip the comparisons.
            if word.utf8.count <= 3, Self.currencySigns.contains(where: { word.utf8.elementsEqual($0) }) {
                if index + 1 < words.count, words[index + 1].first?.isNumber == true { return true }
                if index > 0, words[index - 1].last?.isNumber == true { return true }
            }
            // "USD390.88", "eur50": a currency code written onto the number.
            if hasDigit, let firstDigit = word.utf8.firstIndex(where: { $0 >= 0x30 && $0 <= 0x39 }), firstDigit > word.startIndex,
               currencies.contains(String(word[..<firstDigit])) { return true }
            guard (index > 0 && digits[index - 1]) || (index + 1 < words.count && digits[index + 1]) else { continue }
            if currencies.contains(String(word.trimmingPunctuation())) { return true }
        }
        return false
    }

    /// $ € £ ¥ ₹ in UTF-8.
    static let currencySigns: [[UInt8]] = ["$", "€", "£", "¥", "₹"].map { Array($0.utf8) }

    static func contains(_ needle: [UInt8], in bytes: Substring.UTF8View) -> Bool {
        guard let first = needle.first else { return false }
        var from = bytes.startIndex
        while let found = bytes[from...].firstIndex(of: first) {
            if bytes[found...].starts(with: needle) { return true }
            from = bytes.index(after: found)
        }
        return false
    }

    /// Looks at the first greeting in the text: followed by a generic word ("customer", "cliente",
    /// "عميل") it is generic; followed by another word it names the reader.
    static func greeting(_ words: [Substring], lexicon: Lexicon) -> (name: Bool, generic: Bool) {
        for (index, word) in words.prefix(80).enumerated() where lexicon.salutationWords.contains(String(word.trimmingPunctuation())) {
            var following = words[(index + 1)..<min(words.count, index + 4)].map { String($0.trimmingPunctuation()) }
            // "sehr geehrte …": skip further greeting words.
            while let first = following.first, lexicon.salutationWords.contains(first) { following.removeFirst() }
            guard let first = following.first, !first.isEmpty else { continue }
            // "Beste Amazon-klant", "Liebe Amazon-Kundin": the generic word may close a compound.
            let parts = following.prefix(3).flatMap { $0.split(separator: "-").map(String.init) }
            if parts.contains(where: { lexicon.genericAddressWords.contains($0) }) { return (false, true) }
            if first.first?.isLetter == true { return (true, false) }
        }
        return (false, false)
    }
}

extension Substring {
    /// Without leading and trailing punctuation (dots, quotes, #).
    func trimmingPunctuation() -> Substring {
        // ASCII words, the common case, by bytes: Character properties cost a Unicode look-up each.
        let bytes = utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return trimmingPunctuationByCharacter() }
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, !TextNormalizer.isASCIIAlphanumeric(bytes[start]) { start = bytes.index(after: start) }
        while end > start, !TextNormalizer.isASCIIAlphanumeric(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return self[start..<end]
    }

    private func trimmingPunctuationByCharacter() -> Substring {
        var text = self
        while let first = text.first, !first.isLetter && !first.isNumber { text = text.dropFirst() }
        while let last = text.last, !last.isLetter && !last.isNumber { text = text.dropLast() }
        return text
    }
}
