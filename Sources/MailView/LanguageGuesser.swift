/// Guesses the language of normalized text among en, ar, it, es, fr, de, pt and nl.
///
/// Arabic is told by its script; the Latin-script languages by counts of their most frequent short
/// words, which are distinctive enough for mail-length text. Returns `und` when nothing stands out.
public enum LanguageGuesser {
    static let stopwords: [String: Set<String>] = [
        "en": ["the", "and", "you", "your", "for", "thank", "with", "this", "have", "order", "is", "of", "to", "we", "our", "if", "not", "please", "dear"],
        "it": ["il", "di", "che", "per", "grazie", "della", "del", "sono", "non", "una", "tuo", "tua", "gentile", "ordine", "questo", "con", "abbiamo", "hai", "gli", "ai"],
        "es": ["el", "que", "por", "gracias", "los", "las", "su", "tu", "para", "una", "pedido", "compra", "estimado", "con", "usted", "hemos", "del", "esta", "su"],
        "fr": ["le", "les", "des", "vous", "votre", "merci", "pour", "une", "est", "du", "nous", "avez", "commande", "cher", "chere", "avec", "pas", "ce", "au"],
        "de": ["der", "die", "das", "und", "sie", "ihre", "ihr", "vielen", "dank", "fur", "ist", "nicht", "eine", "wir", "bestellung", "mit", "den", "von", "haben", "zu"],
        "pt": ["o", "os", "que", "obrigado", "obrigada", "sua", "seu", "para", "uma", "nao", "voce", "pedido", "compra", "com", "prezado", "caro", "do", "da", "em", "no"],
        "nl": ["het", "een", "van", "je", "uw", "u", "niet", "voor", "bedankt", "bestelling", "dat", "wij", "ons", "bij", "deze", "aan", "beste", "zijn", "op"],
    ]

    static let languages = ["en", "it", "es", "fr", "de", "pt", "nl"]

    /// Each stopword packed into an integer (stopwords are at most 12 ASCII letters) with the set of
    /// languages it belongs to as bits (a few words, like "de", serve several), in an open-addressing
    /// table: this look-up runs for every word of the first 4 KB of every message, and Swift's
    /// Dictionary hashes its keys with SipHash, which cost more than the rest of the guess.
    struct StopwordTable: Sendable {
        var keys: [UInt128]
        var masks: [UInt8]
        let slotMask: Int

        init(_ stopwords: [String: Set<String>], languages: [String]) {
            slotMask = 1023
            keys = [UInt128](repeating: 0, count: slotMask + 1)
            masks = [UInt8](repeating: 0, count: slotMask + 1)
            for (language, words) in stopwords {
                guard let bit = languages.firstIndex(of: language) else { continue }
                for word in words {
                    let key = LanguageGuesser.pack(Array(word.utf8))
                    var slot = Self.slot(key) & slotMask
                    while masks[slot] != 0, keys[slot] != key { slot = (slot + 1) & slotMask }
                    keys[slot] = key
                    masks[slot] |= 1 << UInt8(bit)
                }
            }
        }

        static func slot(_ key: UInt128) -> Int {
            let mixed = (UInt64(truncatingIfNeeded: key) ^ UInt64(truncatingIfNeeded: key >> 64)) &* 0x9E37_79B9_7F4A_7C15
            return Int(truncatingIfNeeded: mixed >> 40)
        }

        /// The languages of a packed word, as bits of `languages`' indices; 0 for no stopword.
        func languages(of key: UInt128) -> UInt8 {
            var slot = Self.slot(key) & slotMask
            while masks[slot] != 0 {
                if keys[slot] == key { return masks[slot] }
                slot = (slot + 1) & slotMask
            }
            return 0
        }
    }

    static let table = StopwordTable(stopwords, languages: languages)

    static func pack(_ bytes: [UInt8]) -> UInt128 {
        bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }

    /// How many leading bytes of normalized text the guess reads.
    public static let window = 4096

    /// Works on the bytes of normalized text: after folding, the Latin-script stopwords are plain
    /// ASCII words, and Arabic letters are the two-byte sequences led by 0xD8–0xDB.
    public static func guess(_ normalized: String) -> String {
        var arabicLetters = 0
        var latinLetters = 0
        var scores = [Int](repeating: 0, count: languages.count)
        var word: UInt128 = 0
        var wordLength = 0
        var normalized = normalized
        let table = Self.table
        // The first 4 KB tell the language as well as the whole text does; a space at the end closes
        // the last word.
        normalized.withUTF8 { bytes in
        for index in 0...min(bytes.count, window) {
            let byte = index < min(bytes.count, window) ? bytes[index] : 0x20
            if byte >= 0x61 && byte <= 0x7A {
                latinLetters += 1
                word = word << 8 | UInt128(byte)
                wordLength += 1
                continue
            }
            if wordLength > 0, wordLength <= 12 {
                let mask = table.languages(of: word)
                if mask != 0 {
                    for bit in 0..<scores.count where mask & (1 << UInt8(bit)) != 0 { scores[bit] += 1 }
                }
            }
            word = 0
            wordLength = 0
            if byte >= 0xD8 && byte <= 0xDB { arabicLetters += 1 }
        }
        }
        if arabicLetters > 0, arabicLetters * 2 >= latinLetters { return "ar" }
        // The highest count wins; a tie goes to the language first in alphabetical order.
        var best: (language: String, count: Int)?
        for (bit, count) in scores.enumerated() where count > 0 {
            let language = languages[bit]
            if best == nil || count > best!.count || (count == best!.count && language < best!.language) { best = (language, count) }
        }
        guard let best, best.count >= 2 else { return "und" }
        return best.language
    }
}
