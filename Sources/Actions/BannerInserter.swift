import CGMime
import Detection
import Foundation
import MailView

/// Why a banner was not placed; the raw values go to the log and the audit record.
public enum BannerSkip: String, Sendable, Equatable {
    /// The text the reader sees is inside `multipart/signed` or S/MIME signed data: a banner would break the signature.
    case signed
    /// The text is inside `multipart/encrypted` or S/MIME enveloped data: there is no text to edit.
    case encrypted
    /// Every part the reader would see already carries this product's banner for this message.
    case alreadyPresent = "already-present"
    /// No text/plain or text/html part is shown first (only attachments, or a forwarded message).
    case noTextPart = "no-text-part"
    /// The body is larger than `MaximumBannerBytes` and was not kept whole.
    case tooLarge = "too-large"
    /// The MIME structure could not be read, a part's charset cannot be converted, or headers were
    /// cut at the `Maximum…` limits (the structure read might not be the message's).
    case unsupported
}

/// A top-level header to set (changed if present, added if not).
public struct HeaderChange: Sendable, Equatable {
    public var name: String
    public var value: String
}

/// The banner placed: the new body, the top-level header changes, and which parts (MIME paths) got it.
public struct BannerEdit: Sendable, Equatable {
    public var body: [UInt8]
    public var headerChanges: [HeaderChange]
    public var parts: [String]
}

extension BannerEdit {
    /// The message as the MTA holds it after the edit: header changes applied (changed if present,
    /// added if not), body replaced. The milter session makes the same changes through libmilter.
    public func applied(to raw: RawMessage) -> RawMessage {
        var result = raw
        for change in headerChanges {
            if let index = result.headers.firstIndex(where: { $0.name.caseInsensitiveCompare(change.name) == .orderedSame }) {
                result.headers[index].value = Array(change.value.utf8)
            } else {
                result.headers.append(RawHeader(change.name, change.value))
            }
        }
        result.body = body
        return result
    }
}

public enum BannerOutcome: Sendable, Equatable {
    case placed(BannerEdit)
    case skipped(BannerSkip)
}

/// Puts a banner at the top of the first text/plain and the first text/html part the reader would see.
///
/// GMime reads the structure; its parser keeps every leaf's content as a window on the original bytes,
/// so each edited part's encoded content is spliced into the original body and every other byte
/// stays as it came. An edited part keeps its transfer encoding and charset; a plain-text part whose
/// charset cannot carry the banner is converted to UTF-8 (its Content-Type, and a 7bit encoding, change
/// with it); HTML never needs that, since numeric character references fit any charset.
public enum BannerInserter {
    public static func insert(_ banner: Banner, headers: [RawHeader], body: [UInt8]) -> BannerOutcome {
        MessageParser.initializeGMime()
        let bytes = RawMessage(headers: headers, body: body).serialized()
        let bodyStart = bytes.count - body.count
        guard let message = bytes.withUnsafeBufferPointer({ gcm_parse_message($0.baseAddress, $0.count) }),
              let root = g_mime_message_get_mime_part(message) else { return .skipped(.unsupported) }
        defer { gcm_unref(message) }
        let targets: Targets
        do {
            targets = try Targets.find(root, path: "1", boundary: nil, depth: 0)
        } catch {
            return .skipped(error)
        }
        let chosen = [targets.plain, targets.html].compactMap { $0 }
        guard !chosen.isEmpty else { return .skipped(.noTextPart) }

        let lineEnding = ByteSearch.lineEnding(of: body) ?? "\r\n"
        var splices: [Splice] = []
        var headerChanges: [HeaderChange] = []
        var parts: [String] = []
        for target in chosen {
            let edit: PartEdit
            switch PartEdit.make(target, banner: banner, bytes: bytes, bodyStart: bodyStart, lineEnding: lineEnding) {
            case .success(let made): edit = made
            case .failure(.alreadyPresent): continue
            case .failure(let skip): return .skipped(skip)
            }
            splices += edit.splices
            headerChanges += edit.headerChanges
            parts.append(target.path)
        }
        guard !parts.isEmpty else { return .skipped(.alreadyPresent) }
        var newBody = body
        for splice in splices.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            newBody.replaceSubrange(splice.range, with: splice.bytes)
        }
        return .placed(BannerEdit(body: newBody, headerChanges: headerChanges, parts: parts))
    }
}

/// Bytes to put in place of a range of the body.
struct Splice {
    var range: Range<Int>
    var bytes: [UInt8]
}

extension BannerSkip: Error {}

/// The parts to edit: the first text/plain and first text/html the reader would see.
struct Targets {
    struct Part {
        var object: UnsafeMutablePointer<GMimeObject>
        var path: String
        var isHTML: Bool
        /// The enclosing multipart's boundary, or nil for a message that is a single part.
        var boundary: String?
    }

    var plain: Part?
    var html: Part?

