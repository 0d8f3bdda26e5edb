import Foundation
import Testing
@testable import MailView

@Suite struct MessageParserTests {
    func view(_ text: String) -> MessageView {
        MessageParser.parse(RawMessage(parsing: Array(text.utf8)))
    }

    @Test func decodesEncodedWordsAndAddresses() {
        let v = view("From: =?UTF-8?B?2KPZhdin2LLZiNmG?= <no-reply@Amazon.SA>\nSubject: =?ISO-8859-1?Q?Conferma_dell=27ordine_=E8_pronta?=\n\nx\n")
        #expect(v.from?.displayName == "أمازون")
        #expect(v.from?.domain == "amazon.sa")
        #expect(v.subject == "Conferma dell'ordine è pronta")
    }

    @Test func decodesWindows1256Base64Arabic() throws {
        // "بطاقة هدايا" in windows-1256, base64-encoded.
        let cp1256: [UInt8] = [0xC8, 0xD8, 0xC7, 0xDE, 0xC9, 0x20, 0xE5, 0xCF, 0xC7, 0xED, 0xC7]
        let b64 = Data(cp1256).base64EncodedString()
        let v = view("Subject: x\nMIME-Version: 1.0\nContent-Type: text/plain; charset=windows-1256\nContent-Transfer-Encoding: base64\n\n\(b64)\n")
        #expect(v.textParts.first?.text.contains("بطاقة هدايا") == true)
        #expect(v.normalizedText.contains("بطاقه هدايا"))
    }

    @Test func decodesQuotedPrintableItalian() {
        let v = view("Subject: x\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nGrazie per l'acquisto, la carta regalo =E8 pronta=\n per te.\n")
        #expect(v.textParts.first?.text == "Grazie per l'acquisto, la carta regalo è pronta per te.\n")
    }

    @Test func htmlVisibleTextSkipsHiddenAndScript() {
        let html = """
        <html><head><style>p{}</style><title>T</title></head><body><p>Gift&nbsp;card &amp; more</p>
        <div style="display: none">hidden words</div><script>var x='script words';</script>
        <p>Call <span>+1 888</span> 555 0134</p><a href="https://evil.example/login">www.amazon.com</a></body></html>
        """
        let v = view("Subject: x\nContent-Type: text/html; charset=utf-8\n\n\(html)\n")
        let text = v.textParts.first?.text ?? ""
        #expect(text.contains("Gift\u{00A0}card & more"))
        #expect(!text.contains("hidden words"))
        #expect(!text.contains("script words"))
        #expect(v.links == [Link(url: "https://evil.example/login", host: "evil.example", shownHost: "www.amazon.com")])
        #expect(v.phoneNumbers == [PhoneNumber(digits: "+18885550134", e164: "+18885550134")])
    }

    @Test func multipartAlternativePathsAndAttachments() {
        let text = """
        Subject: x
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: multipart/alternative; boundary="inner"

        --inner
        Content-Type: text/plain

        plain words
        --inner
        Content-Type: text/html

        <p>html words</p>
        --inner--
        --outer
        Content-Type: application/pdf; name="a.pdf"
        Content-Disposition: attachment; filename="a.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0=
        --outer--
        """
        let v = view(text)
        #expect(v.textParts.map(\.path) == ["1.1.1", "1.1.2"])
        // The line break before a boundary belongs to the boundary (RFC 2046).
        #expect(v.textParts.map(\.text) == ["plain words", "html words"])
        #expect(v.attachments == [Attachment(path: "1.2", mimeType: "application/pdf", filename: "a.pdf", size: 6)])
    }

    @Test func malformedInputStillGivesAView() {
        let v = view("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain; charset=nonsense-42\nContent-Transfer-Encoding: base64\n\n@@@not base64\n")
        #expect(v.textParts.count == 1)
        let empty = MessageParser.parse(RawMessage())
        #expect(empty.textParts.allSatisfy { $0.text.isEmpty })
    }

    @Test func deepNestingIsCutNotCrashed() {
        var text = "Subject: deep\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b0\n\n"
        for level in 0..<120 {
            text += "--b\(level)\nContent-Type: multipart/mixed; boundary=b\(level + 1)\n\n"
        }
        text += "--b120\nContent-Type: text/plain\n\ninnermost\n"
        let v = view(text)
        #expect(v.degraded)
        #expect(!v.textParts.contains { $0.text.contains("innermost") })
    }

    @Test func authenticationResultsAreParsedPerAuthservID() {
        let v = view("Authentication-Results: mx.example.org 1; dkim=pass (good sig) header.d=amazon.com header.s=a; dmarc=pass header.from=amazon.com; spf=fail smtp.mailfrom=x@y.z\nSubject: x\n\nb\n")
        #expect(v.authenticationResults.count == 3)
        #expect(v.authenticationResults[0] == AuthenticationResult(authservID: "mx.example.org", method: "dkim", result: "pass", properties: ["header.d": "amazon.com", "header.s": "a"]))
        #expect(v.authenticationResults[2].result == "fail")
    }

    /// The id is believed only as a bare token ended by whitespace or `;`, read from the bytes as they
    /// arrived (an encoded-word is not decoded into an id).
    @Test func onlyAPlainAuthservIDIsPlain() {
        let plain = [" mx.example.org; a=b", "mx.example.org;a=b", "\n\tMX.Example.org 1; a=b", "\tmx.example.org\t; a=b", "mx.example.org (c); a=b"]
        for value in plain {
            #expect(AuthenticationResultsParser.plainAuthservID(Array(value.utf8)) == "mx.example.org", "\(value)")
            #expect(AuthenticationResultsParser.parse(value).allSatisfy { $0.plainID && $0.authservID == "mx.example.org" })
        }
        let disguised = ["mx.example.org(c); a=b", "(c) mx.example.org; a=b", "\"mx.example.org\"; a=b", "=?us-ascii?q?mx.example.org?=; a=b",
                         "mx.example.org", "mx.example.org\\; a=b", "\u{00A0}mx.example.org; a=b", "m\u{200B}x.example.org; a=b"]
        for value in disguised {
            #expect(AuthenticationResultsParser.plainAuthservID(Array(value.utf8)) == nil, "\(value)")
            #expect(AuthenticationResultsParser.parse(value).allSatisfy { !$0.plainID }, "\(value)")
        }
        // Read leniently, the disguises are still the trusted id, so they can be refused by name.
        for value in ["mx.example.org(c); a=b", "(c) mx.example.org; a=b", "\"mx.example.org\"; a=b", "=?us-ascii?q?mx.example.org?=; a=b",
                      "\u{00A0}mx.example.org; a=b", "m\u{200B}x.example.org; a=b", "\u{FF4D}x.example.org; a=b"] {
            #expect(AuthenticationResultsParser.parse(value).first?.authservID == "mx.example.org", "\(value)")
        }
        // Encoded-words in the header are not decoded on the way in.
        let v = view("Authentication-Results: =?us-ascii?q?mx.example.org?=; dkim=pass header.d=amazon.com\nSubject: x\n\nb\n")
        #expect(v.authenticationResults.count == 1 && !v.authenticationResults[0].plainID)
    }
}
