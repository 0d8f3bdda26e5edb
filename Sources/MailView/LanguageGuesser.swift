/// Guesses the language of normalized text among en, ar, it, es, fr, de and pt.
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
    ]

    public static func guess(_ normalized: String) -> String {
        var arabicLetters = 0
        var latinLetters = 0
        for scalar in normalized.unicodeScalars.prefix(20_000) {
            if (0x0600...0x06FF).contains(scalar.value) { arabicLetters += 1 }
            else if scalar.isASCII, scalar.properties.isAlphabetic { latinLetters += 1 }
        }
        if arabicLetters > 0, arabicLetters * 2 >= latinLetters { return "ar" }
        var scores: [String: Int] = [:]
        for word in normalized.split(whereSeparator: { !$0.isLetter }).prefix(5_000) {
            let token = String(word)
            for (language, words) in stopwords where words.contains(token) { scores[language, default: 0] += 1 }
        }
        guard let best = scores.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
              best.value >= 2 else { return "und" }
        return best.key
    }
}
