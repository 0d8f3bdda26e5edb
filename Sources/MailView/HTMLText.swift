import CGumbo
import Foundation

/// The visible text and the links of an HTML part, through the gumbo HTML5 parser.
///
/// Visible means what a mail client renders: no `script`, `style`, `head` or `template`, nothing
/// hidden with the `hidden` attribute or an inline `display:none` / `visibility:hidden`. Entities are
/// decoded by the parser. Block elements become line breaks so phrases do not run together.
enum HTMLText {
    struct Result {
        var text: String
        var links: [Link]
        /// True when some text was hidden from the reader and therefore left out.
        var hadHiddenText = false
        /// True when the HTML nested deeper than the limit and was read by the plain tag stripper.
        var depthLimited = false
    }

    private static let invisible: Set<GumboTag> = [
        GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE, GUMBO_TAG_HEAD, GUMBO_TAG_TEMPLATE, GUMBO_TAG_TITLE,
    ]
    private static let blocks: Set<GumboTag> = [
        GUMBO_TAG_P, GUMBO_TAG_DIV, GUMBO_TAG_BR, GUMBO_TAG_TR, GUMBO_TAG_LI, GUMBO_TAG_H1, GUMBO_TAG_H2,
        GUMBO_TAG_H3, GUMBO_TAG_H4, GUMBO_TAG_H5, GUMBO_TAG_H6, GUMBO_TAG_TABLE, GUMBO_TAG_TD, GUMBO_TAG_TH,
        GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_HR, GUMBO_TAG_UL, GUMBO_TAG_OL, GUMBO_TAG_SECTION, GUMBO_TAG_CENTER,
    ]

    /// The visible text and links; `nil` depth limit means no limit.
    static func extract(_ html: String, maxDepth: Int) -> Result {
        if estimatedDepth(html, over: maxDepth) {
            return Result(text: collapseBlankLines(strippedText(html)), links: [], depthLimited: true)
        }
        var utf8 = Array(html.utf8)
        utf8.append(0)
        guard let output = utf8.withUnsafeBufferPointer({ buffer in
            buffer.baseAddress.map { $0.withMemoryRebound(to: CChar.self, capacity: buffer.count) { gcm_html_parse($0, buffer.count - 1) } }
        }), let output, let root = output.pointee.root else {
            return Result(text: html, links: [])
        }
        defer { gcm_html_destroy(output) }

        var text = ""
        var links: [Link] = []
        var hadHiddenText = false
        // Iterative walk: hostile HTML can nest deeper than a thread's stack allows recursion.
        enum Step { case enter(UnsafePointer<GumboNode>), leave(GumboTag), closeLink(href: String, start: String.Index) }
        var stack: [Step] = [.enter(root)]
        while let step = stack.popLast() {
            switch step {
            case .leave(let tag):
                if blocks.contains(tag) { text.append("\n") }
            case .closeLink(let href, let start):
                let shown = String(text[start...]).trimmingCharacters(in: .whitespacesAndNewlines)
                if let host = LinkFinder.host(ofURL: href) {
                    links.append(Link(url: href, host: host, shownHost: LinkFinder.shownHost(shown)))
                }
            case .enter(let node):
                if let piece = gcm_node_text(node) {
                    text.append(string(piece))
                    continue
                }
                let tag = gcm_node_tag(node)
                if invisible.contains(tag) { continue }
                if isHidden(node) {
                    hadHiddenText = true
                    continue
                }
                if tag == GUMBO_TAG_BR || blocks.contains(tag) { text.append("\n") }
                stack.append(.leave(tag))
                if tag == GUMBO_TAG_A, let href = gcm_node_attribute(node, "href") {
                    stack.append(.closeLink(href: string(href), start: text.endIndex))
                }
                guard let children = gcm_node_children(node) else { continue }
                var index = children.pointee.length
                while index > 0 {
                    index -= 1
                    if let child = gcm_vector_node(children, index) { stack.append(.enter(child)) }
                }
            }
        }
        return Result(text: collapseBlankLines(text), links: links, hadHiddenText: hadHiddenText)
    }

