import Detection
import Foundation
import MailView

/// The note put at the top of a flagged message: its meaning in the first line (what previews show),
/// then the specific reason and what to do, in the message's language.
public struct Banner: Sendable, Equatable {
    public var kind: VerdictKind
    public var language: String
    public var rightToLeft: Bool
    /// The first line: the meaning.
    public var title: String
    /// The reason sentences, the advice, and the help line if configured.
    public var sentences: [String]
    /// Seals each placed copy to this installation and this message's content (see `BannerSeal`).
    public var seal: BannerSeal

    /// Most specific first: the banner names the first one or two of these the verdict carries.
    static let reasonOrder: [Reason] = [
        .giftCardRequest, .giftCardPayment, .rewardLure, .callbackPurchase, .callbackPhone, .lookalikeDomain, .linkMismatch, .freemailReplyTo, .brandDomainMismatch,
        .brandNotAuthenticated, .offBrandLinks, .obfuscatedText, .unknownBrand,
        .declaredIncident, .bulkIdentical, .noOrderDetails,
    ]

    /// The banner for a verdict, or nil for verdicts that get none (genuine, none).
    public init?(verdict: Verdict, brandNames: [String], templates: BannerTemplates, seal: BannerSeal, helpURL: String? = nil) {
        guard verdict.kind == .erroneous || verdict.kind == .suspicious else { return nil }
        let language = BannerTemplates.languages.contains(verdict.language) ? verdict.language : "en"
        let prefix = verdict.kind.rawValue
        let brand = Self.displayName(brandNames, language: language)
        // Lures and purchase notices get titles of their own: a prize offer or a software renewal is not
        // a "gift-card message" to its reader.
        let family = verdict.reasons.contains(.rewardLure) ? "\(prefix).title.reward"
            : verdict.reasons.contains(.callbackPurchase) ? "\(prefix).title.purchase" : "\(prefix).title"
        var title = brand.flatMap { name in
            templates.text("\(family).brand", language: language).map { Self.fill($0, "{brand}", name) }
        } ?? templates.text(family, language: language) ?? ""
        if verdict.reasons.contains(.giftCardRequest) || verdict.reasons.contains(.giftCardPayment),
           let generic = templates.text("\(prefix).title", language: language) {
            title = generic  // a demand for gift cards names no brand that could have sent it
        }
        var sentences = Self.reasonOrder.filter(verdict.reasons.contains).prefix(2)
            .compactMap { templates.text("reason.\($0.rawValue)", language: language) }
        if let advice = templates.text("\(prefix).text", language: language) { sentences.append(advice) }
        if let helpURL, !helpURL.isEmpty, let help = templates.text("help", language: language) {
            sentences.append(Self.fill(help, "{url}", helpURL))
        }
        self.kind = verdict.kind
        self.language = language
        self.rightToLeft = templates.rightToLeft(language)
        self.title = title
        self.sentences = sentences
        self.seal = seal
    }

    /// The brand's name as the reader knows it: one in the banner's script when the registry has it
    /// (أمازون in an Arabic banner), never one that looks like a domain (a banner carries no links).
    static func displayName(_ names: [String], language: String) -> String? {
        let usable = names.filter { !$0.contains(".") && !$0.isEmpty }
        let arabic = usable.first { $0.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) } }
        let latin = usable.first { !$0.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) } }
        return language == "ar" ? (arabic ?? latin) : (latin ?? arabic)
    }

    /// `template` with each `placeholder` replaced by `value` (byte search; Foundation's
    /// `replacingOccurrences` cost more than the rest of building a banner).
    static func fill(_ template: String, _ placeholder: String, _ value: String) -> String {
        let bytes = Array(template.utf8)
        let needle = Array(placeholder.utf8)
        var out: [UInt8] = []
        var from = 0
        while let found = ByteSearch.first(needle, in: bytes, range: from..<bytes.count) {
            out += bytes[from..<found.lowerBound]
            out += value.utf8
            from = found.upperBound
        }
        out += bytes[from...]
        return String(decoding: out, as: UTF8.self)
    }

    /// The line that marks this product's banner in plain text; `BannerSeal` reads its reference.
    public static func marker(_ reference: String) -> String { "giftcard-milter ref \(reference)" }

    /// Plain text: title, the sentences wrapped at 76 characters, the marker, a rule and a blank line.
    /// Right-to-left lines start with U+200F so that a line starting with a Latin brand name is still
    /// laid out right to left. `reference` defaults to the placeholder a seal is computed over.
    public func plainText(lineEnding: String, reference: String = BannerSeal.placeholder) -> String {
        var lines = wrap(title, width: 76)
        lines += wrap(sentences.joined(separator: " "), width: 76)
        if rightToLeft { lines = lines.map { "\u{200F}" + $0 } }
        lines.append(Self.marker(reference))
        lines.append(String(repeating: "-", count: 40))
        lines.append("")
        return lines.joined(separator: lineEnding) + lineEnding
    }

    /// HTML: one `<div>` carrying the marker as `data-giftcard-banner`, calm blue for erroneous, red
    /// for suspicious. With `asciiOnly`, every non-ASCII character is a numeric character reference, so
    /// the banner fits a part in any ASCII-compatible charset without changing the part's charset.
    public func html(asciiOnly: Bool, reference: String = BannerSeal.placeholder) -> String {
        let (border, background) = kind == .suspicious ? ("#b00020", "#fff1f1") : ("#2b5fb3", "#f1f5ff")
        let direction = rightToLeft ? "rtl" : "ltr"
        var html = "<div data-giftcard-banner=\"\(reference)\" lang=\"\(language)\" dir=\"\(direction)\" "
        html += "style=\"margin:0 0 16px 0;padding:10px 14px;border:2px solid \(border);background:\(background);"
        html += "color:#111111;font-family:sans-serif;font-size:14px;line-height:1.4;text-align:\(rightToLeft ? "right" : "left")\">"
        html += "<strong>\(Self.escape(title, asciiOnly: asciiOnly))</strong><br>"
        html += Self.escape(sentences.joined(separator: " "), asciiOnly: asciiOnly)
        html += "</div>"
        return html
    }

    static func escape(_ text: String, asciiOnly: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                if asciiOnly, !scalar.isASCII { out += "&#\(scalar.value);" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Greedy word wrap by Unicode scalars (counting grapheme clusters cost more than the rest of the
    /// banner; the texts have no combining sequences worth counting as one); a word longer than the
    /// width gets its own line.
    private func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var currentCount = 0
        for word in text.unicodeScalars.split(separator: " ") {
            if currentCount > 0, currentCount + 1 + word.count > width {
                lines.append(String(current))
                current = String.UnicodeScalarView()
                currentCount = 0
            }
            if currentCount > 0 {
                current.append(" ")
                currentCount += 1
            }
            current.append(contentsOf: word)
            currentCount += word.count
        }
        if currentCount > 0 { lines.append(String(current)) }
        return lines
    }
}
