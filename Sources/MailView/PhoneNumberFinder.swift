/// Finds phone numbers written in any script's digits and returns them as ASCII digits.
///
/// A run of digits with the separators people put in phone numbers (spaces, dashes, dots, parentheses)
/// counts when it has 10 to 15 digits, or 8 to 15 after a leading `+`. Dates and amounts use other
/// separators or fewer digits, so they do not match.
public enum PhoneNumberFinder {
    public static func find(in text: String) -> [String] {
        var found: [String] = []
        var digits = ""
        var plus = false
        var pendingSeparators = 0

        func finish() {
            let count = digits.count
            if (plus && (8...15).contains(count)) || (10...15).contains(count) {
                let number = (plus ? "+" : "") + digits
                if !found.contains(number) { found.append(number) }
            }
            digits = ""
            plus = false
            pendingSeparators = 0
        }

        for ch in text {
            if let value = ch.wholeNumberValue, ch.isNumber, value < 10, ch.unicodeScalars.count == 1,
               ch.unicodeScalars.first?.properties.numericType == .decimal {
                digits.append(Character(String(value)))
                pendingSeparators = 0
            } else if ch == "+", digits.isEmpty {
                plus = true
            } else if !digits.isEmpty, " -.()\u{00A0}\u{2011}\u{2013}".contains(ch), pendingSeparators < 2 {
                pendingSeparators += 1
            } else if digits.isEmpty, ch == "(" {
                continue
            } else {
                finish()
            }
        }
        finish()
        return found
    }
}