    /// Walks what a mail client shows first: every branch of a multipart/alternative, the first part
    /// that shows anything of other multiparts (mixed, related…), never into attached messages.
    /// Deeper than this no client shows a part first, and the walk must not recurse without bound.
    static let maxDepth = 32

    static func find(_ object: UnsafeMutablePointer<GMimeObject>, path: String, boundary: String?, depth: Int) throws(BannerSkip) -> Targets {
        guard depth <= maxDepth else { return Targets() }
        let type = MessageParser.mimeType(of: object)
        if type == "multipart/signed" { throw .signed }
        if type == "multipart/encrypted" { throw .encrypted }
        if type == "application/pkcs7-mime" || type == "application/x-pkcs7-mime" {
            let smime = g_mime_object_get_content_type_parameter(object, "smime-type").map { String(cString: $0).lowercased() }
            throw smime == "signed-data" ? .signed : .encrypted
        }
        if gcm_is_multipart(object) != 0 {
            let multipart = gcm_multipart(object)
            let inner = g_mime_multipart_get_boundary(multipart).map { String(cString: $0) }
            var found = Targets()
            for index in 0..<max(g_mime_multipart_get_count(multipart), 0) {
                guard let child = g_mime_multipart_get_part(multipart, index) else { continue }
                let below = try find(child, path: "\(path).\(index + 1)", boundary: inner, depth: depth + 1)
                found.plain = found.plain ?? below.plain
                found.html = found.html ?? below.html
                if type != "multipart/alternative", found.plain != nil || found.html != nil { break }
            }
            return found
        }
        guard gcm_is_part(object) != 0, type == "text/plain" || type == "text/html" else { return Targets() }
        if let disposition = g_mime_object_get_content_disposition(object),
           g_mime_content_disposition_is_attachment(disposition) != 0 { return Targets() }
        let part = Part(object: object, path: path, isHTML: type == "text/html", boundary: boundary)
        return part.isHTML ? Targets(html: part) : Targets(plain: part)
    }
}

/// The edit of one part: its new content (and, when its charset changes, its new headers).
struct PartEdit {
    var splices: [Splice]
    var headerChanges: [HeaderChange]

    static func make(_ target: Targets.Part, banner: Banner, bytes: [UInt8], bodyStart: Int, lineEnding: String) -> Result<PartEdit, BannerSkip> {
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

/// Where HTML content starts showing: right after the `<body…>` start tag.
///
/// A byte scan rather than the HTML parser: the banner must go at a byte offset of the original
/// source so every other byte stays, and libxml2's SAX interface reports elements, not their offsets.
/// Comments, and quoted attribute values containing `>`, are stepped over.
enum HTMLBodyStart {
    private static let body = Array("body".utf8), headClose = Array("/head".utf8)

    /// One pass, no allocation per tag: this runs on every HTML part a banner may go into, hostile ones
    /// included (the fuzzer spent an eighth of its time here).
    static func offset(in html: [UInt8]) -> Int {
        html.withUnsafeBufferPointer { bytes in
            var headEnd: Int?
            var index = 0
            while index < bytes.count {
                guard bytes[index] == 0x3C else { index += 1; continue }  // '<'
                if index + 3 < bytes.count, bytes[index + 1] == 0x21, bytes[index + 2] == 0x2D, bytes[index + 3] == 0x2D {  // "<!--"
                    guard let close = commentEnd(bytes, from: index + 4) else { return 0 }
                    index = close
                    continue
                }
                if isTag(bytes, at: index, name: body) { return tagEnd(bytes, from: index) ?? 0 }
                // No <body> tag: after </head> if there is one, else at the very top.
                if headEnd == nil, isTag(bytes, at: index, name: headClose) { headEnd = tagEnd(bytes, from: index) }
                index += 1
            }
            return headEnd ?? 0
        }
    }

    /// Just past the "-->" that ends a comment opened before `from`.
    private static func commentEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var index = from
        while index + 2 < bytes.count {
            if bytes[index] == 0x2D, bytes[index + 1] == 0x2D, bytes[index + 2] == 0x3E { return index + 3 }
            index += 1
        }
        return nil
    }

    private static func isTag(_ html: UnsafeBufferPointer<UInt8>, at index: Int, name: [UInt8]) -> Bool {
        guard index + 1 + name.count < html.count else { return false }
        for (offset, byte) in name.enumerated() where html[index + 1 + offset] | 0x20 != byte && html[index + 1 + offset] != byte {
            return false
        }
        let after = html[index + 1 + name.count]
        return after == 0x3E || after == 0x20 || after == 0x09 || after == 0x0A || after == 0x0D || after == 0x2F
    }

    private static func tagEnd(_ html: UnsafeBufferPointer<UInt8>, from index: Int) -> Int? {
        var quote: UInt8?
        var position = index + 1
        while position < html.count {
            let byte = html[position]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == 0x22 || byte == 0x27 {
                quote = byte
            } else if byte == 0x3E {
                return position + 1
            }
            position += 1
        }
        return nil
    }
}
