import Detection
import Foundation
import MailView

/// The banner texts per language: built-in files (`Sources/Actions/Banners/<lang>.banner`, compiled in),
/// each key overridable by a postmaster's file of the same name in `BannerDirectory`.
public struct BannerTemplates: Sendable {
    /// Languages with built-in texts; any other language gets English.
    public static let languages = ["en", "ar", "it", "es", "fr", "de", "pt", "nl"]

    private var texts: [String: [String: String]]

    /// The built-in texts only.
    public static let builtIn: BannerTemplates = {
        let files: [String: [UInt8]] = [
            "en": PackageResources.en_banner, "ar": PackageResources.ar_banner, "it": PackageResources.it_banner,
            "es": PackageResources.es_banner, "fr": PackageResources.fr_banner, "de": PackageResources.de_banner,
            "pt": PackageResources.pt_banner, "nl": PackageResources.nl_banner,
        ]
        var texts: [String: [String: String]] = [:]
        for (language, bytes) in files {
            // Built-in files are checked by the tests; a broken one would fail them, not the daemon.
            texts[language] = (try? parse(String(decoding: bytes, as: UTF8.self), file: "\(language).banner")) ?? [:]
        }
        return BannerTemplates(texts: texts)
    }()

    private init(texts: [String: [String: String]]) {
        self.texts = texts
    }

    /// The built-in texts with every `<lang>.banner` in `directory` laid over them, key by key.
    /// Throws when a file cannot be read, a line is not `key = text`, or a text carries a link or a
    /// phone number (a banner must never offer either: that is what the scams it warns about do).
    public static func loading(directory: String?) throws(BannerTemplateError) -> BannerTemplates {
        var templates = builtIn
        guard let directory else { return templates }
        for language in languages {
            let path = (directory as NSString).appendingPathComponent("\(language).banner")
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BannerTemplateError(file: path, line: 0, message: "cannot be read")
            }
            let overrides = try parse(String(decoding: data, as: UTF8.self), file: path)
            templates.texts[language, default: [:]].merge(overrides) { _, new in new }
        }
        return templates
    }

    /// The text for `key` in `language`, falling back to English.
    public func text(_ key: String, language: String) -> String? {
        texts[language]?[key] ?? texts["en"]?[key]
    }

    /// True when the language's banner reads right to left.
    public func rightToLeft(_ language: String) -> Bool {
        text("direction", language: language) == "rtl"
    }

    /// `key = text` lines; blank lines and lines starting with '#' are skipped.
    static func parse(_ content: String, file: String) throws(BannerTemplateError) -> [String: String] {
        var result: [String: String] = [:]
        for (index, line) in content.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw BannerTemplateError(file: file, line: index + 1, message: "expected 'key = text'")
            }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { throw BannerTemplateError(file: file, line: index + 1, message: "empty key") }
            if let problem = offer(in: value.replacingOccurrences(of: "{url}", with: "")) {
                throw BannerTemplateError(file: file, line: index + 1, message: "'\(key)' contains \(problem); a banner may only link to BannerHelpURL")
            }
            result[key] = value
        }
        return result
    }

    /// A link or phone number in a banner text, described, or nil.
    static func offer(in text: String) -> String? {
        if !LinkFinder.bareLinks(in: text).isEmpty { return "a link" }
        if !PhoneNumberFinder.find(in: text, countryTLD: nil).isEmpty { return "a phone number" }
        // Long digit runs are refused even where the phone finder would not call them a number.
        if text.filter(\.isNumber).count >= 6 { return "a number" }
        return nil
    }
}

/// A banner template that cannot be used, with file and line.
public struct BannerTemplateError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
