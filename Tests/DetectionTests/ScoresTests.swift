import Foundation
import Testing
@testable import Detection
@testable import MailView

/// The rules' scores are data: the shipped file gives every score the rules ask for, and a broken file
/// is refused with the reason.
@Suite struct ScoresTests {
    @Test func theShippedScoresAreCompleteAndInRange() throws {
        #expect(Scores.shippedProblem == nil)
        for name in Scores.Name.allCases { #expect((1...100).contains(Scores.builtin[name]), "\(name)") }
        // The ranges the header contract promises: suspicious rules start at 60, genuine ones stay ≤ 20.
        for name: Scores.Name in [.paymentDemand, .codeRequest, .unbrandedLure, .brandImpostor, .callbackPurchase] {
            #expect(Scores.builtin[name] >= 60, "\(name)")
        }
        for name: Scores.Name in [.authenticatedSender, .brandAuthenticated] { #expect(Scores.builtin[name] <= 20, "\(name)") }
        for name: Scores.Name in [.brandSentInError, .brandSentInErrorGenericSalutation, .bulkIdentical, .declaredIncident] {
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
