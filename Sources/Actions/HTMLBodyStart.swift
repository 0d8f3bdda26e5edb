import MailView

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
