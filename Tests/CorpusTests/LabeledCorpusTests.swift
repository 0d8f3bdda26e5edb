import Correlation
import Detection
import Foundation
import MailView
import Testing
@testable import GiftCardMilter

/// The labeled corpus (written by make_corpus.py): every message through the shared scanner, in order,
/// with one correlation state; the expected verdict comes from the category's name.
@Suite struct LabeledCorpusTests {
    static func expected(for category: String) -> VerdictKind {
        if category.hasPrefix("scam-") { return .suspicious }
        if category.hasPrefix("incident-") { return .erroneous }
        if category.hasPrefix("genuine-") { return .genuine }
        return .none
    }

    @Test func everyCategoryGetsItsVerdict() throws {
        let root = try #require(Bundle.module.url(forResource: "Corpus", withExtension: nil))
        var config = Configuration()
        config.trustedAuthservIDs = ["mx.example.org"]
        let scanner = MessageScanner(configuration: config, store: try SQLiteCorrelationStore(path: nil))
        let categories = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        var total = 0
        var report: [String] = []
        var misses: [String] = []
        for category in categories {
            let directory = root.appendingPathComponent(category)
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            let want = Self.expected(for: category)
            var right = 0
            for file in files {
                let data = try Data(contentsOf: directory.appendingPathComponent(file))
                let result = scanner.scan(RawMessage(parsing: Array(data)), envelope: Envelope())
                if result.verdict.kind == want {
                    right += 1
                } else {
                    misses.append("\(category)/\(file): \(result.verdict.kind.rawValue) \(result.verdict.reasons.map(\.rawValue))")
                }
            }
            total += files.count
            report.append("\(category): \(right)/\(files.count) \(want.rawValue)")
        }
        print("corpus: \(total) messages\n" + report.joined(separator: "\n"))
        for miss in misses { print("miss: \(miss)") }
        #expect(total >= 200)
        #expect(Set(categories.map { String($0.prefix { $0 != "-" }) }).isSuperset(of: ["scam", "incident", "genuine"]))
        #expect(misses.isEmpty, "\(misses.count) messages got another verdict")
    }
}
