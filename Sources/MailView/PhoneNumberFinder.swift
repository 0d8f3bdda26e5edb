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

        UTF8Scan.forEachScalar(in: text) { raw, _ in
            // Outside a number, ASCII other than digits, '+' and '(' cannot start one: the common case.
            if raw < 0x80, digits.isEmpty, !plus, !UTF8Scan.isASCIIDigit(raw), raw != 0x2B, raw != 0x28 { return }
            if raw < 0x80, UTF8Scan.isASCIILetter(raw) {
                finish()
                return
            }
            let scalar = Unicode.Scalar(raw) ?? "\u{FFFD}"
            if let value = digitValue(scalar) {
                digits.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value)))
                separators = 0
            } else if scalar == "+" || scalar == "\u{FF0B}" {
                if !digits.isEmpty { finish() }
                plus = true
            } else if isSeparator(scalar), separators < 2, !(digits.isEmpty && !plus && scalar != "(") {
                separators += 1
            } else if !scalar.isASCII, TextNormalizer.invisible(scalar) {
                return // a zero-width character inside a number hides nothing
            } else if !digits.isEmpty || plus {
                finish()
            }
        }
        finish()
        return found
    }

    /// The value of a decimal digit of any script; ASCII is answered without a property look-up.
    static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        if scalar.isASCII {
            return scalar.value >= 0x30 && scalar.value <= 0x39 ? Int(scalar.value - 0x30) : nil
        }
        guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else { return nil }
        return Int(value)
    }

    static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x2D, 0x2E, 0x28, 0x29, 0xA0, 0x2011, 0x2012, 0x2013, 0x202F: return true
        default: return false
        }
    }
}
