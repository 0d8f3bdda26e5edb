import Foundation
import Testing
@testable import MailView

/// What a fixture's `.json` says the view must show. Every field is optional; those present are checked.
struct FixtureExpectation: Decodable {
    struct Part: Decodable { var path: String; var type: String }
    struct LinkHosts: Decodable { var host: String; var shown_host: String? }
    struct File: Decodable { var type: String; var filename: String? }
    struct Domain: Decodable { var name: String; var ascii: String?; var unicode: String?; var registrable: String? }

    var language: String?
    var subject: String?
    var from_name: String?
    var from_domain: String?
    var reply_to_domain: String?
    var return_path: String?
    var date: String?
    var text_contains: [String]?
    var text_excludes: [String]?
    var normalized_contains: [String]?
    var phones_digits: [String]?
    var phones_e164: [String]?
    var links: [LinkHosts]?
    var attachments: [File]?
    var text_parts: [Part]?
    var obfuscations: [String]?
    var domains: [Domain]?
}

enum Fixtures {
    static var directory: URL {
        get throws {
            guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
                throw CocoaError(.fileNoSuchFile)
            }
            return url
        }
    }

    static func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".eml") }.map { String($0.dropLast(4)) }.sorted()
    }
}

@Suite struct FixtureTests {
    @Test func everyLanguageHasFixtures() throws {
        let languages = Set(try Fixtures.names().compactMap { $0.split(separator: "-").first.map(String.init) })
        #expect(languages.isSuperset(of: ["en", "ar", "it", "es", "fr", "de", "pt"]))
    }

    @Test(arguments: try Fixtures.names())
    func fixtureView(_ name: String) throws {
        let directory = try Fixtures.directory
        let eml = try Data(contentsOf: directory.appendingPathComponent(name + ".eml"))
        let expected = try JSONDecoder().decode(FixtureExpectation.self,
                                                from: Data(contentsOf: directory.appendingPathComponent(name + ".json")))
        let view = MessageParser.parse(RawMessage(parsing: Array(eml)))
        let allText = view.textParts.map(\.text).joined(separator: "\n")

        if let language = expected.language { #expect(view.language == language) }
        if let subject = expected.subject { #expect(view.subject == subject) }
        if let name = expected.from_name { #expect(view.from?.displayName == name) }
        if let domain = expected.from_domain { #expect(view.from?.domain == domain) }
        if let domain = expected.reply_to_domain { #expect(view.replyTo?.domain == domain) }
        if let path = expected.return_path { #expect(view.returnPath == path) }
        if let date = expected.date { #expect(view.date == date) }
        for piece in expected.text_contains ?? [] { #expect(allText.contains(piece), "text lacks \(piece)") }
        for piece in expected.text_excludes ?? [] { #expect(!allText.contains(piece), "text shows \(piece)") }
        for piece in expected.normalized_contains ?? [] {
            #expect(view.normalizedText.contains(piece), "normalized text lacks \(piece): \(view.normalizedText)")
        }
        if let digits = expected.phones_digits { #expect(view.phoneNumbers.map(\.digits) == digits) }
        if let e164 = expected.phones_e164 { #expect(view.phoneNumbers.compactMap(\.e164) == e164) }
        if let links = expected.links {
            #expect(view.links.map(\.host) == links.map(\.host))
            #expect(view.links.map(\.shownHost) == links.map(\.shown_host))
        }
        if let files = expected.attachments {
            #expect(view.attachments.map(\.mimeType) == files.map(\.type))
            #expect(view.attachments.map(\.filename) == files.map(\.filename))
        }
        if let parts = expected.text_parts {
            #expect(view.textParts.map(\.path) == parts.map(\.path))
            #expect(view.textParts.map(\.mimeType) == parts.map(\.type))
        }
        if let signs = expected.obfuscations { #expect(view.obfuscations.map(\.rawValue).sorted() == signs.sorted()) }
        for domain in expected.domains ?? [] {
            let seen = view.domains.first { $0.name == domain.name }
            #expect(seen != nil, "domain \(domain.name) not listed")
            #expect(seen?.ascii == domain.ascii)
            #expect(seen?.unicode == domain.unicode)
            #expect(seen?.registrable == domain.registrable)
        }
        #expect(!view.degraded)
    }
}
