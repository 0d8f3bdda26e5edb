import MailView

/// A digest of a confirmation's wording, equal for mails that are "the same confirmation, word for
/// word apart from greeting and dates": the thing a retailer sends many people by mistake.
///
/// Order numbers, amounts and names in the body are kept, so personal confirmations of the same card
/// to different buyers differ; the greeting (salutation up to the first comma or colon) and dates and
/// times are dropped, so a mass mailing stays one fingerprint even when it names each recipient.
public enum ConfirmationFingerprint {
    public static func of(_ view: MessageView, brand: String?, lexicon: Lexicon) -> String {
        var tokens = view.normalizedText.split(separator: " ")
        if let start = tokens.prefix(80).firstIndex(where: { lexicon.salutationWords.contains(String($0.trimmingPunctuation())) }) {
            var end = start
            while end < min(tokens.count, start + 6) {
                let token = tokens[end]
                end += 1
                if token.hasSuffix(",") || token.hasSuffix(":") || token.hasSuffix("!") || token.hasSuffix("،") { break }
            }
            tokens.removeSubrange(start..<end)
        }
        let kept = tokens.filter { !isDateOrTime($0) && !monthsAndDays.contains(String($0.trimmingPunctuation())) }
        return (brand ?? "-") + ":" + StableHash.hex((brand ?? "-") + "\u{1}" + kept.joined(separator: " "))
    }

    /// 28/11/2026, 2026-11-28, 28.11.26, 28/11, 10:42, 10:42:07, and four-digit years; not order
    /// numbers like 4711-0815, whose parts are not plausible days, months or years.
    static func isDateOrTime(_ token: Substring) -> Bool {
        let core = token.trimmingPunctuation()
        guard !core.isEmpty, core.contains(where: \.isNumber) else { return false }
        let pieces = core.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." || $0 == ":" })
        guard pieces.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return false }
        let values = pieces.compactMap { Int($0) }
        guard values.count == pieces.count else { return false }
        func isYear(_ index: Int) -> Bool { pieces[index].count == 4 ? (1990...2100).contains(values[index]) : pieces[index].count == 2 }
        func isDayMonth(_ a: Int, _ b: Int) -> Bool {
            pieces[a].count <= 2 && pieces[b].count <= 2 && ((1...31).contains(values[a]) && (1...12).contains(values[b])
                || (1...12).contains(values[a]) && (1...31).contains(values[b]))
        }
        if core.contains(":") {
            return (2...3).contains(pieces.count) && pieces.allSatisfy { $0.count <= 2 } && values[0] <= 23 && values[1] <= 59
        }
        switch pieces.count {
        case 1: return pieces[0].count == 4 && (1990...2100).contains(values[0])
        case 2: return !core.contains("-") && isDayMonth(0, 1)
        case 3: return (pieces[0].count == 4 && isYear(0) && isDayMonth(1, 2)) || (isYear(2) && isDayMonth(0, 1))
        default: return false
        }
    }

    /// Month and weekday names in the seven languages, normalized.
    static let monthsAndDays: Set<String> = Set([
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
        "novembre", "dicembre", "lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato", "domenica",
        "enero", "febrero", "abril", "mayo", "junio", "julio", "septiembre", "octubre", "noviembre", "diciembre",
        "lunes", "martes", "miercoles", "jueves", "viernes", "domingo",
        "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "decembre",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        "januar", "februar", "marz", "juni", "juli", "oktober", "dezember", "montag", "dienstag", "mittwoch",
        "donnerstag", "freitag", "samstag", "sonntag",
        "janeiro", "fevereiro", "marco", "maio", "junho", "julho", "setembro", "outubro", "novembro", "dezembro",
        "segunda", "terca", "quarta", "quinta", "sexta",
        "يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يوليو", "اغسطس", "سبتمبر", "اكتوبر", "نوفمبر", "ديسمبر",
        "السبت", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه",
    ].map(TextNormalizer.normalize))
}
