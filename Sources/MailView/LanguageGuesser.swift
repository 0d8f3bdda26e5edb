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

    /// Each stopword, packed into an integer (stopwords are at most 12 ASCII letters), with the
    /// languages it belongs to (a few words, like "de", serve several). Integer keys hash fast.
    static let languagesByWord: [UInt128: [String]] = {
        var map: [UInt128: [String]] = [:]
        for (language, words) in stopwords {
            for word in words { map[pack(Array(word.utf8)), default: []].append(language) }
        }
        return map
    }()

    static func pack(_ bytes: [UInt8]) -> UInt128 {
        bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }

    /// Works on the bytes of normalized text: after folding, the Latin-script stopwords are plain
    /// ASCII words, and Arabic letters are the two-byte sequences led by 0xD8–0xDB.
    public static func guess(_ normalized: String) -> String {
        var arabicLetters = 0
        var latinLetters = 0
        var scores: [String: Int] = [:]
        var word: UInt128 = 0
        var wordLength = 0
        var normalized = normalized
        // The first 4 KB tell the language as well as the whole text does; a space at the end closes
        // the last word.
        normalized.withUTF8 { bytes in
        for index in 0...min(bytes.count, 4096) {
            let byte = index < min(bytes.count, 4096) ? bytes[index] : 0x20
            if byte >= 0x61 && byte <= 0x7A {
                latinLetters += 1
                word = word << 8 | UInt128(byte)
                wordLength += 1
                continue
            }
            if wordLength > 0, wordLength <= 12, let languages = languagesByWord[word] {
                for language in languages { scores[language, default: 0] += 1 }
            }
            word = 0
            wordLength = 0
            if byte >= 0xD8 && byte <= 0xDB { arabicLetters += 1 }
        }
        }
        if arabicLetters > 0, arabicLetters * 2 >= latinLetters { return "ar" }
        guard let best = scores.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
              best.value >= 2 else { return "und" }
        return best.key
    }
}
