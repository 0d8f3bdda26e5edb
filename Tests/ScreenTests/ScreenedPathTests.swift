import Detection
import Foundation
import MailView
import ScreenCheck
import Testing

/// The screened path against the full path on whole generated messages (`ScreenedPathCheck`): long
/// enough that the screen leaves parts unread, with lures hidden every way a sender can (split by tags,
/// entities, comments, hidden elements, soft line breaks, base64, other charsets, only in one of two
/// alternatives, in the subject, the sender's name, an image's alt text) and without any; HTML-only
/// messages long enough that their one part is read only in part. Every message
/// must get the same verdict, reasons, limits and banner bytes both ways.
@Suite struct ScreenedPathTests {
    static let detector = Detector(trustedAuthservIDs: ["mx.example.org"])

    static let paragraphs = [
        "Our spring collection is here: linen shirts, light jackets and canvas shoes for the warm days ahead.",
        "Members get early access and free returns on every order placed this week.",
        "Read the journal: three walks along the coast, a recipe for lemon cake and the story of our weavers.",
        "You receive this newsletter because you signed up at shop.example.net; unsubscribe at any time.",
    ]

    static let lures = [
        "Dear Amazon customer, thank you for purchasing Google Play gift cards. If you did not make this purchase, call us immediately at +1 (888) 555-0134 to cancel.",
        "Congratulations! You have been selected to receive a $500 Walmart gift card. Complete the survey to claim your reward now.",
        "Your order of 3 Apple gift cards is confirmed. To cancel this order call the billing department at 1-888-280-4331.",
        "The customs fee of $250 must be paid in Steam gift cards: send me the codes today.",
    ]

    /// Ways to dress a lure in HTML.
    enum Disguise: CaseIterable {
        case plain, tagsInWords, commentsInWords, entities, nonBreakingSpaces, hidden, imageAlt, title, zeroWidth, accented
    }

