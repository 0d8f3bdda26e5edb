import Correlation
import Detection
import Foundation
import MailView
import ScreenCheck
import Actions
import Logging
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
        config.organizationDomains = ["corp.example.org"]
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

    /// Every flagged message of the corpus, bannered: the banner is in the message's language, in each
    /// text part the reader sees, and the bannered message gets the same verdict (the banner's words do
    /// not read as a scam warning or a call-back request) and no second banner.
    @Test func banneredMessagesKeepTheirVerdictAndGetOneBanner() throws {
        let root = try #require(Bundle.module.url(forResource: "Corpus", withExtension: nil))
        var config = Configuration()
        config.trustedAuthservIDs = ["mx.example.org"]
        config.organizationDomains = ["corp.example.org"]
        // The daemon's path: a session with these settings, its plan carried out on an in-memory MTA.
        let settings = LiveSettings(config, store: nil, stateFallback: nil, key: Array("corpus".utf8))
        let session = settings.session(logger: Logger(label: "corpus") { _ in SwiftLogNoOpLogHandler() }, version: "test")
        func deliver(_ bytes: [UInt8]) throws -> OfflineDelivery.Delivered {
            try OfflineDelivery.deliver(bytes, through: session, envelope: Envelope())
        }
        var placed = 0, languages: Set<String> = [], changed: [String] = []
        for category in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let directory = root.appendingPathComponent(category)
            for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
                let first = try deliver(Array(try Data(contentsOf: directory.appendingPathComponent(file))))
                let result = first.judged.result
                guard result.verdict.kind == .suspicious || result.verdict.kind == .erroneous else { continue }
                guard case .placed(let edit) = first.judged.plan.banner else {
                    changed.append("\(category)/\(file): not placed \(String(describing: first.judged.plan.banner))")
                    continue
                }
                placed += 1
                let second = try deliver(first.message.serialized())
                let again = second.judged.result
                if again.verdict.kind != result.verdict.kind {
                    changed.append("\(category)/\(file): \(result.verdict.kind) -> \(again.verdict.kind) \(again.verdict.reasons)")
                }
                let note = try #require(settings.banner.banner(for: result.verdict, view: result.view, brands: settings.scanner.detector.brands))
                languages.insert(note.language)
                // Each text part the reader sees starts with the banner's first line.
                for part in again.view.textParts where edit.parts.contains(part.path) {
                    let shown = part.text.replacingOccurrences(of: "\u{200F}", with: "")
                        .split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    if !shown.hasPrefix(note.title) { changed.append("\(category)/\(file) \(part.path): banner not first") }
                }
                if second.judged.plan.banner != .skipped(.alreadyPresent) {
                    changed.append("\(category)/\(file): second pass \(String(describing: second.judged.plan.banner))")
                }
            }
        }
        print("bannered \(placed) flagged corpus messages in \(languages.sorted())")
        #expect(placed >= 150)
        #expect(languages == Set(BannerTemplates.languages))
        #expect(changed.isEmpty, "\(changed.prefix(20).joined(separator: "\n"))")
    }

    /// The scanner parses without details and adds them only for mail that mentions gift cards: its
    /// verdicts must be exactly those of a full parse.
    @Test func lazyDetailsGiveTheSameVerdicts() throws {
        let root = try #require(Bundle.module.url(forResource: "Corpus", withExtension: nil))
        let detector = Detector(trustedAuthservIDs: ["mx.example.org"], organizationDomains: ["corp.example.org"])
        var compared = 0, skipped = 0
        for category in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let directory = root.appendingPathComponent(category)
            for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
                let raw = RawMessage(parsing: Array(try Data(contentsOf: directory.appendingPathComponent(file))))
                let full = detector.evaluate(MessageParser.parse(raw))
                let (lazy, view) = detector.evaluate(lazily: MessageParser.parse(raw, details: false))
                #expect(lazy == full, "\(category)/\(file)")
                if !view.hasDetails { skipped += 1 }
                compared += 1
            }
        }
        #expect(compared >= 300)
        #expect(skipped > 0 && skipped < compared)  // both paths were taken
    }

    /// The milter's path (no details, the pre-screen, lazy judgement) against the full path on every
    /// message of the corpus (`ScreenedPathCheck`): verdict, reasons, language, limits and banner bytes.
    @Test func screenedPathGivesTheFullPathsResults() throws {
        let root = try #require(Bundle.module.url(forResource: "Corpus", withExtension: nil))
        let detector = Detector(trustedAuthservIDs: ["mx.example.org"], organizationDomains: ["corp.example.org"])
        var compared = 0
        for category in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let directory = root.appendingPathComponent(category)
            for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
                let outcome = ScreenedPathCheck.check(Array(try Data(contentsOf: directory.appendingPathComponent(file))), detector: detector)
                #expect(outcome.difference == nil, "\(category)/\(file): \(outcome.difference ?? "")")
                compared += 1
            }
        }
        #expect(compared >= 600)
    }
}
