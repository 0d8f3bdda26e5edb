/// What is kept of a body larger than `maxBodyBytes`: the text a reader sees, not the bytes in order.
///
/// Keeping only the first bytes would let a lure hide behind a large attachment or 2 MB of padding. So
/// once a body passes the limit, it is read on as a stream of lines: every MIME boundary and part header
/// is kept, each text part (and forwarded message) keeps its beginning and its end, and attachments keep
/// nothing of their content. The result is a smaller body with the same structure for the MIME parser.
/// Written by hand: GMime parses whole messages in memory, and a stream this simple needs no parser.
public struct SparseBody: Sendable {
    /// Bytes kept from the beginning and from the end of each text part, in parts of the capacity.
    var textHead: Int { capacity / 2 }
    var textTail: Int { capacity / 8 }
    /// A part's header block is kept up to this size.
    static let headerBlock = 16 * 1024
    /// Lines longer than this are never boundary lines (RFC 2046: at most 70 characters of boundary).
    static let boundaryLine = 256
    /// Bodies are read this far (a multiple of the capacity); the rest passes unread, as text cut.
    static let scanFactor = 32

    private enum Mode: Sendable {
        /// Reading a part's header block (its bytes so far).
        case headers([UInt8])
        /// Reading text content: bytes kept from its beginning so far, and the last lines after that.
        case text(head: Int, tail: [UInt8])
        /// Content nobody reads here (attachments, preambles, epilogues): dropped.
        case skip
    }

    private let capacity: Int
    /// What is kept, in order.
    public private(set) var kept: [UInt8] = []
    /// True once text was dropped (the middle of a long text part, or text past the capacity).
    public private(set) var cutText = false
    private var boundaries: [[UInt8]] = []
    private var mode: Mode
    /// The line being read, when a chunk ended inside it.
    private var partial: [UInt8] = []
    /// The current line is longer than any boundary line: its rest is content.
    private var longLine = false
    private var scanned = 0

    /// False once the body was read as far as it is read: the rest need not be sent.
    public var wantsMore: Bool { scanned < capacity * Self.scanFactor }

