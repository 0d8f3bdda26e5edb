import Actions
import Detection
import MailView
import Logging
import Testing
@testable import GiftCardMilter

@Suite struct MessageScannerTests {
    @Test func defaultConfigurationReadsAMultipartMessage() {
        let text = "From: a@example.net\nSubject: x\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain; charset=us-ascii\n\nhello there\n--b--\n"
        let scanner = MessageScanner(configuration: Configuration())
        let result = scanner.scan(RawMessage(parsing: Array(text.utf8), limits: Configuration().limits), envelope: Envelope())
        #expect(result.view.limitsReached.isEmpty)
        #expect(result.view.textParts.map(\.text) == ["hello there"])
    }
}
