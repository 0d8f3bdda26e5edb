import Foundation
import Testing
@testable import Actions
import Detection
import GiftCardMilter
import MailView
import Milter

private let key = Array("test key of this installation".utf8)

private func banner(_ kind: VerdictKind = .suspicious, language: String = "en", reasons: [Reason] = [.callbackPhone],
                    messageID: String = "m1@example", brand: [String] = ["Amazon", "Amazon.com", "أمازون"]) -> Banner {
    let verdict = Verdict(kind: kind, score: 90, reasons: reasons, brand: "amazon", language: language, explanation: "")
    return Banner(verdict: verdict, brandNames: brand, templates: .builtIn,
                  seal: BannerSeal(key: key, messageID: messageID, fallback: ""))!
}

private func message(_ text: String) -> RawMessage {
    RawMessage(parsing: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
}

private func placed(_ outcome: BannerOutcome, sourceLocation: SourceLocation = #_sourceLocation) -> BannerEdit? {
    guard case .placed(let edit) = outcome else {
        Issue.record("banner not placed: \(outcome)", sourceLocation: sourceLocation)
        return nil
    }
    return edit
}

/// The message as the MTA holds it after the edit's steps, carried out by the daemon's executor.
private func delivered(_ edit: BannerEdit, _ raw: RawMessage) throws -> RawMessage {
    let context = InMemoryContext(raw)
    for step in edit.steps(headers: raw.headers) { try step.perform(on: context) }
    return context.message
}

private let alternative = """
From: "Amazon" <no-reply@amazon-giftcards.example>
Subject: Your gift card order
Message-ID: <m1@example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

preamble stays
--b1
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

Thank you for your gift card purchase.
If you did not make this purchase call +1 888 555 0100.
--b1
Content-Type: text/html; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

<html><head><title>x</title></head><body style=3D"margin:0"><p>Thank you for y=
our gift card purchase. Caf=E9.</p></body></html>
--b1--
epilogue stays
"""

@Suite struct BannerTests {
    @Test func bothAlternativesGetTheBannerAndTheRestIsUntouched() throws {
        let raw = message(alternative)
        let edit = try #require(placed(BannerInserter.insert(banner(), headers: raw.headers, body: raw.body)))
        #expect(edit.parts == ["1.1", "1.2"])
        #expect(edit.headerChanges.isEmpty)
        let view = MessageParser.parse(try delivered(edit, raw))
        let plain = try #require(view.textParts.first { $0.mimeType == "text/plain" })
        let html = try #require(view.textParts.first { $0.mimeType == "text/html" })
        #expect(plain.text.hasPrefix("Warning: Amazon did not send this gift-card message."))
        #expect(plain.text.contains("It asks you to phone a number."))
        #expect(plain.text.hasSuffix("Thank you for your gift card purchase.\r\nIf you did not make this purchase call +1 888 555 0100."))
        #expect(html.text.hasPrefix("Warning: Amazon did not send this gift-card message."))
        #expect(html.text.contains("Thank you for your gift card purchase. Café."))
        // The bytes outside the two parts' contents are as they came.
        let body = String(decoding: edit.body, as: UTF8.self)
        #expect(body.hasPrefix("preamble stays\r\n--b1\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"))
        #expect(body.hasSuffix("\r\n--b1--\r\nepilogue stays"))
        #expect(body.contains("--b1\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<html><head><title>x</title></head><body style=3D\"margin:0\"><div data-giftc"))
        // Every line of the re-encoded quoted-printable part fits the 76-column rule and ends in CRLF.
        for line in body.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78) }
        #expect(!body.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func aSecondPassFindsTheBannerAndAddsNone() throws {
        let raw = message(alternative)
        let edit = try #require(placed(BannerInserter.insert(banner(), headers: raw.headers, body: raw.body)))
        let again = try delivered(edit, raw)
        #expect(BannerInserter.insert(banner(), headers: again.headers, body: again.body) == .skipped(.alreadyPresent))
    }

    /// Issue 10, defect 3: a banner got on one message does not stand for another with the same
    /// Message-ID: copied whole to the top, its reference hidden in a comment or a last line, or with
    /// its words changed, it is not this message's, and the real banner goes on top.
    @Test func aReplayedBannerIsNotThisMessagesBanner() throws {
        let single = """
        From: "Amazon" <no-reply@amazon-giftcards.example>
        Message-ID: <m1@example>
        Content-Type: text/plain; charset=utf-8

        Thank you for your gift card purchase.
        If you did not make this purchase call +1 888 555 0100.
        """
        let raw = message(single)
        let first = try #require(placed(BannerInserter.insert(banner(), headers: raw.headers, body: raw.body)))
        let bannered = String(decoding: first.body, as: UTF8.self)
        let block = String(bannered[..<bannered.range(of: "Thank you")!.lowerBound])
        let reference = String(bannered[bannered.range(of: "giftcard-milter ref ")!.upperBound...].prefix(16))
        #expect(reference != BannerSeal.placeholder)
        let other = "Your order of 5 Google Play cards is confirmed.\r\nCall +1 888 555 0199 to cancel.\r\n"
        let replays = [
            block + other,                                                          // the whole banner, other content
            other + "giftcard-milter ref \(reference)\r\n",                            // the reference as a last line
            block.replacingOccurrences(of: "Warning", with: "Notice") + "Thank you for your gift card purchase.\r\nIf you did not make this purchase call +1 888 555 0100.",
        ]
        for body in replays {
            let outcome = BannerInserter.insert(banner(), headers: raw.headers, body: Array(body.utf8))
            #expect(placed(outcome) != nil, "\(body)")
        }
        let html = message("""
        From: "Amazon" <no-reply@amazon-giftcards.example>
        Message-ID: <m1@example>
        Content-Type: text/html; charset=utf-8

        <html><body><!-- data-giftcard-banner="\(reference)" --><p>Order confirmed. Call +1 888 555 0199.</p></body></html>
        """)
        #expect(placed(BannerInserter.insert(banner(), headers: html.headers, body: html.body)) != nil)
        // The message as it was bannered is recognised: no second banner.
        #expect(BannerInserter.insert(banner(), headers: raw.headers, body: first.body) == .skipped(.alreadyPresent))
    }

    @Test func aForgedBannerDoesNotSuppressTheRealOne() throws {
        // A sender who copies the banner's form cannot know this installation's reference.
        let forged = alternative.replacingOccurrences(of: "Thank you for your gift card purchase.\nIf",
                                                      with: "giftcard-milter ref 0123456789abcdef\nThank you for your gift card purchase.\nIf")
        let raw = message(forged)
        let edit = try #require(placed(BannerInserter.insert(banner(), headers: raw.headers, body: raw.body)))
        #expect(edit.parts == ["1.1", "1.2"])
    }

    @Test func base64PartsStayBase64AndDecodeToBannerPlusOriginal() throws {
        let text = "Grazie per aver acquistato una carta regalo.\r\nÈ stata inviata a te.\r\n"
        let encoded = Data(text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        let raw = message("""
        From: a@shop.example
        Message-ID: <it@example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: base64

        \(encoded)
        """)
        let b = banner(.erroneous, language: "it", reasons: [.noOrderDetails], messageID: "it@example")
        let edit = try #require(placed(BannerInserter.insert(b, headers: raw.headers, body: raw.body)))
        #expect(edit.headerChanges.isEmpty)
        let body = String(decoding: edit.body, as: UTF8.self)
        #expect(body.allSatisfy { $0.isASCII })
        let decoded = try #require(Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: "")))
        let decodedText = String(decoding: decoded, as: UTF8.self)
        #expect(decodedText.hasPrefix("Inviato per errore: molto probabilmente non hai acquistato questa carta"))
        #expect(decodedText.hasSuffix("\r\n" + text))
        #expect(decodedText.contains("giftcard-milter ref ") && !decodedText.contains(Banner.marker(BannerSeal.placeholder)))
    }

    @Test func arabicInWindows1256StaysInItsCharset() throws {
        let arabic = "شكرا لشرائك بطاقة هدايا"
        let cp1256 = try #require(CharsetConversion.convert(Array(arabic.utf8), to: "windows-1256", from: "utf-8"))
        let headers = message("""
        From: a@shop.example
        MIME-Version: 1.0
        Content-Type: text/plain; charset=windows-1256
        Content-Transfer-Encoding: 8bit

        X
        """).headers
        let raw = RawMessage(headers: headers, body: cp1256 + [0x0D, 0x0A])
        let b = banner(.suspicious, language: "ar", reasons: [.lookalikeDomain])
        let edit = try #require(placed(BannerInserter.insert(b, headers: raw.headers, body: raw.body)))
        #expect(edit.headerChanges.isEmpty)
        let view = MessageParser.parse(try delivered(edit, raw))
        let text = try #require(view.textParts.first?.text)
        #expect(text.hasPrefix("\u{200F}تنبيه: لم ترسل أمازون رسالة بطاقة الهدايا هذه."))
        #expect(text.hasSuffix(arabic + "\r\n"))
        #expect(edit.body.suffix(cp1256.count + 2) == ArraySlice(cp1256 + [0x0D, 0x0A]))
    }

    @Test func aSinglePartThatCannotCarryTheBannerBecomesUTF8() throws {
        let raw = message("""
        From: a@shop.example
        Subject: Carte cadeau
        Content-Type: text/plain; charset=us-ascii

        Merci pour votre achat de carte cadeau.
        """)
        let edit = try #require(placed(BannerInserter.insert(banner(.suspicious, language: "fr"), headers: raw.headers, body: raw.body)))
        let changes = Dictionary(uniqueKeysWithValues: edit.headerChanges.map { ($0.name, $0.value) })
        #expect(changes["Content-Type"]?.lowercased().contains("charset=utf-8") == true)
        #expect(changes["Content-Transfer-Encoding"] == "quoted-printable")
        let view = MessageParser.parse(try delivered(edit, raw))
        let text = try #require(view.textParts.first?.text)
        #expect(text.hasPrefix("Attention : ce message de carte cadeau ne vient pas de Amazon."))
        #expect(text.hasSuffix("Merci pour votre achat de carte cadeau."))
    }

    @Test func aNestedPartThatChangesCharsetGetsNewPartHeadersOnly() throws {
        let raw = message("""
        From: a@shop.example
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: multipart/alternative; boundary="inner"

        --inner
        Content-Type: text/plain
        X-Part-Note: kept

        Vielen Dank fuer Ihren Kauf einer Geschenkkarte.
        --inner
        Content-Type: text/html; charset=us-ascii

        <p>Vielen Dank</p>
        --inner--
        --outer
        Content-Type: application/pdf; name="a.pdf"
        Content-Disposition: attachment; filename="a.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --outer--
        """)
        let edit = try #require(placed(BannerInserter.insert(banner(.erroneous, language: "de", reasons: [.bulkIdentical]), headers: raw.headers, body: raw.body)))
        #expect(edit.headerChanges.isEmpty)
        #expect(edit.parts == ["1.1.1", "1.1.2"])
        let body = String(decoding: edit.body, as: UTF8.self)
        #expect(body.contains("X-Part-Note: kept\r\n"))
        #expect(body.contains("--outer\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\nContent-Disposition: attachment; filename=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--outer--"))
        // The HTML part kept us-ascii: its banner is written with character references.
        #expect(body.contains("Irrt&#252;mlich versandt"))
        let view = MessageParser.parse(try delivered(edit, raw))
        let plain = try #require(view.textParts.first { $0.mimeType == "text/plain" })
        #expect(plain.text.hasPrefix("Irrtümlich versandt: Sie haben diese Amazon-Geschenkkarte"))
        #expect(plain.text.hasSuffix("Vielen Dank fuer Ihren Kauf einer Geschenkkarte."))
        #expect(view.textParts.first { $0.mimeType == "text/html" }?.text.hasPrefix("Irrtümlich versandt") == true)
        #expect(view.attachments.count == 1)
    }

    @Test(arguments: [
        ("multipart/signed; protocol=\"application/pgp-signature\"; micalg=pgp-sha256", BannerSkip.signed),
        ("multipart/encrypted; protocol=\"application/pgp-encrypted\"", BannerSkip.encrypted),
    ])
    func protectedMessagesGetNoBanner(type: String, skip: BannerSkip) {
        let raw = message("""
        From: a@shop.example
        MIME-Version: 1.0
        Content-Type: \(type); boundary="s"

        --s
        Content-Type: text/plain

        Gift card purchase.
        --s
        Content-Type: application/octet-stream

        xyz
        --s--
        """)
        #expect(BannerInserter.insert(banner(), headers: raw.headers, body: raw.body) == .skipped(skip))
    }

    @Test func smimeAndAttachmentOnlyMessagesGetNoBanner() {
        let smime = message("""
        From: a@shop.example
        Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m
        Content-Transfer-Encoding: base64

        MIAGCSqGSIb3DQEHA6CAMIACAQAxggE=
        """)
        #expect(BannerInserter.insert(banner(), headers: smime.headers, body: smime.body) == .skipped(.encrypted))
        let forwarded = message("""
        From: a@shop.example
        Content-Type: message/rfc822

        From: b@x.example
        Subject: inner

        gift card
        """)
        #expect(BannerInserter.insert(banner(), headers: forwarded.headers, body: forwarded.body) == .skipped(.noTextPart))
    }

    @Test func deeplyNestedTextIsLeftAlone() {
        // 200 nested multiparts with the text at the bottom: the walk stops at its depth limit.
        var body = ""
        for level in 0..<200 { body += "--b\(level)\r\nContent-Type: multipart/mixed; boundary=\"b\(level + 1)\"\r\n\r\n" }
        body += "--b200\r\nContent-Type: text/plain\r\n\r\nGift card purchase.\r\n--b200--\r\n"
        for level in stride(from: 199, through: 0, by: -1) { body += "--b\(level)--\r\n" }
        let headers = [RawHeader("From", "a@shop.example"), RawHeader("MIME-Version", "1.0"),
                       RawHeader("Content-Type", "multipart/mixed; boundary=\"b0\"")]
        #expect(BannerInserter.insert(banner(), headers: headers, body: Array(body.utf8)) == .skipped(.noTextPart))
    }

    @Test func htmlBannerGoesAfterTheBodyTagNotInsideComments() {
        let html = Array("<!-- <body> --><html><BODY\n class=\"a>b\" >Hi</BODY></html>".utf8)
        let offset = HTMLBodyStart.offset(in: html)
        #expect(String(decoding: html[..<offset], as: UTF8.self).hasSuffix("class=\"a>b\" >"))
        #expect(HTMLBodyStart.offset(in: Array("<html><head></head>Hi".utf8)) == 19)
        #expect(HTMLBodyStart.offset(in: Array("<p>Hi</p>".utf8)) == 0)
        #expect(HTMLBodyStart.offset(in: Array("<bodyx><body>".utf8)) == 13)
    }

    @Test func builtInTextsExistForEveryLanguageAndOfferNothingToCall() throws {
        for language in BannerTemplates.languages {
            for kind in [VerdictKind.erroneous, .suspicious] {
                for key in ["\(kind.rawValue).title", "\(kind.rawValue).title.brand", "\(kind.rawValue).text"] {
                    let text = try #require(BannerTemplates.builtIn.text(key, language: language))
                    #expect(!text.isEmpty, "\(language) \(key)")
                }
            }
            for reason in Banner.reasonOrder {
                #expect(BannerTemplates.builtIn.text("reason.\(reason.rawValue)", language: language) != nil, "\(language) \(reason)")
            }
            let all = Banner.reasonOrder
            let b = banner(.suspicious, language: language, reasons: all)
            let plain = b.plainText(lineEnding: "\n")
            #expect(BannerTemplates.offer(in: plain.replacingOccurrences(of: Banner.marker(BannerSeal.placeholder), with: "")) == nil, "\(language)")
            #expect(LinkFinder.bareLinks(in: b.html(asciiOnly: false)).isEmpty)
            #expect(plain.split(separator: "\n").allSatisfy { $0.count <= 80 })
        }
        #expect(banner(language: "ar").rightToLeft)
        #expect(!banner(language: "it").rightToLeft)
        #expect(banner(language: "nl").language == "nl")
        #expect(banner(language: "sv").language == "en")
    }

    @Test func postmasterTemplatesOverrideKeysAndMayNotOfferLinksOrNumbers() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("banners-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "suspicious.title = Careful: {brand} did not send this.\n".write(to: directory.appendingPathComponent("en.banner"), atomically: true, encoding: .utf8)
        let templates = try BannerTemplates.loading(directory: directory.path)
        #expect(templates.text("suspicious.title.brand", language: "en") != nil)
        #expect(templates.text("suspicious.title", language: "en") == "Careful: {brand} did not send this.")
        #expect(templates.text("suspicious.title", language: "it") == BannerTemplates.builtIn.text("suspicious.title", language: "it"))
        for bad in ["suspicious.text = Call us at +1 888 555 0100", "suspicious.text = see https://help.example/x", "no equals sign"] {
            try bad.write(to: directory.appendingPathComponent("fr.banner"), atomically: true, encoding: .utf8)
            #expect(throws: BannerTemplateError.self) { try BannerTemplates.loading(directory: directory.path) }
        }
    }

    @Test func helpURLIsTheOnlyLink() {
        let verdict = Verdict(kind: .erroneous, score: 40, reasons: [.declaredIncident], brand: nil, language: "es", explanation: "")
        let b = Banner(verdict: verdict, brandNames: [], templates: .builtIn, seal: BannerSeal(key: key, messageID: "r", fallback: ""), helpURL: "https://help.example.org/giftcards")!
        #expect(b.title.hasPrefix("Enviado por error"))
        #expect(b.sentences.last == "Más información: https://help.example.org/giftcards")
        #expect(LinkFinder.bareLinks(in: b.plainText(lineEnding: "\n")).map(\.host) == ["help.example.org"])
        #expect(Banner(verdict: Verdict(kind: .genuine, score: 0, reasons: [], brand: nil, language: "en", explanation: ""),
                       brandNames: [], templates: .builtIn, seal: BannerSeal(key: key, messageID: "r", fallback: "")) == nil)
    }

    @Test func referencesDependOnKeyMessageBannerAndContent() {
        let banner = Array("Warning\ngiftcard-milter ref \(BannerSeal.placeholder)\n".utf8), content = Array("Hello".utf8)
        let a = BannerSeal(key: key, messageID: "a@x", fallback: "").reference(banner: banner, content: content[...])
        #expect(a.count == 16)
        #expect(a == BannerSeal(key: key, messageID: "a@x", fallback: "").reference(banner: banner, content: content[...]))
        // Line ends and wrapping do not count; everything else does.
        #expect(a == BannerSeal(key: key, messageID: "a@x", fallback: "").reference(banner: banner, content: Array("Hel\r\nlo".utf8)[...]))
        #expect(a != BannerSeal(key: key, messageID: "b@x", fallback: "").reference(banner: banner, content: content[...]))
        #expect(a != BannerSeal(key: Array("other".utf8), messageID: "a@x", fallback: "").reference(banner: banner, content: content[...]))
        #expect(a != BannerSeal(key: key, messageID: "a@x", fallback: "").reference(banner: banner, content: Array("Hallo".utf8)[...]))
        #expect(a != BannerSeal(key: key, messageID: "a@x", fallback: "").reference(banner: Array("Notice".utf8) + banner, content: content[...]))
    }
}
