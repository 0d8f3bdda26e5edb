import Foundation
import Testing
@testable import MailView

/// Bodies past the inspection limit: the text behind a large attachment or padding is still read, and
/// a cut in the text itself is noted.
@Suite struct SparseBodyTests {
    var limits: MessageLimits {
        var limits = MessageLimits()
        limits.maxBodyBytes = 64 * 1024
        return limits
    }

    func parse(_ text: String, chunk: Int? = nil) -> (RawMessage, MessageView) {
        let bytes = Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        var raw: RawMessage
        if let chunk {
            // As the milter receives it: headers, then the body in chunks.
            let split = RawMessage(parsing: bytes, limits: MessageLimits())
            raw = RawMessage(headers: split.headers)
            var index = 0
            while index < split.body.count {
                raw.appendBody(split.body[index..<min(index + chunk, split.body.count)], limits: limits)
                index += chunk
            }
            raw.finishBody()
        } else {
            raw = RawMessage(parsing: bytes, limits: limits)
        }
        return (raw, MessageParser.parse(raw, limits: limits))
    }

    static let attachmentFirst: String = {
        let base64 = Data((0..<300_000).map { UInt8($0 % 251) }).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        return """
        From: a@example.org
        Content-Type: multipart/mixed; boundary="outer"

        preamble
        --outer
        Content-Type: application/octet-stream; name=big.bin
        Content-Transfer-Encoding: base64

        \(base64)
        --outer
        Content-Type: multipart/alternative; boundary=inner

        --inner
        Content-Type: text/plain; charset=utf-8

        Ihr 1.000 € EDEKA-Gutschein wartet auf Sie.
        --inner
        Content-Type: text/html; charset=utf-8

        <html><body><p>Ihr 1.000 € EDEKA-Gutschein wartet.</p></body></html>
        --inner--
        --outer--
        """
    }()

    @Test(arguments: [nil, 1000, 4096, 65536])
    func textBehindALargeAttachmentIsRead(chunk: Int?) {
        let (raw, view) = parse(Self.attachmentFirst, chunk: chunk)
        #expect(raw.body.count < 16 * 1024)
        #expect(view.textParts.map(\.mimeType) == ["text/plain", "text/html"])
        #expect(view.textParts.allSatisfy { $0.text.contains("EDEKA-Gutschein") })
        #expect(view.attachments.map(\.filename) == ["big.bin"])
        // Only an attachment's content was left out: every word of text was read.
        #expect(view.limitsReached.isEmpty)
    }

    @Test func aLureAfterPaddingInTheSamePartIsReadAndTheCutNoted() {
        let padding = String(repeating: String(repeating: "x", count: 998) + "\n", count: 400)
        let text = "From: a@example.org\nContent-Type: text/plain; charset=utf-8\n\nHallo,\n" + padding + "Ihr Gutschein wartet: https://bit.ly/x\n"
        let (raw, view) = parse(text)
        #expect(raw.body.count <= limits.maxBodyBytes)
        #expect(view.textParts.count == 1)
        #expect(view.textParts[0].text.hasPrefix("Hallo,"))
        #expect(view.textParts[0].text.contains("Ihr Gutschein wartet"))
        #expect(view.limitsReached == [.bodyBytes])
    }

    @Test func boundariesInsideTextAndLongLinesDoNotConfuseIt() {
        let long = String(repeating: "y", count: 200_000)
        let text = """
        From: a@example.org
        Content-Type: multipart/mixed; boundary=b

        --b
        Content-Type: text/plain

        --bogus is not a delimiter of b
        \(long)
        still in part one
        --b
        Content-Type: image/png

        \(long)
        --b
        Content-Type: text/plain

        part three
        --b--
        epilogue
        """
        let (_, view) = parse(text)
        #expect(view.textParts.count == 2)
        #expect(view.textParts.first?.text.contains("still in part one") == true)
        #expect(view.textParts.last?.text.trimmingCharacters(in: .whitespacesAndNewlines) == "part three")
    }

    @Test func aBodyWithinTheLimitIsKeptByteForByte() {
        let text = "From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\npre\n--b\nContent-Type: image/png\n\nAAAA\n--b--\n"
        let (raw, _) = parse(text)
        #expect(raw.body == Array("pre\r\n--b\r\nContent-Type: image/png\r\n\r\nAAAA\r\n--b--\r\n".utf8))
    }
}