    static func dress(_ text: String, _ disguise: Disguise, _ random: inout SplitMix64) -> String {
        func split(_ insert: String) -> String {
            text.split(separator: " ").map { word in
                guard word.count > 3, random.next() % 2 == 0 else { return String(word) }
                let cut = word.index(word.startIndex, offsetBy: 1 + Int(random.next() % UInt64(word.count - 2)))
                return String(word[..<cut]) + insert + String(word[cut...])
            }.joined(separator: " ")
        }
        switch disguise {
        case .plain: return "<p>\(text)</p>"
        case .tagsInWords: return "<p>" + split("<b></b>") + "</p>"
        case .commentsInWords: return "<p>" + split("<!-- -->") + "</p>"
        case .entities: return "<p>" + text.map { $0 == "g" ? "&#103;" : $0 == "a" ? "&#x61;" : String($0) }.joined() + "</p>"
        case .nonBreakingSpaces: return "<p>" + text.replacingOccurrences(of: " ", with: "&nbsp;") + "</p>"
        case .hidden: return "<p>x <span style=\"display:none\">\(text)</span></p>"
        case .imageAlt: return "<p><img src=\"a.png\" alt=\"\(text.replacingOccurrences(of: "\"", with: "&quot;"))\"></p>"
        case .title: return "<title>\(text)</title>"
        case .zeroWidth: return "<p>" + split("\u{200B}") + "</p>"
        case .accented: return "<p>" + text.replacingOccurrences(of: "a", with: "\u{E0}") + "</p>"
        }
    }

    enum Encoding: CaseIterable { case eightBit, quotedPrintable, base64, latin1, windows1252 }

    static func encode(_ text: String, _ encoding: Encoding) -> (header: String, body: String) {
        switch encoding {
        case .eightBit:
            return ("charset=utf-8\r\nContent-Transfer-Encoding: 8bit", text)
        case .quotedPrintable:
            // Soft line breaks every 50 characters, inside words.
            var out = "", line = 0
            for byte in text.utf8 {
                if line >= 50 { out += "=\r\n"; line = 0 }
                if byte == 0x0A { out += "\r\n"; line = 0; continue }
                if byte == 0x3D || byte >= 0x80 || byte < 0x20 { out += String(format: "=%02X", byte); line += 3 } else { out += String(UnicodeScalar(byte)); line += 1 }
            }
            return ("charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable", out)
        case .base64:
            return ("charset=utf-8\r\nContent-Transfer-Encoding: base64", Data(text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]))
        case .latin1, .windows1252:
            // Typographic quotes where the charset has them; the bytes go as quoted-printable.
            let charset = encoding == .latin1 ? "iso-8859-1" : "windows-1252"
            let bytes = (text.replacingOccurrences(of: "'", with: encoding == .windows1252 ? "\u{2019}" : "'").data(using: encoding == .latin1 ? .isoLatin1 : .windowsCP1252, allowLossyConversion: true)) ?? Data()
            var out = "", line = 0
            for byte in bytes {
                if line >= 60 { out += "=\r\n"; line = 0 }
                if byte == 0x3D || byte >= 0x80 || byte < 0x20 { out += String(format: "=%02X", byte); line += 3 } else { out += String(UnicodeScalar(byte)); line += 1 }
            }
            return ("charset=\(charset)\r\nContent-Transfer-Encoding: quoted-printable", out)
        }
    }

    /// Where the lure goes, if anywhere.
    enum Placement: CaseIterable { case none, html, plainAfterPadding, both, subject, displayName, htmlOnlyMessage, htmlOnlyClean }

    static func message(_ placement: Placement, lure: String, disguise: Disguise, encoding: Encoding, padding: Int,
                        _ random: inout SplitMix64) -> [UInt8] {
        let clean = (0..<padding).map { _ in paragraphs[Int(random.next() % UInt64(paragraphs.count))] }
        var plain = clean.joined(separator: "\n\n")
        var html = "<html><head><title>Spring</title><style>p{margin:0}</style></head><body>"
            + clean.map { "<p>\($0) <a href=\"https://shop.example.net/p?a=1&amp;b=2\" style=\"text-decoration:none\">more</a></p>" }.joined()
        var subject = "Spring collection"
        var name = "Shop"
        switch placement {
        case .none, .htmlOnlyClean: break
        case .html, .htmlOnlyMessage: html += dress(lure, disguise, &random)
        case .plainAfterPadding: plain += "\n\n" + lure
        case .both:
            html += dress(lure, disguise, &random)
            plain += "\n\n" + lure
        case .subject: subject = lure
        case .displayName: name = String(lure.prefix(60))
        }
        html += "</body></html>"
        let (htmlHeader, htmlBody) = encode(html, encoding)
        var text = "From: \"\(name)\" <news@shop.example.net>\r\nTo: alice@example.org\r\nSubject: \(subject)\r\n"
            + "Message-ID: <screen-\(random.next() % 1_000_000)@shop.example.net>\r\nMIME-Version: 1.0\r\n"
        if placement == .htmlOnlyMessage || placement == .htmlOnlyClean {
            text += "Content-Type: text/html; \(htmlHeader)\r\n\r\n\(htmlBody)\r\n"
        } else {
            text += "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\(plain.replacingOccurrences(of: "\n", with: "\r\n"))\r\n"
                + "--b\r\nContent-Type: text/html; \(htmlHeader)\r\n\r\n\(htmlBody)\r\n--b--\r\n"
        }
        return Array(text.utf8)
    }

    @Test func generatedMessagesGetTheSameResultsBothWays() {
        var random = SplitMix64(seed: 0x7061_7468_0000_0001)
        var checked = 0, screened = 0, flagged = 0, cleanScreened = 0, clean = 0, eagerScreened = 0
        var htmlOnlyCleared = 0, htmlOnlyReadInPart = 0
        var differences: [String] = []
        for placement in Placement.allCases {
            for disguise in Disguise.allCases {
                for encoding in Encoding.allCases {
                    for padding in [2, 30, 60, 200] {
                        let lure = Self.lures[Int(random.next() % UInt64(Self.lures.count))]
                        let bytes = Self.message(placement, lure: lure, disguise: disguise, encoding: encoding, padding: padding, &random)
                        let outcome = ScreenedPathCheck.check(bytes, detector: Self.detector)
                        checked += 1
                        if outcome.screened { screened += 1 }
                        if outcome.verdict.kind != .none { flagged += 1 }
                        if placement == .none, padding >= 60 {
                            clean += 1
                            if outcome.leftUnread { cleanScreened += 1 }
                        }
                        // A long HTML-only message is cleared with its one part read only in part: the
                        // push parser stopped past the text the language guess needs.
                        if placement == .htmlOnlyClean, padding == 200, outcome.screened {
                            htmlOnlyCleared += 1
                            if outcome.leftUnread { htmlOnlyReadInPart += 1 }
                        }
                        // The same with the screen on every message, short ones too.
                        let eager = ScreenedPathCheck.check(bytes, detector: Self.detector, eager: true)
                        if eager.screened { eagerScreened += 1 }
                        if let difference = outcome.difference ?? eager.difference.map({ "(eager) \($0)" }) {
                            differences.append("\(placement) \(disguise) \(encoding) \(padding): \(difference)")
                        }
                    }
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.count) of \(checked) differ:\n\(differences.prefix(10).joined(separator: "\n"))")
        // Not vacuous: every long clean message is screened (in every charset and transfer encoding), and
        // lures are caught on both paths.
        #expect(cleanScreened == clean, "\(cleanScreened) of \(clean) long clean messages screened with text left unread")
        #expect(flagged * 3 > checked, "\(flagged) of \(checked) flagged")
        #expect(screened > cleanScreened, "lures the full path does not flag (hidden, in a title) may be screened too")
        #expect(eagerScreened > screened, "short messages are screened when the screen is eager")
        #expect(htmlOnlyCleared > 10 && htmlOnlyReadInPart == htmlOnlyCleared, "\(htmlOnlyReadInPart) of \(htmlOnlyCleared) read in part")
    }
}

/// The fuzz target's seeds and the inputs it once failed on (`ScreenSeeds`, `regression-*`), replayed.
@Suite struct ScreenSeedTests {
    @Test func seedsAndRegressionsPass() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ScreenSeeds")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names.count >= 18)
        for name in names {
            let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
            let failure = ScreenedPathCheck.failure(ofInput: bytes, detector: ScreenedPathTests.detector)
            #expect(failure == nil, "\(name): \(failure ?? "")")
        }
    }
}

