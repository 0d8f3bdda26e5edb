import Foundation
import MailView

/// The edit of one part: its new content (and, when its charset changes, its new headers).
struct PartEdit {
    var splices: [Splice]
    var headerChanges: [HeaderChange]

    static func make(_ target: MIMEPart, banner: Banner, body: [UInt8], headers: [RawHeader], lineEnding: String) -> Result<PartEdit, BannerSkip> {
        guard let range = target.content, range.upperBound <= body.count else { return .failure(.unsupported) }
        let isHTML = target.mimeType == "text/html"
        let decoded = target.transferEncoding.decode(body[range])
        let charset = target.charset ?? "us-ascii"
        let normalizedCharset = charset.lowercased()
        if normalizedCharset.hasPrefix("utf-16") || normalizedCharset.hasPrefix("utf-32") || normalizedCharset.hasPrefix("ucs") {
            return .failure(.unsupported)  // not ASCII-compatible: no `<body>` to find, no marker to read
        }
        // Idempotence: this installation's banner, sealed to this content, at the top: placed already.
        let top = { (bytes: [UInt8]) in isHTML ? HTMLBodyStart.offset(in: bytes) : (bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0) }
        let decodedTop = top(decoded)
        if banner.seal.isSealed(decoded, at: decodedTop, html: isHTML) { return .failure(.alreadyPresent) }

        let partLineEnding = ByteSearch.lineEnding(of: decoded) ?? lineEnding
        var content = decoded
        var bannerBytes: [UInt8]
        var newCharset: String?
        let isUTF8 = normalizedCharset == "utf-8" || normalizedCharset == "utf8"
        if isHTML {
            let text = banner.html(asciiOnly: false)
            bannerBytes = isUTF8 ? Array(text.utf8) : (CharsetConversion.convert(Array(text.utf8), to: charset, from: "utf-8")
                ?? Array(banner.html(asciiOnly: true).utf8))
        } else {
            let text = banner.plainText(lineEnding: partLineEnding)
            if isUTF8 {
                bannerBytes = Array(text.utf8)
            } else if let converted = CharsetConversion.convert(Array(text.utf8), to: charset, from: "utf-8") {
                bannerBytes = converted
            } else {
                // The charset cannot carry the banner: the part becomes UTF-8, its text converted whole.
                guard let utf8 = CharsetConversion.convert(decoded, to: "utf-8", from: charset) else { return .failure(.unsupported) }
                content = utf8
                bannerBytes = Array(text.utf8)
                newCharset = "utf-8"
            }
        }
        // Only a plain part's conversion to UTF-8 changes the content; HTML is never converted.
        let at = newCharset == nil ? decodedTop : top(content)
        content.insert(contentsOf: banner.seal.sealed(bannerBytes, on: content), at: at)

        var encoding = target.transferEncoding
        if newCharset != nil, encoding == .unspecified || encoding == .sevenBit {
            encoding = .quotedPrintable  // UTF-8 is 8-bit: 7bit cannot carry it
        }
        var encoded = encode(content, encoding: encoding, lineEnding: lineEnding)
        // The line break before the next boundary belongs to the boundary: keep the content's own ending.
        let original = body[range]
        let lineBreak = Array(lineEnding.utf8)
        if original.last != 0x0A, encoded.last == 0x0A {
            while encoded.last == 0x0A || encoded.last == 0x0D { encoded.removeLast() }
        } else if original.last == 0x0A, encoded.last != 0x0A {
            encoded += lineBreak
        }
        var edit = PartEdit(splices: [Splice(range: range, bytes: encoded)], headerChanges: [])
        guard let newCharset else { return .success(edit) }

        if let boundary = target.boundary {
            guard let headerRange = headerBlock(before: range.lowerBound, boundary: boundary, in: body),
                  var text = MIMEHeaderText.partHeaders(body[headerRange], charset: newCharset, encoding: encoding) else { return .failure(.unsupported) }
            text = text.replacingOccurrences(of: "\r\n", with: "\n")
            if !text.hasSuffix("\n") { text += "\n" }
            text = text.replacingOccurrences(of: "\n", with: lineEnding)
            edit.splices.append(Splice(range: headerRange, bytes: Array(text.utf8)))
        } else {
            // The message is this one part: its Content-* headers are top-level headers, set through the MTA.
            // The last Content-Type is the one GMime (and so the outline) went by.
            let declared = headers.last { $0.name.caseInsensitiveCompare("Content-Type") == .orderedSame }
                .map { String(decoding: $0.value, as: UTF8.self) }
            edit.headerChanges = [
                HeaderChange(name: "MIME-Version", value: "1.0"),
                HeaderChange(name: "Content-Type", value: MIMEHeaderText.contentType(declared, charset: newCharset) ?? "text/plain; charset=utf-8"),
                HeaderChange(name: "Content-Transfer-Encoding", value: encoding.name ?? "7bit"),
            ]
        }
        return .success(edit)
    }

    /// The range of a part's header block (its lines up to and including the blank line's start): from
    /// just after the enclosing boundary line to the blank line before `contentStart`.
    static func headerBlock(before contentStart: Int, boundary: String, in bytes: [UInt8]) -> Range<Int>? {
        let delimiter = Array("--\(boundary)".utf8)
        var searchEnd = contentStart
        var blankLine = contentStart
        // The blank line ends the header block: step back over it ("\r\n" or "\n").
        if blankLine >= 1, bytes[blankLine - 1] == 0x0A { blankLine -= 1 }
        if blankLine >= 1, bytes[blankLine - 1] == 0x0D { blankLine -= 1 }
        searchEnd = blankLine
        guard let found = ByteSearch.last(delimiter, in: bytes, before: searchEnd),
              let lineEnd = bytes[found.upperBound..<searchEnd].firstIndex(of: 0x0A) else { return nil }
        return (lineEnd + 1)..<blankLine
    }

    /// Encodes with the part's transfer encoding; GMime's encoders end lines with LF, the body may use CRLF.
    static func encode(_ content: [UInt8], encoding: TransferEncoding, lineEnding: String) -> [UInt8] {
        guard encoding.transforms else { return content }
        // Quoted-printable carries line structure, not line-end bytes: encode LF-only text.
        var input = content
        if encoding == .quotedPrintable, input.contains(0x0D) {
            input = removeCRBeforeLF(content)
        }
        var out = encoding.encode(input)
        if lineEnding == "\r\n" { out = crlfLineEnds(out) }
        return out
    }

    /// LF line ends become CRLF (existing CRLF stays).
    private static func crlfLineEnds(_ bytes: [UInt8]) -> [UInt8] {
        let lines = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        return [UInt8](unsafeUninitializedCapacity: bytes.count + lines) { out, written in
            var previous: UInt8 = 0
            var index = 0
            for byte in bytes {
                if byte == 0x0A, previous != 0x0D { out[index] = 0x0D; index += 1 }
                out[index] = byte
                index += 1
                previous = byte
            }
            written = index
        }
    }

    private static func removeCRBeforeLF(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { out, written in
            var index = 0
            bytes.withUnsafeBufferPointer { input in
                for position in 0..<input.count where !(input[position] == 0x0D && position + 1 < input.count && input[position + 1] == 0x0A) {
                    out[index] = input[position]
                    index += 1
                }
            }
            written = index
        }
    }
}