    private static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]

    /// True when element nesting exceeds `limit`, counted cheaply from start and end tags (void
    /// elements and `/>` do not nest). Linear, so it is safe to run before the quadratic parser.
    static func estimatedDepth(_ html: String, over limit: Int) -> Bool {
        var depth = 0
        let bytes = html.utf8
        var index = bytes.startIndex
        while let open = bytes[index...].firstIndex(of: UInt8(ascii: "<")) {
            var cursor = bytes.index(after: open)
            guard cursor < bytes.endIndex else { break }
            let closing = bytes[cursor] == UInt8(ascii: "/")
            if closing { cursor = bytes.index(after: cursor) }
            var name: [UInt8] = []
            while cursor < bytes.endIndex, name.count < 16,
                  (bytes[cursor] >= 0x61 && bytes[cursor] <= 0x7A) || (bytes[cursor] >= 0x41 && bytes[cursor] <= 0x5A) || (bytes[cursor] >= 0x30 && bytes[cursor] <= 0x39) {
                name.append(bytes[cursor] | 0x20)
                cursor = bytes.index(after: cursor)
            }
            index = cursor
            guard !name.isEmpty, !voidElements.contains(String(decoding: name, as: UTF8.self)) else { continue }
            let end = bytes[cursor...].firstIndex(of: UInt8(ascii: ">")) ?? bytes.endIndex
            let selfClosing = end > cursor && bytes[bytes.index(before: end)] == UInt8(ascii: "/")
            if closing { depth = max(0, depth - 1) } else if !selfClosing { depth += 1 }
            if depth > limit { return true }
            index = end
        }
        return false
    }

    /// Text between tags, with the entities mail uses most decoded: only for HTML too deep for the
    /// HTML5 parser. Hand-written because the point is to avoid the parser; no links are read.
    static func strippedText(_ html: String) -> String {
        var text = ""
        var inTag = false
        var tagName = ""
        var nameDone = false
        var skipping: String?
        var entity: String?
        for ch in html {
            if inTag {
                if ch == ">" {
                    inTag = false
                    let name = tagName.lowercased()
                    if let skip = skipping, name == "/" + skip { skipping = nil }
                    if skipping == nil, name == "script" || name == "style" || name == "head" { skipping = name }
                    if ["p", "/p", "br", "div", "/div", "tr", "li"].contains(name) { text.append("\n") }
                } else if ch.isWhitespace || (ch == "/" && !tagName.isEmpty) {
                    nameDone = true
                } else if !nameDone, tagName.count < 16 {
                    tagName.append(ch)
                }
                continue
            }
            if ch == "<" {
                inTag = true
                tagName = ""
                nameDone = false
                continue
            }
            if skipping != nil { continue }
            if var pending = entity {
                if ch == ";" {
                    text.append(decodeEntity(pending) ?? "&\(pending);")
                    entity = nil
                } else if pending.count < 10, ch.isLetter || ch.isNumber || ch == "#" {
                    pending.append(ch)
                    entity = pending
                } else {
                    text.append("&" + pending)
                    text.append(ch)
                    entity = nil
                }
                continue
            }
            if ch == "&" {
                entity = ""
                continue
            }
            text.append(ch)
        }
        if let pending = entity { text.append("&" + pending) }
        return text
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

    private static func isHidden(_ node: UnsafePointer<GumboNode>) -> Bool {
        if gcm_node_attribute(node, "hidden") != nil { return true }
        guard let style = gcm_node_attribute(node, "style") else { return false }
        let compact = string(style).lowercased().filter { !$0.isWhitespace }
        return compact.contains("display:none") || compact.contains("visibility:hidden")
    }

    /// Trims each line and keeps at most one empty line in a row.
    private static func collapseBlankLines(_ text: String) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(trimmed)
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
