import Foundation

/// One header as the MTA delivered it: the name, and the value's bytes (which may be 8-bit).
public struct RawHeader: Sendable, Equatable {
    public var name: String
    public var value: [UInt8]

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }

    public init(_ name: String, _ value: String) {
        self.init(name: name, value: Array(value.utf8))
    }
}

/// A message in the shape libmilter hands it over: a header list and the body bytes.
///
/// The daemon fills it callback by callback; `check` replays a file through the same session, so both
/// run the same pipeline from here on. It is the one owner of the body: the bytes inspected (`body`,
/// within `maxBodyBytes`), the whole body when it is kept for a banner (`wholeBody`), and why not.
public struct RawMessage: Sendable {
    public var headers: [RawHeader]
    /// The body as inspected: the whole body within `maxBodyBytes`, past it what `SparseBody` keeps.
    public private(set) var body: [UInt8]
    /// Limits reached while collecting (body cut, headers dropped or shortened).
    public var limitsReached: Set<MessageLimits.Kind>
    /// Past `maxBodyBytes`, the body read on sparsely until `finishBody()`.
    private var sparse: SparseBody?
    /// True once any of the body was read sparsely: `body` is then not the body as it came.
    private var readSparsely = false
    /// Bodies up to this size are kept whole beside the inspected body (for a banner); nil keeps only
    /// what is inspected.
    public let wholeBodyLimit: Int?
    /// The whole body while it is collected (while it fits `wholeBodyLimit`), then as kept.
    private var whole: [UInt8] = []
    private var wholeFinished = false
    /// The body passed `wholeBodyLimit`: only the inspected body is kept.
    public private(set) var wholeBodyTooLarge = false
    /// The limits the body was read with, for reading a whole body past `maxBodyBytes` at the end.
    private var bodyLimits = MessageLimits()
    /// True when the body was cut at the inspection limit; the view then covers the first part only.
    public var bodyTruncated: Bool { limitsReached.contains(.bodyBytes) }

    public init(headers: [RawHeader] = [], body: [UInt8] = [], limitsReached: Set<MessageLimits.Kind> = [],
                keepingWholeBodyUpTo wholeBodyLimit: Int? = nil) {
        self.headers = headers
        self.body = body
        self.limitsReached = limitsReached
        self.wholeBodyLimit = wholeBodyLimit
    }

    /// The body as it came, byte for byte, when this message holds it: kept whole within
    /// `wholeBodyLimit`, or (without one) never read sparsely. Nil when only the inspected part is held.
    public var wholeBody: [UInt8]? {
        if wholeBodyLimit != nil { return wholeBodyTooLarge || !wholeFinished ? nil : whole }
        return readSparsely ? nil : body
    }

    /// True when `body` is the whole body, so a view parsed from it describes the bytes a banner edits.
    public var inspectsWholeBody: Bool { !readSparsely && wholeBody != nil }

    /// Adds a header within the limits: past `maxHeaders` it is dropped, past `maxHeaderBytes` cut.
    public mutating func appendHeader(_ header: RawHeader, limits: MessageLimits) {
        guard headers.count < limits.maxHeaders else {
            limitsReached.insert(.headers)
            return
        }
        var header = header
        if header.value.count > limits.maxHeaderBytes {
            header.value = Array(header.value.prefix(limits.maxHeaderBytes))
            limitsReached.insert(.headerBytes)
        }
        headers.append(header)
    }

    /// Appends body bytes. Within `wholeBodyLimit` they are collected whole (and inspected at
    /// `finishBody()`); otherwise, within `maxBodyBytes` they are kept as they are, and past it the body
    /// is read on as a `SparseBody` (boundaries, part headers, the text parts' beginning and end), so text
    /// behind a large attachment or padding is still read. Returns false once the rest need not be sent.
    @discardableResult
    public mutating func appendBody(_ bytes: some Collection<UInt8>, limits: MessageLimits) -> Bool {
        bodyLimits = limits
        if let maximum = wholeBodyLimit, !wholeBodyTooLarge {
            if whole.count + bytes.count <= maximum {
                whole.append(contentsOf: bytes)
                return true
            }
            // Too large for a banner: what was collected becomes inspected like the rest.
            wholeBodyTooLarge = true
            let collected = whole
            whole = []
            inspect(collected, limits: limits)
        }
        return inspect(bytes, limits: limits)
    }

