import CHTML

/// The visible text and the links of an HTML part, through libxml2's HTML parser (SAX, in `CHTML`).
///
/// Visible means what a mail client renders: no `script`, `style`, `head`, `title` or `template`,
/// nothing hidden with the `hidden` attribute or an inline `display:none` / `visibility:hidden`.
/// Entities are decoded by the parser. Block elements become line breaks so phrases do not run together.
enum HTMLText {
    struct Result {
        var text: String
        var links: [Link]
        /// True when some text was hidden from the reader and therefore left out.
        var hadHiddenText = false
        /// True when the HTML nested deeper than the limit and was read by the plain tag stripper.
        var depthLimited = false
    }

    static func extract(_ html: String, maxDepth: Int, depthChecked: Bool = false) -> Result {
        // HTML parsers check the open-element stack at every tag, which is quadratic in nesting depth.
        if !depthChecked, estimatedDepth(html, over: maxDepth) {
            return Result(text: collapseBlankLines(strippedText(html)), links: [], depthLimited: true)
        }
        var parsed = gcm_html_result()
        var html = html
        let status = html.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { gcm_html_extract($0.baseAddress, $0.count, &parsed) }
        }
        guard status == 0, parsed.text != nil else {
            return Result(text: collapseBlankLines(strippedText(html)), links: [])
        }
        defer { gcm_html_free(&parsed) }
        return result(of: parsed)
    }

    /// The text and links of a finished parse.
    private static func result(of parsed: gcm_html_result) -> Result {
        let text = UnsafeRawBufferPointer(start: parsed.text, count: parsed.text_length)
        var links: [Link] = []
        for index in 0..<parsed.link_count {
            let link = parsed.links[index]
            guard let cHref = link.href else { continue }
            let href = string(cHref)
            guard let host = LinkFinder.host(ofURL: href) else { continue }
            let start = min(link.text_start, parsed.text_length)
            let end = min(max(link.text_end, start), parsed.text_length)
            let shown = String(decoding: text[start..<end], as: UTF8.self)
            links.append(Link(url: href, host: host, shownHost: LinkFinder.shownHost(shown)))
        }
        return Result(text: collapseBlankLines(text.bindMemory(to: UInt8.self)), links: links, hadHiddenText: parsed.had_hidden_text != 0)
    }

    /// What `visiblePrefix` read: the start of the visible text, or (when the part ended first) all of it.
    enum Prefix {
        case start(String)
        case whole(Result)
    }

    /// The visible text of the start of an HTML part, at least `minText` bytes of it, as `extract` begins
    /// it: whole lines only (a line's trimming needs its end), blank lines collapsed. When the part has
    /// no more than that, the whole of what `extract` gives. For HTML within the depth limit (which
    /// `extract` gives to libxml2 too); nil when the parser fails.
    static func visiblePrefix(_ html: String, minText: Int) -> Prefix? {
        var parsed = gcm_html_result()
        var complete: Int32 = 0
        var html = html
        let status = html.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { gcm_html_extract_prefix($0.baseAddress, $0.count, minText, &parsed, &complete) }
        }
        guard status == 0, parsed.text != nil else { return nil }
        defer { gcm_html_free(&parsed) }
        if complete != 0 { return .whole(result(of: parsed)) }
        var text = UnsafeBufferPointer(start: UnsafeRawPointer(parsed.text).assumingMemoryBound(to: UInt8.self), count: parsed.text_length)
        // Up to the last line break: the line after it may go on.
        var end = text.count
        while end > 0, text[end - 1] != 0x0A { end -= 1 }
        text = UnsafeBufferPointer(rebasing: text[..<end])
        return .start(collapseBlankLines(text))
    }

    /// Void element names packed into integers (their ASCII bytes), the form `estimatedDepth` reads.
    /// A plain array: fourteen comparisons cost less than hashing the name for a Set, once per tag.
    private static let voidElements: [UInt64] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ].map { $0.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }

    /// True when element nesting exceeds `limit`, counted cheaply from start and end tags (void
    /// elements and `/>` do not nest). Linear, so it is safe to run before the quadratic parser.
    static func estimatedDepth(_ html: String, over limit: Int) -> Bool {
        var html = html
        return html.withUTF8 { bytes -> Bool in
            var depth = 0
            var index = 0
            let count = bytes.count
            while index < count {
                guard bytes[index] == 0x3C else { index += 1; continue } // '<'
                var cursor = index + 1
                guard cursor < count else { break }
                let closing = bytes[cursor] == 0x2F
                if closing { cursor += 1 }
                var name: UInt64 = 0
                var nameLength = 0
                while cursor < count, nameLength < 8, TextNormalizer.isASCIIAlphanumeric(bytes[cursor]) {
                    name = name << 8 | UInt64(bytes[cursor] | 0x20)
                    nameLength += 1
                    cursor += 1
                }
                index = cursor
                guard nameLength > 0, !voidElements.contains(name) else { continue }
                var end = cursor
                while end < count, bytes[end] != 0x3E { end += 1 } // '>'
                let selfClosing = end > cursor && end < count && bytes[end - 1] == 0x2F
                if closing { depth = max(0, depth - 1) } else if !selfClosing { depth += 1 }
                if depth > limit { return true }
                index = end
            }
            return false
        }
    }

    /// Text between tags, with the entities mail uses most decoded: only for HTML too deep for the
    /// HTML5 parser. Hand-written because the point is to avoid the parser; no links are read.
    static func strippedText(_ html: String) -> String {
        // By Unicode scalars, not Characters: grapheme breaking and `Character.isWhitespace` took 42 % of
        // the fuzzer's time on deep HTML. Markup is ASCII, so the text comes out the same.
        var text = String.UnicodeScalarView()
        var inTag = false
        var tagName = ""
        var nameDone = false
        var skipping: String?
        var entity: String.UnicodeScalarView?
        for scalar in html.unicodeScalars {
            if inTag {
                if scalar == ">" {
                    inTag = false
                    let name = tagName.lowercased()
                    if let skip = skipping, name == "/" + skip { skipping = nil }
                    if skipping == nil, name == "script" || name == "style" || name == "head" { skipping = name }
                    if ["p", "/p", "br", "div", "/div", "tr", "li"].contains(name) { text.append("\n") }
                } else if isWhitespace(scalar) || (scalar == "/" && !tagName.isEmpty) {
                    nameDone = true
                } else if !nameDone, tagName.unicodeScalars.count < 16 {
                    tagName.unicodeScalars.append(scalar)
                }
                continue
            }
            if scalar == "<" {
                inTag = true
                tagName = ""
                nameDone = false
                continue
            }
            if skipping != nil { continue }
            if var pending = entity {
                // Entity names are ASCII: a pending name with anything else could never decode, and ends
                // here with the same text as if it had gone on.
                if scalar == ";" {
                    text.append(contentsOf: (decodeEntity(String(pending)) ?? "&\(String(pending));").unicodeScalars)
                    entity = nil
                } else if pending.count < 10, scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "#" {
                    pending.append(scalar)
                    entity = pending
                } else {
                    text.append("&")
                    text.append(contentsOf: pending)
                    text.append(scalar)
                    entity = nil
                }
                continue
            }
            if scalar == "&" {
                entity = String.UnicodeScalarView()
                continue
            }
            text.append(scalar)
        }
        if let pending = entity {
            text.append("&")
            text.append(contentsOf: pending)
        }
        return String(text)
    }

    /// ASCII whitespace at once, the Unicode property only for the rest.
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09...0x0D: true
        case 0..<0x80: false
        default: scalar.properties.isWhitespace
        }
    }

    private static func decodeEntity(_ name: String) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return "\u{00A0}"
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap(Unicode.Scalar.init).map { String($0) }
        }
    }


    /// Trims spaces and tabs around each line and keeps at most one empty line in a row.
    static func collapseBlankLines(_ text: String) -> String {
        var text = text
        return text.withUTF8 { collapseBlankLines($0) }
    }

    static func collapseBlankLines(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var blankRun = true // no blank lines at the start
        do {
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                var first = start
                var last = end
                while first < last, bytes[first] == 0x20 || bytes[first] == 0x09 || bytes[first] == 0x0D { first += 1 }
                while last > first, bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 || bytes[last - 1] == 0x0D { last -= 1 }
                if first == last {
                    if !blankRun { out.append(0x0A) }
                    blankRun = true
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[first..<last]))
                    out.append(0x0A)
                    blankRun = false
                }
                start = end + 1
            }
        }
        while out.last == 0x0A { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }
}
