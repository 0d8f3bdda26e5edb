import Foundation
import Testing
@testable import GiftCardMilter

/// The key table is the one place a key is declared: every key must carry everything the parser,
/// configtest, reload and the reference need, and docs/configuration.md must be the table's own output.
@Suite struct ConfigurationKeyTests {
    @Test func everyKeyIsFullyDeclared() {
        var names: Set<String> = []
        for key in Configuration.keys {
            #expect(names.insert(key.name.lowercased()).inserted, "\(key.name) declared twice")
            #expect(!key.meaning.isEmpty, "\(key.name) has no documentation line")
            #expect(!key.documentedDefault.isEmpty && key.documentedDefault != "``", "\(key.name) has no documented default")
            #expect(!key.show(Configuration()).isEmpty, "\(key.name) prints nothing in configtest")
            #expect(Configuration.keysByName[key.name.lowercased()] != nil, "\(key.name) unknown to the parser")
        }
        #expect(names.count >= 40)
    }

    /// What configtest prints for a default is a value the key reads back to the same thing, so a
    /// printed configuration is a valid one.
    @Test func shownDefaultsReadBackToThemselves() throws {
        let defaults = Configuration()
        for key in Configuration.keys where !key.repeatable {
            for value in key.show(defaults) where !value.hasPrefix("(") {
                let parsed = try ConfigurationParser.parse("\(key.name) \(value)\n")
                #expect(key.show(parsed) == key.show(defaults), "\(key.name) \(value)")
            }
        }
    }

    /// The reference table in docs/configuration.md is exactly what the table prints (scripts/make-manpages writes it,
    /// and the manual page from it).
    @Test func theDocumentedReferenceIsTheTablesOwn() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let reference = try String(contentsOf: root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        #expect(reference.contains(ConfigurationKey.referenceTable() + "\n"), "docs/configuration.md is stale: run scripts/make-manpages")
    }
}
