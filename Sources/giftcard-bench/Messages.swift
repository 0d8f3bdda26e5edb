import Foundation

/// Synthetic benchmark messages: a multipart/alternative confirmation (plain text and HTML, English and
/// Italian paragraphs, links, a phone number), optionally with a base64 attachment.
enum Messages {
    static func alternative(targetBytes: Int, attachmentBytes: Int = 0) -> [UInt8] {
        let paragraph = """
        Thank you for your order. You purchased a Google Play gift card of $25.00 for Luca Rossi.
        Grazie per l'acquisto: il tuo ordine 112-4455667-8899001 è confermato e la carta regalo è pronta.
        If you have questions, visit https://www.amazon.com/your-orders or call +1 888 280 4331.

        """
        var plain = ""
        var html = "<html><head><style>p{margin:0}</style></head><body>"
        while plain.utf8.count + html.utf8.count < targetBytes - 1200 {
            plain += paragraph
            html += "<p>Thank you for your <b>order</b>. You purchased a <i>Google Play</i> gift card of $25.00 for Luca Rossi.</p>"
                + "<p>Grazie per l&#39;acquisto: il tuo ordine 112-4455667-8899001 &egrave; confermato.</p>"
                + "<p><a href=\"https://www.amazon.com/your-orders\">www.amazon.com</a> &middot; +1 888 280 4331</p>"
        }
        html += "</body></html>"
        var message = """
        Authentication-Results: mx.example.org; dkim=pass header.d=amazon.com; dmarc=pass header.from=amazon.com\r
        From: "Amazon.com" <auto-confirm@amazon.com>\r
        To: luca@example.org\r
        Subject: =?UTF-8?B?\(Data("Il tuo ordine Amazon.com — gift card".utf8).base64EncodedString())?=\r
        Date: Sat, 28 Nov 2026 10:00:00 +0000\r
        Message-ID: <bench@amazon.com>\r
        DKIM-Signature: v=1; a=rsa-sha256; d=amazon.com; s=bench; h=from:to:subject; bh=; b=\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="outer"\r
        \r
        --outer\r
        Content-Type: multipart/alternative; boundary="alt"\r
        \r
        --alt\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        \(plain.replacingOccurrences(of: "è", with: "=C3=A8").replacingOccurrences(of: "\n", with: "\r\n"))\r
        --alt\r
        Content-Type: text/html; charset=utf-8\r
        Content-Transfer-Encoding: base64\r
        \r
        \(Data(html.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]))\r
        --alt--\r

        """
        if attachmentBytes > 0 {
            let blob = Data((0..<attachmentBytes).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) })
            message += "--outer\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\n"
                + "Content-Disposition: attachment; filename=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + blob.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
                + "\r\n"
        }
        message += "--outer--\r\n"
        return Array(message.utf8)
    }

    /// The clean newsletter `scripts/bench-postfix` sends (bench/postfix_throughput.py): 50 paragraphs
    /// without gift-card wording, as multipart/alternative (plain and HTML, about 20 KB) or HTML alone.
    static func newsletter(htmlOnly: Bool = false) -> [UInt8] {
        let paragraph = "Our spring collection is here: linen shirts, light jackets and canvas shoes for the warm days "
            + "ahead. Members get early access and free returns on every order placed this week. "
        let plain = Array(repeating: paragraph, count: 50).joined(separator: "\r\n")
        let html = "<html><body>" + (0..<50).map { "<p>\(paragraph)<a href=\"https://shop.example.net/p/\($0)\">more</a></p>" }.joined()
            + "</body></html>"
        var message = "From: \"Shop\" <news@shop.example.net>\r\nTo: alice@example.org\r\nSubject: Spring collection\r\n"
            + "Message-ID: <bench-newsletter@bench.example>\r\nMIME-Version: 1.0\r\n"
        if htmlOnly {
            message += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + html + "\r\n"
        } else {
            message += "Content-Type: multipart/alternative; boundary=\"bench\"\r\n\r\n"
                + "--bench\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + plain + "\r\n"
                + "--bench\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + html + "\r\n"
                + "--bench--\r\n"
        }
        return Array(message.utf8)
    }

    /// A plain-text reward lure of about `targetBytes`: a brand's voucher offered by someone else, with
    /// the selection, survey and claim wording and links that make every lure rule look at it.
    static func lure(targetBytes: Int) -> [UInt8] {
        let paragraph = """
        Herzlichen Glückwunsch! Sie wurden ausgewählt: Ihr 500 € EDEKA-Gutschein wartet. Nehmen Sie an der Umfrage teil
        und lösen Sie Ihren Gewinn ein, bevor er abläuft: https://bit.ly/3edk4x. Congratulations, claim your reward today.

        """
        var body = ""
        while body.utf8.count < targetBytes - 400 { body += paragraph }
        let message = "From: \"EDEKA-Gutschein\" <info@kundenvorteil.example>\r\nTo: phishing@example.org\r\n"
            + "Subject: Hallo phishing@example.org, Ihr Gewinn\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + body.replacingOccurrences(of: "\n", with: "\r\n")
        return Array(message.utf8)
    }
}
