@testable import Detection
import MailView
import ScreenCheck
import Testing

/// The lexicon as a screen (`LexiconScreen`): wherever the lexicon itself finds that a text may concern
/// the rules, the screen must say so from the text's runs; generated from every phrase of every
/// language's lexicon, written as plain text and as HTML with the words dressed up.
@Suite struct LexiconScreenTests {
    static let lexicon = Lexicon.builtin
    static let screen = LexiconScreen(lexicon)
    static let phrases: [String] = Lexicon.Section.allCases.flatMap { lexicon.terms($0) }.map {
        $0.replacingOccurrences(of: "*", with: "")
    }
    static let filler = ["the", "spring", "collection", "members", "week", "hello", "team", "you", "your", "order", "card", "Call", "now"]
    static let inline = ["<b>", "</b>", "<span>", "</span>", "<!-- x -->", "<i class=\"a\">", "</i>", "<a href=\"https://x.example/\">", "</a>"]
    static let between = [" ", "  ", "\n", " <br> ", "<p>", "</p><p>", "&nbsp;", " &amp; ", ", ", ". "]

    /// Normalization is what the lexicon reads: the exact decision.
    static func concerns(_ visible: String) -> Bool {
        Detector.mayConcern(lexicon.scan(TextNormalizer.normalize(visible)))
    }

    static func screened(plain: String) -> Bool? {
        var runs: [UInt8] = []
        return ScreenRuns.appendPlain(plain, to: &runs) ? screen.mayConcern(runs: String(decoding: runs, as: UTF8.self)) : nil
    }

    static func screened(html: String) -> Bool? {
        var runs: [UInt8] = []
        return ScreenRuns.appendHTML(html, maxDepth: 400, to: &runs) ? screen.mayConcern(runs: String(decoding: runs, as: UTF8.self)) : nil
    }

    static func caseOf(_ text: String, _ random: inout SplitMix64) -> String {
        switch random.next() % 3 {
        case 0: return text.uppercased()
        case 1: return text.prefix(1).uppercased() + text.dropFirst()
        default: return text
        }
    }

    /// Words of phrases and filler, in plain text and in HTML with tags inside words and between them.
    static func sample(_ random: inout SplitMix64) -> (plain: String, html: String) {
        var words: [String] = []
        for _ in 0..<(1 + Int(random.next() % 6)) {
            if random.next() % 3 == 0 {
                words.append(filler[Int(random.next() % UInt64(filler.count))])
            } else {
                words += phrases[Int(random.next() % UInt64(phrases.count))].split(separator: " ").map(String.init)
            }
        }
        words = words.map { caseOf($0, &random) }
        let plain = words.joined(separator: random.next() % 2 == 0 ? " " : "\n  ")
        var html = ""
        for (index, word) in words.enumerated() {
            if index > 0 { html += between[Int(random.next() % UInt64(between.count))] }
            let characters = Array(word)
            if characters.count > 2, random.next() % 3 == 0 {
                let cut = 1 + Int(random.next() % UInt64(characters.count - 1))
                html += String(characters[..<cut]) + inline[Int(random.next() % UInt64(inline.count))] + String(characters[cut...])
            } else {
                html += word
            }
        }
        return (plain, html)
    }

    @Test func whereTheLexiconFindsConcernTheScreenDoes() {
        var random = SplitMix64(seed: 0x6c65_7869_636f_6e01)
        var concerning = 0, cleared = 0, acceptedHTML = 0, overcautious = 0
        for _ in 0..<20_000 {
            let (plain, html) = Self.sample(&random)
            if let screened = Self.screened(plain: plain) {
                let exact = Self.concerns(plain)
                #expect(!exact || screened, "plain: \(plain.debugDescription)")
                if exact { concerning += 1 } else if !screened { cleared += 1 } else { overcautious += 1 }
            }
            if let screened = Self.screened(html: html) {
                acceptedHTML += 1
                let exact = Self.concerns(MessageParser.visibleText(ofHTML: html))
                #expect(!exact || screened, "html: \(html.debugDescription)")
            }
        }
        // Not vacuous: many texts concern the rules, many are cleared, most HTML is read by the screen.
        #expect(concerning > 2_000, "\(concerning) concerning")
        #expect(cleared > 1_000, "\(cleared) cleared, \(overcautious) more said to concern where the lexicon does not")
        #expect(acceptedHTML > 10_000)
    }

    @Test func everyConcernPhraseAloneIsSeen() {
        // Each phrase of the sections read, alone (with a support word where it is a transaction word):
        // the screen never clears it, whatever its language, in plain text or split by a tag.
        for section in Detector.concernSections {
            for phrase in Self.lexicon.terms(section) {
                let text = phrase.replacingOccurrences(of: "*", with: "") + (section == .transaction ? " call us" : section == .support || section == .callback ? " your order" : "")
                guard Self.concerns(text) else { continue }
                if let screened = Self.screened(plain: text) { #expect(screened, "\(section): \(text)") }
                let characters = Array(text)
                let split = String(characters[..<(characters.count / 2)]) + "<b></b>" + String(characters[(characters.count / 2)...])
                if let screened = Self.screened(html: split) { #expect(screened, "\(section): \(split)") }
            }
        }
    }
}
