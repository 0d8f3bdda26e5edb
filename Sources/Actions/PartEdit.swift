import CGMime
import Foundation
import MailView

/// The edit of one part: its new content (and, when its charset changes, its new headers).
struct PartEdit {
    var splices: [Splice]
    var headerChanges: [HeaderChange]

    static func make(_ target: BannerTargets.Part, banner: Banner, bytes: [UInt8], bodyStart: Int, lineEnding: String) -> Result<PartEdit, BannerSkip> {
        let part = gcm_part(target.object)
        var start: gint64 = 0, end: gint64 = 0
        guard gcm_part_content_bounds(part, &start, &end) != 0, Int(start) >= bodyStart, Int(end) <= bytes.count,
              let decodedArray = gcm_part_decoded_bytes(part) else { return .failure(.unsupported) }
        defer { g_byte_array_unref(decodedArray) }
        let decoded = decodedArray.pointee.data.map { Array(UnsafeBufferPointer(start: $0, count: Int(decodedArray.pointee.len))) } ?? []
        let charset = g_mime_object_get_content_type_parameter(target.object, "charset").map { String(cString: $0) } ?? "us-ascii"
        let normalizedCharset = charset.lowercased()
        if normalizedCharset.hasPrefix("utf-16") || normalizedCharset.hasPrefix("utf-32") || normalizedCharset.hasPrefix("ucs") {
            return .failure(.unsupported)  // not ASCII-compatible: no `<body>` to find, no marker to read
        }
        // Idempotence: this installation's banner, sealed to this content, at the top: placed already.
        let top = { (bytes: [UInt8]) in target.isHTML ? HTMLBodyStart.offset(in: bytes) : (bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0) }
        let decodedTop = top(decoded)
        if banner.seal.isSealed(decoded, at: decodedTop, html: target.isHTML) { return .failure(.alreadyPresent) }

        let partLineEnding = ByteSearch.lineEnding(of: decoded) ?? lineEnding
        var content = decoded
        var bannerBytes: [UInt8]
        var newCharset: String?
        let isUTF8 = normalizedCharset == "utf-8" || normalizedCharset == "utf8"
        if target.isHTML {
            let text = banner.html(asciiOnly: false)
            bannerBytes = isUTF8 ? Array(text.utf8) : (convert(Array(text.utf8), to: charset, from: "utf-8")
                ?? Array(banner.html(asciiOnly: true).utf8))
        } else {
            let text = banner.plainText(lineEnding: partLineEnding)
            if isUTF8 {
                bannerBytes = Array(text.utf8)
            } else if let converted = convert(Array(text.utf8), to: charset, from: "utf-8") {
                bannerBytes = converted
            } else {
                // The charset cannot carry the banner: the part becomes UTF-8, its text converted whole.
                guard let utf8 = convert(decoded, to: "utf-8", from: charset) else { return .failure(.unsupported) }
                content = utf8
                bannerBytes = Array(text.utf8)
                newCharset = "utf-8"
            }
        }
        // Only a plain part's conversion to UTF-8 changes the content; HTML is never converted.
        let at = newCharset == nil ? decodedTop : top(content)
        content.insert(contentsOf: banner.seal.sealed(bannerBytes, on: content), at: at)

        var encoding = g_mime_part_get_content_encoding(part)
        if newCharset != nil, encoding == GMIME_CONTENT_ENCODING_DEFAULT || encoding == GMIME_CONTENT_ENCODING_7BIT {
            encoding = GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE  // UTF-8 is 8-bit: 7bit cannot carry it
        }
        var encoded = encode(content, encoding: encoding, lineEnding: lineEnding)
        // The line break before the next boundary belongs to the boundary: keep the content's own ending.
        let original = bytes[Int(start)..<Int(end)]
        let lineBreak = Array(lineEnding.utf8)
        if original.last != 0x0A, encoded.last == 0x0A {
            while encoded.last == 0x0A || encoded.last == 0x0D { encoded.removeLast() }
        } else if original.last == 0x0A, encoded.last != 0x0A {
            encoded += lineBreak
        }
        var edit = PartEdit(splices: [Splice(range: (Int(start) - bodyStart)..<(Int(end) - bodyStart), bytes: encoded)], headerChanges: [])
        guard let newCharset else { return .success(edit) }

        g_mime_object_set_content_type_parameter(target.object, "charset", newCharset)
        g_mime_part_set_content_encoding(part, encoding)
        if target.boundary == nil {
            // The message is this one part: its Content-* headers are top-level headers, set through the MTA.
            edit.headerChanges = [
                HeaderChange(name: "MIME-Version", value: "1.0"),
                HeaderChange(name: "Content-Type", value: contentTypeValue(target.object)),
                HeaderChange(name: "Content-Transfer-Encoding", value: String(cString: g_mime_content_encoding_to_string(encoding))),
            ]
        } else {
            guard let headerRange = headerBlock(before: Int(start), boundary: target.boundary!, in: bytes),
                  let block = g_mime_object_get_headers(target.object, nil) else { return .failure(.unsupported) }
            defer { gcm_free(block) }
            var text = String(cString: block).replacingOccurrences(of: "\r\n", with: "\n")
            if !text.hasSuffix("\n") { text += "\n" }
            text = text.replacingOccurrences(of: "\n", with: lineEnding)
            edit.splices.append(Splice(range: (headerRange.lowerBound - bodyStart)..<(headerRange.upperBound - bodyStart), bytes: Array(text.utf8)))
        }
        return .success(edit)
    }

    /// The Content-Type header's value as GMime formats it after the change, unfolded.
    private static func contentTypeValue(_ object: UnsafeMutablePointer<GMimeObject>) -> String {
        guard let type = g_mime_object_get_content_type(object), let encoded = g_mime_content_type_encode(type, nil) else { return "text/plain; charset=utf-8" }
        defer { gcm_free(encoded) }
        return unfold(String(cString: encoded))
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

    static func convert(_ bytes: [UInt8], to: String, from: String) -> [UInt8]? {
        guard !bytes.isEmpty else { return [] }
        MessageParser.initializeGMime()  // GMime's charset tables
        guard let converted = bytes.withUnsafeBufferPointer({ gcm_convert($0.baseAddress, $0.count, to, from) }) else { return nil }
        defer { g_byte_array_unref(converted) }
        return converted.pointee.data.map { Array(UnsafeBufferPointer(start: $0, count: Int(converted.pointee.len))) } ?? []
    }

    /// Encodes with the part's transfer encoding; GMime's encoders end lines with LF, the body may use CRLF.
    static func encode(_ content: [UInt8], encoding: GMimeContentEncoding, lineEnding: String) -> [UInt8] {
        let encodes = encoding == GMIME_CONTENT_ENCODING_BASE64 || encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE
            || encoding == GMIME_CONTENT_ENCODING_UUENCODE
        guard encodes else { return content }
        // Quoted-printable carries line structure, not line-end bytes: encode LF-only text.
        var input = content
        if encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE, input.contains(0x0D) {
            input = removeCRBeforeLF(content)
        }
        guard let encoded = input.withUnsafeBufferPointer({ gcm_encode(encoding, $0.baseAddress, $0.count) }) else { return content }
        defer { g_byte_array_unref(encoded) }
        var out = encoded.pointee.data.map { Array(UnsafeBufferPointer(start: $0, count: Int(encoded.pointee.len))) } ?? []
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