    @discardableResult
    private mutating func inspect(_ bytes: some Collection<UInt8>, limits: MessageLimits) -> Bool {
        if sparse != nil {
            sparse!.append(bytes)
            return sparse!.wantsMore
        }
        if body.count + bytes.count <= limits.maxBodyBytes {
            body.append(contentsOf: bytes)
            return true
        }
        var reader = SparseBody(contentType: values(of: "Content-Type").first, capacity: limits.maxBodyBytes)
        reader.append(body)
        reader.append(bytes)
        body = []
        sparse = reader
        readSparsely = true
        return reader.wantsMore
    }

    /// Ends the body. A whole body kept for a banner becomes the inspected body too, shared rather than
    /// copied within `maxBodyBytes` and read sparsely past it; a body read sparsely becomes what was
    /// kept, with `body-bytes` noted when text was dropped.
    public mutating func finishBody() {
        if wholeBodyLimit != nil, !wholeBodyTooLarge, !wholeFinished {
            wholeFinished = true
            if whole.count <= bodyLimits.maxBodyBytes {
                body = whole  // one array for both: copy-on-write shares it
            } else {
                inspect(whole, limits: bodyLimits)
            }
        }
        guard var reader = sparse else { return }
        body = reader.finish()
        if reader.cutText { limitsReached.insert(.bodyBytes) }
        sparse = nil
    }

    /// Splits a message file into headers and body the way an MTA would deliver it to a milter:
    /// folded lines joined, a line without a colon ending the header block, CRLF or LF accepted.
    /// Headers and body are kept within `limits` (and the whole body within `wholeBodyLimit`), as the
    /// daemon keeps them.
    public init(parsing bytes: [UInt8], limits: MessageLimits = MessageLimits(), keepingWholeBodyUpTo wholeBodyLimit: Int? = nil) {
        var message = RawMessage(keepingWholeBodyUpTo: wholeBodyLimit)
        let (headers, body) = Self.split(bytes)
        for header in headers { message.appendHeader(header, limits: limits) }
        message.appendBody(body, limits: limits)
        message.finishBody()
        self = message
    }

    /// A message file's headers (all of them, whole) and body, as an MTA hands them to a milter.
    public static func split(_ bytes: [UInt8]) -> (headers: [RawHeader], body: ArraySlice<UInt8>) {
        var headers: [RawHeader] = []
        var index = 0
        var current: (name: String, value: [UInt8])?
        func flush() {
            if let header = current { headers.append(RawHeader(name: header.name, value: header.value)) }
            current = nil
        }
        // An mbox "From " line before the headers is not a header.
        if bytes.starts(with: Array("From ".utf8)) {
            index = (bytes.firstIndex(of: 0x0A) ?? bytes.count - 1) + 1
        }
        while index < bytes.count {
            let end = bytes[index...].firstIndex(of: 0x0A) ?? bytes.count
            var line = bytes[index..<end]
            if line.last == 0x0D { line = line.dropLast() }
            if line.isEmpty { index = min(end + 1, bytes.count); break }
            if line.first == 0x20 || line.first == 0x09, current != nil {
                current?.value.append(0x0A)
                current?.value.append(contentsOf: line)
            } else if let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
                      !line[line.startIndex..<colon].contains(where: { $0 == 0x20 || $0 == 0x09 }) {
                flush()
                var value = line[(colon + 1)...]
                while value.first == 0x20 || value.first == 0x09 { value = value.dropFirst() }
                current = (String(decoding: line[line.startIndex..<colon], as: UTF8.self), Array(value))
            } else {
                // Not a header line: the header block ends here and this line starts the body.
                break
            }
            index = end + 1
        }
        flush()
        return (headers, bytes[min(index, bytes.count)...])
    }

    /// The message as wire bytes (CRLF line ends in the header block), for the MIME parser.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + headers.count * 80)
        for header in headers {
            out.append(contentsOf: header.name.utf8)
            out.append(contentsOf: Array(": ".utf8))
            for byte in header.value {
                if byte == 0x0A { out.append(0x0D) }
                if byte != 0x0D { out.append(byte) }
            }
            out.append(contentsOf: [0x0D, 0x0A])
        }
        out.append(contentsOf: [0x0D, 0x0A])
        out.append(contentsOf: body)
        return out
    }

    /// All values of a header, case-insensitively, as (lossy) UTF-8 text.
    public func values(of name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
            .map { String(decoding: $0.value, as: UTF8.self) }
    }
}
