/// Finds phone numbers written in any script's digits.
///
/// A run of digits with the separators people put in phone numbers counts when it has 10 to 15 digits,
/// or 8 to 15 after a leading `+`. Between two digit groups stand at most six spaces (HTML text keeps
/// the runs a page collapses) and at most one each of a dash, a dot, an opening and a closing
/// parenthesis: `888-555-0134`, `(888) 555 0134`, the spelled-out `+1 – (888) - (596) - (1028)` of
/// callback scams; toll-free numbers may go on in capitals (`1-800-GEEK-FIX`). Dates and
/// amounts use other separators or fewer digits, so they do not match. Zero-width characters inside a
/// number are skipped: they hide nothing from a reader.
public enum PhoneNumberFinder {
    public static func find(in text: String, countryTLD: String? = nil) -> [PhoneNumber] {
        var scanner = Scanner(countryTLD: countryTLD)
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                // Outside a number, ASCII other than digits, '+' and '(' cannot start one: most bytes of
                // every message skip here, without decoding a scalar or calling into the scanner.
                if scanner.idle {
                    while index < bytes.count, bytes[index] < 0x80, !Self.mayStart(bytes[index]) { index += 1 }
                    guard index < bytes.count else { break }
                }
                var iterator = UTF8ScalarIterator(bytes, offset: index)
                guard let (raw, _) = iterator.next() else { break }
                scanner.feed(raw)
                index = iterator.offset
            }
        }
        scanner.finish()
        return scanner.found
    }

    /// An ASCII byte that can start a number: a digit, '+' or '('.
    @inline(__always)
    static func mayStart(_ byte: UInt8) -> Bool { (byte >= 0x30 && byte <= 0x39) || byte == 0x2B || byte == 0x28 }

    struct Scanner {
        let countryTLD: String?
        var found: [PhoneNumber] = []
        var digits: [UInt8] = []
        var plus = false
        /// The separators since the last digit, one bit per kind (see `separatorKind`), spaces counted.
        var separatorKinds: UInt8 = 0
        var spaces = 0

        init(countryTLD: String?) { self.countryTLD = countryTLD }

        /// Not inside a number, nor after a '+'.
        var idle: Bool { digits.isEmpty && !plus }

        /// Inside a run of capital letters spelling digits on a phone keypad ("1-800-GEEK-FIX").
        var vanity = false

        /// One scalar; `find` skips the ASCII that cannot start a number before calling this.
        @inline(__always)
        mutating func feed(_ raw: UInt32) {
            if raw >= 0x41, raw <= 0x5A, vanity || (spaces > 0 || separatorKinds != 0) && PhoneNumberFinder.tollFree(digits) {
                // A toll-free number spelled in capitals after a separator: the letters are keypad digits.
                flushLetters()
                digits.append(PhoneNumberFinder.keypadDigit(raw))
                vanity = true
                separatorKinds = 0
                spaces = 0
                return
            }
            if let value = digitValue(raw) {
                flushLetters()
                digits.append(UInt8(48 + value))
                separatorKinds = 0
                spaces = 0
            } else if !digits.isEmpty, letters.count < 2, let digit = PhoneNumberFinder.letterDigit(raw) {
                // "8OO-55l-0107": O and l inside a number stand for 0 and 1; they count once a digit or
                // separator follows, so "0107 Order" keeps its last digit.
                letters.append(digit)
            } else if raw == 0x2B || raw == 0xFF0B {
                if !digits.isEmpty { finish() }
                plus = true
            } else if let kind = separatorKind(raw), !(digits.isEmpty && !plus && raw != 0x28),
                      kind == 0 ? spaces < 6 : separatorKinds & kind == 0 {
                flushLetters()
                if kind == 0 { spaces += 1 } else { separatorKinds |= kind }
            } else if raw >= 0x80, let scalar = Unicode.Scalar(raw), TextNormalizer.invisible(scalar) {
                return
            } else {
                finish()
            }
        }

        /// Letters read as digits inside the current number, waiting for a digit or separator to follow.
        var letters: [UInt8] = []

        mutating func flushLetters() {
            guard !letters.isEmpty else { return }
            digits += letters
            letters.removeAll(keepingCapacity: true)
        }

        mutating func finish() {
            letters.removeAll(keepingCapacity: true)
            let count = digits.count
            if (plus && (8...15).contains(count)) || (10...15).contains(count) {
                let number = PhoneNumber(rawDigits: String(decoding: digits, as: UTF8.self), international: plus,
                                         countryTLD: countryTLD)
                if !found.contains(number) { found.append(number) }
            }
            digits.removeAll(keepingCapacity: true)
            plus = false
            vanity = false
            separatorKinds = 0
            spaces = 0
        }
    }

    /// North American toll-free prefixes (800, 833, 844, 855, 866, 877, 888), with or without the leading
    /// 1: the numbers vanity spellings are sold for.
    static func tollFree(_ digits: [UInt8]) -> Bool {
        let rest = digits.first == 0x31 ? digits.dropFirst() : digits[...]
        // 8 then two equal digits of 0, 3…8: 800, 833, 844, 855, 866, 877, 888.
        guard rest.count == 3, rest.first == 0x38 else { return false }
        let second = rest[rest.startIndex + 1], third = rest[rest.startIndex + 2]
        return second == third && (second == 0x30 || (0x33...0x38).contains(second))
    }

    /// The phone keypad: the digit of each capital letter (ABC 2 … WXYZ 9).
    static let keypad: [UInt8] = Array("22233344455566677778889999".utf8)

    static func keypadDigit(_ raw: UInt32) -> UInt8 { keypad[Int(raw - 0x41)] }

    /// The digit a letter stands in for inside a phone number: O and o for 0, l and I for 1.
    static func letterDigit(_ raw: UInt32) -> UInt8? {
        switch raw {
        case 0x4F, 0x6F: return 0x30
        case 0x6C, 0x49: return 0x31
        default: return nil
        }
    }

    /// The value of a decimal digit of any script; ASCII is answered without a property look-up.
    static func digitValue(_ raw: UInt32) -> Int? {
        if raw < 0x80 { return UTF8Scan.isASCIIDigit(raw) ? Int(raw - 0x30) : nil }
        // No decimal digit lies between ASCII and the Arabic-Indic ones (U+0660): accented letters and
        // Latin punctuation, the non-ASCII text of most mail, need no property look-up.
        if raw < 0x660 { return nil }
        guard let scalar = Unicode.Scalar(raw), scalar.properties.numericType == .decimal,
              let value = scalar.properties.numericValue else { return nil }
        return Int(value)
    }

    /// The kind of a separator: 0 for a space, else one bit per kind (dash, dot, opening and closing
    /// parenthesis); nil for anything that ends a number.
    static func separatorKind(_ raw: UInt32) -> UInt8? {
        switch raw {
        case 0x20, 0xA0, 0x202F: return 0
        case 0x2D, 0x2011, 0x2012, 0x2013, 0x2014: return 1
        case 0x2E: return 2
        case 0x28: return 4
        case 0x29: return 8
        default: return nil
        }
    }
}
