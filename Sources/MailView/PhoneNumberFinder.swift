/// Finds phone numbers written in any script's digits.
///
/// A run of digits with the separators people put in phone numbers (spaces, dashes, dots, parentheses,
/// at most two in a row) counts when it has 10 to 15 digits, or 8 to 15 after a leading `+`. Dates and
/// amounts use other separators or fewer digits, so they do not match.
public enum PhoneNumberFinder {
    public static func find(in text: String, countryTLD: String? = nil) -> [PhoneNumber] {
        var found: [PhoneNumber] = []
        var digits = ""
        var plus = false
        var separators = 0

        func finish() {
            let count = digits.count
            if (plus && (8...15).contains(count)) || (10...15).contains(count) {
                let number = PhoneNumber(rawDigits: digits, international: plus, countryTLD: countryTLD)
                if !found.contains(number) { found.append(number) }
            }
            digits = ""
            plus = false
            separators = 0
        }

        for scalar in text.unicodeScalars {
            if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue {
                digits.append(Character(String(Int(value))))
                separators = 0
            } else if scalar == "+" || scalar == "\u{FF0B}" {
                if !digits.isEmpty { finish() }
                plus = true
            } else if " -.()\u{00A0}\u{2011}\u{2012}\u{2013}\u{202F}".unicodeScalars.contains(scalar),
                      separators < 2, !(digits.isEmpty && !plus && scalar != "(") {
                separators += 1
            } else if TextNormalizer.invisible(scalar) {
                continue // a zero-width character inside a number hides nothing
            } else {
                finish()
            }
        }
        finish()
        return found
    }
}
