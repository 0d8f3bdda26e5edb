import Foundation
import Testing
@testable import Detection
@testable import MailView

/// The rules' scores are data: the shipped file gives every score the rules ask for, and a broken file
/// is refused with the reason.
@Suite struct ScoresTests {
    @Test func theShippedScoresAreCompleteAndInRange() throws {
        #expect(Scores.shippedProblem == nil)
        for name in Scores.names { #expect((0...100).contains(Scores.builtin[name]), "\(name)") }
        // The ranges the header contract promises: suspicious rules start at 60, genuine ones stay ≤ 20.
        for name in ["payment-demand", "code-request", "unbranded-lure", "brand-impostor", "callback-purchase"] {
            #expect(Scores.builtin[name] >= 60, "\(name)")
        }
        for name in ["authenticated-sender", "brand-authenticated"] { #expect(Scores.builtin[name] <= 20, "\(name)") }
        for name in ["brand-sent-in-error", "brand-sent-in-error.generic-salutation", "bulk-identical", "declared-incident"] {
            #expect((30...59).contains(Scores.builtin[name]), "\(name)")
        }
    }

    @Test(arguments: [
        ("ceiling 95\nceiling 90", "given twice"),
        ("ceiling 101", "'name 0-100' expected"),
        ("ceilin 95", "unknown score 'ceilin'"),
        ("ceiling 95", "missing: "),
    ])
    func aBrokenFileIsRefusedWithTheReason(text: String, says: String) {
        do {
            _ = try Scores(text: text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(says), "\(error)")
        }
    }
}