/// A declared incident's phrase is looked for in the whole text, the part the screen left unread too.
@Suite struct ScreenedIncidentTests {
    struct Incidents: CorrelationFacts {
        let incident: DeclaredIncident
        func recordConfirmation(fingerprint: String, recipients: [String], at time: Date, window: TimeInterval) throws -> Int { 1 }
        func activeIncidents(at time: Date) throws -> [DeclaredIncident] { [incident] }
    }

    @Test func anIncidentPhraseInTheUnreadPartIsFound() throws {
        var random = SplitMix64(seed: 7)
        var bytes = ScreenedPathTests.message(.none, lure: "", disguise: .plain, encoding: .eightBit, padding: 60, &random)
        // The sender authenticated by this host; the phrase only at the end of the HTML part.
        let top = "Authentication-Results: mx.example.org; dkim=pass header.d=shop.example.net; dmarc=pass header.from=shop.example.net\r\n"
            + "DKIM-Signature: v=1; a=rsa-sha256; d=shop.example.net; s=s; h=from; bh=; b=\r\n"
        var text = top + String(decoding: bytes, as: UTF8.self)
        text = text.replacingOccurrences(of: "</body></html>", with: "<p>Spring ledger 4417</p></body></html>")
        bytes = Array(text.utf8)
        let detector = ScreenedPathTests.detector
        let raw = RawMessage(parsing: bytes)
        let view = MessageParser.parse(raw, details: false, screen: detector.screen)
        #expect(view.clearedByScreen && view.hasUnreadText)
        #expect(!view.normalizedText.contains("ledger 4417"))
        let now = Date()
        let incident = DeclaredIncident(senderDomain: "shop.example.net", phrase: "Spring ledger 4417", starts: now - 60, ends: now + 60,
                                        explanation: "Sent in error.")
        let judged = detector.judge(lazily: view, facts: Incidents(incident: incident), at: now)
        #expect(judged.verdict.kind == .erroneous)
        #expect(judged.verdict.reasons.contains(.declaredIncident))
        // An incident whose phrase is nowhere leaves it `none`.
        let other = DeclaredIncident(senderDomain: "shop.example.net", phrase: "winter ledger", starts: now - 60, ends: now + 60, explanation: "")
        #expect(detector.judge(lazily: view, facts: Incidents(incident: other), at: now).verdict.kind == .none)
    }
}
