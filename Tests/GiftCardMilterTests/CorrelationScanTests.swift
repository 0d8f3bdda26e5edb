import Correlation
import Detection
import Foundation
import MailView
import Testing
@testable import GiftCardMilter

/// The burst rule end to end through the shared scanner: one confirmation reaching many recipients.
@Suite struct CorrelationScanTests {
    static let aligned = "Authentication-Results: mx.example.org; dkim=pass header.d=amazon.com; dmarc=pass header.from=amazon.com"

    func message(to recipient: String, greeting: String, body: String, date: String = "Sat, 28 Nov 2026 10:00:00 +0000") -> RawMessage {
        let text = """
        \(Self.aligned)
        From: "Amazon.com" <auto-confirm@amazon.com>
        To: \(recipient)
        Subject: Your Amazon.com order
        Date: \(date)
        DKIM-Signature: v=1; d=amazon.com; s=sel1; b=
        Content-Type: text/plain; charset=utf-8

        \(greeting)
        \(body)
        """
        return RawMessage(parsing: Array(text.utf8))
    }

    func scanner() throws -> MessageScanner {
        var config = Configuration()
        config.trustedAuthservIDs = ["mx.example.org"]
        config.bulk.recipients = 10
        return MessageScanner(configuration: config, store: try SQLiteCorrelationStore(path: nil))
    }

    @Test func identicalConfirmationFlipsAtTheThreshold() throws {
        let scanner = try scanner()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var kinds: [VerdictKind] = []
        for index in 1...12 {
            // Each greets by name and carries a time stamp, yet the confirmation is the same.
            let raw = message(to: "user\(index)@example.org", greeting: "Hello User\(index),",
                              body: "Thank you for purchasing a Google Play gift card of $50.00. Sent 28/11/2026 10:\(10 + index).")
            let result = scanner.scan(raw, envelope: Envelope(recipients: ["user\(index)@example.org"]), at: start + Double(index * 30))
            kinds.append(result.verdict.kind)
            if index >= 10 { #expect(result.verdict.reasons.contains(.bulkIdentical)) }
        }
        #expect(kinds == Array(repeating: .genuine, count: 9) + Array(repeating: .erroneous, count: 3))
    }

    @Test func personalConfirmationsOfTheSameCardStayGenuine() throws {
        let scanner = try scanner()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 1...15 {
            let raw = message(to: "buyer\(index)@example.org", greeting: "Hello Buyer\(index),",
                              body: "Thank you for your order 112-44556\(String(format: "%02d", index))-8899001 of a Google Play gift card of $50.00.")
            let result = scanner.scan(raw, envelope: Envelope(recipients: ["buyer\(index)@example.org"]), at: start + Double(index))
            #expect(result.verdict.kind == .genuine)
        }
    }

    @Test func oneBuyerWithThreeOrdersInTenMinutesStaysGenuine() throws {
        let scanner = try scanner()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for (minute, order) in [(0, "112-1111111-1111111"), (4, "112-2222222-2222222"), (9, "112-3333333-3333333")] {
            let raw = message(to: "dana@example.org", greeting: "Hello Dana,",
                              body: "Thank you for your order \(order): one Amazon eGift Card of $25.00.")
            let result = scanner.scan(raw, envelope: Envelope(recipients: ["dana@example.org"]), at: start + Double(minute * 60))
            #expect(result.verdict.kind == .genuine)
        }
    }

    @Test func fingerprintIgnoresGreetingAndDatesButNotOrderNumbers() {
        let lexicon = Lexicon.builtin
        func view(_ greeting: String, _ body: String) -> MessageView {
            MessageParser.parse(RawMessage(parsing: Array("Subject: Order\n\n\(greeting)\n\(body)".utf8)))
        }
        let a = ConfirmationFingerprint.of(view("Dear Anna,", "Thanks for your purchase on 12/11/2026 at 10:42."), brand: "amazon", lexicon: lexicon)
        let b = ConfirmationFingerprint.of(view("Dear Bruno,", "Thanks for your purchase on 13/11/2026 at 11:07."), brand: "amazon", lexicon: lexicon)
        let c = ConfirmationFingerprint.of(view("Dear Anna,", "Thanks for your purchase, order 4711-0815."), brand: "amazon", lexicon: lexicon)
        let d = ConfirmationFingerprint.of(view("Dear Anna,", "Thanks for your purchase, order 4711-0816."), brand: "amazon", lexicon: lexicon)
        #expect(a == b)
        #expect(c != d)
        #expect(a != ConfirmationFingerprint.of(view("Dear Anna,", "Thanks for your purchase on 12/11/2026 at 10:42."), brand: "apple", lexicon: lexicon))
    }

    @Test func storeFailureStillGivesAVerdict() {
        struct Broken: CorrelationStore {
            struct Failure: Error {}
            func recordConfirmation(fingerprint: String, recipients: [String], at time: Date, window: TimeInterval) throws -> Int {
                throw Failure()
            }
            func activeIncidents(at time: Date) throws -> [DeclaredIncident] { throw Failure() }
        }
        var config = Configuration()
        config.trustedAuthservIDs = ["mx.example.org"]
        let scanner = MessageScanner(configuration: config, store: Broken())
        let result = scanner.scan(message(to: "a@example.org", greeting: "Hello Ann,", body: "Thank you for your order of a gift card of $5.00."),
                                  envelope: Envelope())
        #expect(result.verdict.kind == .genuine)
        #expect(result.correlationError != nil)
    }
}
