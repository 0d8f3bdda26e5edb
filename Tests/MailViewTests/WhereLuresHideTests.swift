import Foundation
import Testing
@testable import MailView

/// Where real lures hide their number and words: spelled-out phone numbers, calendar invitations,
/// image alt text.
@Suite struct WhereLuresHideTests {
    func view(_ text: String) -> MessageView { MessageParser.parse(RawMessage(parsing: Array(text.utf8))) }

    @Test(arguments: [
        ("call +1 – (888) - (596) - (1028) now", "+18885961028"),
        ("call 1-800-GEEK-FIX to cancel", "18004335349"),
        ("Call 1 (888) NORTON-1 today", "18886678661"),
        ("tel. 888.555.0134", "8885550134"),
        ("phone: (844) 555 0199", "8445550199"),
    ])
    func phoneNumbersAsScamsWriteThem(_ text: String, _ digits: String) {
        let found = PhoneNumberFinder.find(in: text).map(\.digits)
        #expect(found.contains(digits), "\(text): \(found)")
    }

    @Test(arguments: ["Order 2024-ABC-1234", "Invoice INV-55821 of 12/03/2026", "1 - 2 - 3 pm", "ZIP 10115 BERLIN"])
    func wordsAndDatesAreNoNumbers(_ text: String) {
        #expect(PhoneNumberFinder.find(in: text).isEmpty, "\(text)")
    }

    @Test func anInvitationsSummaryAndDescriptionAreRead() {
        let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Norton renewal $399.99 processed\r\nDESCRIPTION;LANGUAGE=en:If you did not \r\n authorize this\\, call +1 (888) 555-0134\\nto cancel.\r\nX-SECRET:not shown\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        let message = "From: a@b.example\nSubject: Invitation\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nSee invite\n--b\nContent-Type: text/calendar; method=REQUEST\nContent-Disposition: attachment; filename=invite.ics\n\n\(ics)\n--b--\n"
        let v = view(message)
        let calendar = v.textParts.first { $0.mimeType == "text/calendar" }?.text ?? ""
        #expect(calendar.contains("Norton renewal $399.99 processed"))
        #expect(calendar.contains("If you did not authorize this, call +1 (888) 555-0134\nto cancel."))
        #expect(!calendar.contains("not shown"))
        #expect(v.attachments.contains { $0.mimeType == "text/calendar" })
        var detailed = v
        MessageParser.addDetails(to: &detailed)
        #expect(detailed.phoneNumbers.map(\.digits).contains("+18885550134"))
    }

    @Test func imageAltTextIsReadButNotAsALinksText() {
        let html = "<html><body><img src=\"x.png\" alt=\"Your Amazon order: call 1-888-555-0134\"><a href=\"https://t.example/c\"><img alt=\"www.shop.example\" src=\"logo.png\"></a></body></html>"
        let v = view("From: a@b.example\nSubject: x\nContent-Type: text/html\n\n\(html)")
        #expect(v.visibleText.contains("Your Amazon order: call 1-888-555-0134"))
        #expect(!v.visibleText.contains("www.shop.example"))
        #expect(v.links.allSatisfy { $0.shownHost == nil })
    }
}
