import Detection

/// The inputs of the fuzz target `screen` (`giftcard-fuzz`, scripts/fuzz) and the seeds the tests replay.
/// An input is read two ways, by its first byte's top bit: as a whole message, or as the pieces of a
/// multipart/alternative message (`message(fromInput:)`) whose plain part fills the language guess's
/// window, so that the screen's skip of the later part is what runs, with the fuzzed HTML or text there.
extension ScreenedPathCheck {
    /// What is wrong with one input: a run of the fuzzed text's visible words the screen misses (read as
    /// HTML and as plain text), or a difference between the paths on the message; nil when nothing.
    public static func failure(ofInput bytes: [UInt8], detector: Detector) -> String? {
        let structured = (bytes.first ?? 0) & 0x80 == 0
        if structured {
            let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
            if let run = missedRun(html: text) ?? missedRun(plain: text) { return "the screen's runs miss \"\(run)\" of the visible text" }
        }
        let message = structured ? message(fromInput: bytes) : bytes
        for eager in [false, true] {
            if let difference = check(message, detector: detector, eager: eager).difference {
                return "the screened path\(eager ? " (eager)" : "") differs from the full path: \(difference)"
            }
        }
        return nil
    }

    /// Clean text that fills the language window: a shop newsletter (it says "order", a transaction
    /// word, so a support or call-back word in the fuzzed part is what decides).
    static let paragraph = "Our spring collection is here: linen shirts, light jackets and canvas shoes for the warm days "
        + "ahead. Members get early access and free returns on every order placed this week.\r\n"

    /// First byte: bits 0–1 the fuzzed part's transfer encoding and charset (8bit UTF-8, quoted-printable,
    /// base64, 8bit ISO-8859-1), bit 2 the fuzzed part first, bit 3 text/plain instead of text/html,
    /// bits 4–5 how much clean text (about 0.7, 7, 9 or 14 KB), bit 6 about 25 KB of clean HTML after the
    /// fuzzed text in its part, so that the language guess reads that part only in part (through
    /// libxml2's push parser, stopped past enough text). The rest up to the first NUL is added to the
    /// plain part's end, the rest after it is the fuzzed part.
    public static func message(fromInput bytes: [UInt8]) -> [UInt8] {
        let flags = bytes.first ?? 0
        let payload = bytes.dropFirst()
        let split = payload.firstIndex(of: 0)
        let plainExtra = split.map { Array(payload[payload.startIndex..<$0]) } ?? []
        let fuzzed = split.map { Array(payload[($0 + 1)...]) } ?? Array(payload)
        let repeats = [4, 40, 52, 80][Int(flags >> 4) & 3]
        var plain = Array(String(repeating: paragraph, count: repeats).utf8)
        plain += plainExtra
        let encodings = ["8bit", "quoted-printable", "base64", "8bit"]
        let encoding = encodings[Int(flags & 3)]
        let charset = flags & 3 == 3 ? "iso-8859-1" : "utf-8"
        let type = flags & 8 != 0 ? "text/plain" : "text/html"
        var content = fuzzed
        if flags & 0x40 != 0 {
            content += Array(String(repeating: "<p>" + paragraph + " <a href=\"https://shop.example.net/p\">more</a></p>\r\n", count: 120).utf8)
        }
        let body: [UInt8]
        switch encoding {
        case "quoted-printable": body = quotedPrintable(content)
        case "base64": body = base64(content)
        default: body = content
        }
        let plainPart = Array("--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".utf8) + plain + Array("\r\n".utf8)
        let fuzzedPart = Array("--b\r\nContent-Type: \(type); charset=\(charset)\r\nContent-Transfer-Encoding: \(encoding)\r\n\r\n".utf8) + body + Array("\r\n".utf8)
        var message = Array(("From: \"Shop\" <news@shop.example.net>\r\nTo: alice@example.org\r\nSubject: Spring collection\r\n"
            + "Message-ID: <screen@shop.example.net>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n").utf8)
        message += flags & 4 != 0 ? fuzzedPart + plainPart : plainPart + fuzzedPart
        message += Array("--b--\r\n".utf8)
        return message
    }

    /// Quoted-printable with soft line breaks every 60 characters, wherever they fall (inside words too).
    static func quotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var line = 0
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in bytes {
            if line >= 60 {
                out += [0x3D, 0x0D, 0x0A]
                line = 0
            }
            if byte == 0x0A {
                out += [0x0D, 0x0A]
                line = 0
            } else if byte == 0x0D {
                continue
            } else if byte == 0x3D || byte < 0x20 || byte >= 0x7F {
                out += [0x3D, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                line += 3
            } else {
                out.append(byte)
                line += 1
            }
        }
        return out
    }

    static func base64(_ bytes: [UInt8]) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        var line = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[Int(value >> (18 - 6 * UInt32(position)) & 63)] : 0x3D)
            }
            index += 3
            line += 4
            if line >= 76 {
                out += [0x0D, 0x0A]
                line = 0
            }
        }
        return out
    }

}