    /// `contentType`: the message's Content-Type header, which says how the body begins.
    public init(contentType: String?, capacity: Int) {
        self.capacity = capacity
        mode = .skip
        mode = enter(contentType: contentType)
    }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        guard wantsMore else { cutText = true; return }
        scanned += bytes.count
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: 0x0A) {
            partial += rest[..<rest.index(after: newline)]
            line(partial)
            partial.removeAll(keepingCapacity: true)
            longLine = false
            rest = rest[rest.index(after: newline)...]
        }
        partial += rest
        if partial.count > Self.boundaryLine {
            longLine = true
            line(partial)
            partial.removeAll(keepingCapacity: true)
        }
    }

    /// The kept body, with the end of the last text part.
    public mutating func finish() -> [UInt8] {
        if !partial.isEmpty { line(partial) }
        partial = []
        flushTail()
        return kept
    }

    private mutating func line(_ line: [UInt8]) {
        if !longLine, let depth = boundary(line) {
            flushTail()
            keep(line, always: true)
            let closing = isClosing(line, boundary: boundaries[depth])
            boundaries.removeSubrange((depth + 1)...)
            if closing {
                boundaries.removeLast()
                mode = .skip
            } else {
                mode = .headers([])
            }
            return
        }
        switch mode {
        case .headers(var block):
            if block.count < Self.headerBlock { block += line.prefix(Self.headerBlock - block.count) }
            let blank = line == [0x0A] || line == [0x0D, 0x0A]
            guard blank else { mode = .headers(block); return }
            keep(block, always: true)
            mode = enter(contentType: Self.contentType(in: block))
        case .text(let head, var tail):
            let headRoom = min(textHead - head, capacity - kept.count)
            if tail.isEmpty, line.count <= headRoom {
                keep(line, always: false)
                mode = .text(head: head + line.count, tail: [])
            } else if tail.isEmpty, head == 0 {
                // One line longer than the whole head: its beginning.
                keep(line.prefix(max(headRoom, 0)), always: false)
                cutText = true
                mode = .text(head: textHead, tail: [])
            } else {
                tail += line
                if tail.count > 2 * textTail { trim(&tail) }
                mode = .text(head: head, tail: tail)
            }
        case .skip:
            break
        }
    }

    /// The part whose headers say `contentType` begins: a multipart adds its boundary, text and
    /// forwarded messages are read, anything else is skipped.
    private mutating func enter(contentType: String?) -> Mode {
        let value = (contentType ?? "text/plain").lowercased()
        let type = value.prefix { $0 != ";" }.trimmingASCII()
        if type.hasPrefix("multipart/"), let boundary = Self.parameter("boundary", in: contentType ?? "") {
            boundaries.append(Array("--\(boundary)".utf8))
            return .skip  // the preamble
        }
        if type.isEmpty || type.hasPrefix("text/") || type.hasPrefix("message/") { return .text(head: 0, tail: []) }
        return .skip
    }

    /// The end of a text part, kept after its beginning.
    private mutating func flushTail() {
        guard case .text(let head, var tail) = mode else { return }
        trim(&tail)
        keep(tail, always: false)
        mode = .text(head: head, tail: [])
    }

    /// The last `textTail` bytes of `tail`, from a line start: transfer encodings decode line by line,
    /// and base64 read from the middle of a line would be shifted.
    private mutating func trim(_ tail: inout [UInt8]) {
        guard tail.count > textTail else { return }
        cutText = true
        let from = tail.count - textTail
        // The first line that starts at or after `from` (the byte before it ends a line).
        let start = tail[(from - 1)...].firstIndex(of: 0x0A).map { $0 + 1 } ?? from
        tail.removeSubrange(..<start)
    }

    /// Structure (boundaries, headers) is kept a little past the capacity so the parser still sees it;
    /// text only within it.
    private mutating func keep(_ bytes: some Collection<UInt8>, always: Bool) {
        let room = (always ? capacity + 64 * 1024 : capacity) - kept.count
        if bytes.count > room {
            if !always { cutText = true }
            kept += bytes.prefix(max(room, 0))
        } else {
            kept += bytes
        }
    }

    /// Which of the open boundaries `line` is a delimiter of (innermost first), if any.
    private func boundary(_ line: [UInt8]) -> Int? {
        guard line.count <= Self.boundaryLine, line.starts(with: [0x2D, 0x2D]) else { return nil }
        for depth in boundaries.indices.reversed() where line.starts(with: boundaries[depth]) {
            let after = line.dropFirst(boundaries[depth].count)
            // Only transport padding (spaces, tabs), the closing "--" and the line end may follow.
            let trimmed = after.drop { $0 == 0x2D }.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }
            if trimmed.isEmpty { return depth }
        }
        return nil
    }

    private func isClosing(_ line: [UInt8], boundary: [UInt8]) -> Bool {
        line.dropFirst(boundary.count).starts(with: [0x2D, 0x2D])
    }

    /// The Content-Type value in a part's header block (unfolded), if any.
    static func contentType(in block: [UInt8]) -> String? {
        let text = String(decoding: block, as: UTF8.self)
        var value: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.first == " " || line.first == "\t" {
                if value != nil { value! += " " + line.trimmingASCII() }
                continue
            }
            if value != nil { return value }
            if line.lowercased().hasPrefix("content-type:") { value = String(line.dropFirst(13)).trimmingASCII() }
        }
        return value
    }

    /// A parameter's value in a header value (`boundary="abc"`), quotes removed.
    static func parameter(_ name: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingASCII().lowercased() == name else { continue }
            var result = pair[1].trimmingASCII()
            if result.hasPrefix("\""), result.hasSuffix("\""), result.count >= 2 { result = String(result.dropFirst().dropLast()) }
            return result.isEmpty ? nil : result
        }
        return nil
    }
}
