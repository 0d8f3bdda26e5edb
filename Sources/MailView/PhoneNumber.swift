/// A phone number found in visible text.
public struct PhoneNumber: Sendable, Equatable, Hashable {
    /// ASCII digits as written, with a leading `+` when the number was written internationally.
    public var digits: String
    /// E.164 form (`+18885550134`) when the country is evident: written with `+` or `00`, or national
    /// format under a country-code top-level domain of the sender.
    public var e164: String?

    public init(digits: String, e164: String?) {
        self.digits = digits
        self.e164 = e164
    }
}

extension PhoneNumber {
    /// Country calling codes by sender ccTLD, and whether the national trunk prefix 0 is dropped in the
    /// international form (it is, except in Italy). Covers the countries of the languages we read.
    static let callingCodes: [String: (code: String, dropsTrunkZero: Bool)] = [
        "it": ("39", false), "fr": ("33", true), "de": ("49", true), "at": ("43", true), "ch": ("41", true),
        "es": ("34", true), "mx": ("52", false), "ar": ("54", true), "pt": ("351", false), "br": ("55", true),
        "uk": ("44", true), "ie": ("353", true), "sa": ("966", true), "ae": ("971", true), "eg": ("20", true),
        "ma": ("212", true), "be": ("32", true), "nl": ("31", true), "ca": ("1", false), "us": ("1", false),
    ]

    /// Builds the number from its digits; `countryTLD` is the sender's top-level domain, if any.
    init(rawDigits: String, international: Bool, countryTLD: String?) {
        if international {
            self.init(digits: "+" + rawDigits, e164: "+" + rawDigits)
            return
        }
        if rawDigits.hasPrefix("00"), rawDigits.count > 10 {
            let rest = String(rawDigits.dropFirst(2))
            self.init(digits: rawDigits, e164: "+" + rest)
            return
        }
        var e164: String?
        if let tld = countryTLD, let country = Self.callingCodes[tld] {
            if country.dropsTrunkZero {
                if rawDigits.hasPrefix("0") { e164 = "+" + country.code + rawDigits.dropFirst() }
            } else if country.code == "1" {
                if rawDigits.count == 10 { e164 = "+1" + rawDigits } else if rawDigits.count == 11, rawDigits.hasPrefix("1") { e164 = "+" + rawDigits }
            } else {
                e164 = "+" + country.code + rawDigits
            }
        }
        self.init(digits: rawDigits, e164: e164)
    }
}
