import CGMime

/// A part's content transfer encoding (RFC 2045 §6), as the parser read it.
public enum TransferEncoding: Sendable, Equatable {
    /// No `Content-Transfer-Encoding` header (7bit by RFC 2045, but said as nothing).
    case unspecified
    case sevenBit, eightBit, binary, base64, quotedPrintable, uuencode

    init(_ encoding: GMimeContentEncoding) {
        switch encoding {
        case GMIME_CONTENT_ENCODING_7BIT: self = .sevenBit
        case GMIME_CONTENT_ENCODING_8BIT: self = .eightBit
        case GMIME_CONTENT_ENCODING_BINARY: self = .binary
        case GMIME_CONTENT_ENCODING_BASE64: self = .base64
        case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE: self = .quotedPrintable
        case GMIME_CONTENT_ENCODING_UUENCODE: self = .uuencode
        default: self = .unspecified
        }
    }

    var gmime: GMimeContentEncoding {
        switch self {
        case .unspecified: GMIME_CONTENT_ENCODING_DEFAULT
        case .sevenBit: GMIME_CONTENT_ENCODING_7BIT
        case .eightBit: GMIME_CONTENT_ENCODING_8BIT
        case .binary: GMIME_CONTENT_ENCODING_BINARY
        case .base64: GMIME_CONTENT_ENCODING_BASE64
        case .quotedPrintable: GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE
        case .uuencode: GMIME_CONTENT_ENCODING_UUENCODE
        }
    }

    /// The header value (`quoted-printable`, `base64`…), or nil for `unspecified`.
    public var name: String? {
        guard self != .unspecified, let name = g_mime_content_encoding_to_string(gmime) else { return nil }
        return String(cString: name)
    }

    /// True for the encodings that change the bytes (base64, quoted-printable, uuencode).
    public var transforms: Bool { self == .base64 || self == .quotedPrintable || self == .uuencode }

    /// The content with this encoding undone, as GMime decodes a part's content.
    public func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        guard transforms else { return Array(bytes) }
        return bytes.withUnsafeBufferPointer { input in
            take(gcm_transfer_code(gmime, input.baseAddress, input.count, 1))
        }
    }

    /// The content encoded with this encoding by GMime's encoders (their lines end with LF).
    public func encode(_ bytes: [UInt8]) -> [UInt8] {
        guard transforms else { return bytes }
        return bytes.withUnsafeBufferPointer { input in
            take(gcm_transfer_code(gmime, input.baseAddress, input.count, 0))
        }
    }
}

/// One node of the MIME tree as the parser found it: what a later edit of the message needs to know
/// about it without parsing the message again.
public struct MIMEPart: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A part with content of its own.
        case leaf
        case multipart
        /// An attached message (`message/rfc822`); its own tree is among `children`.
        case message
    }

    /// Position in the tree, like `1.2` (`1` for the message's top part).
    public var path: String
    public var kind: Kind
    /// `type/subtype` as the parser read it, lower-cased (`text/plain` when none was given).
    public var mimeType: String
    /// The declared `charset` parameter, as written (RFC 2231 decoded).
    public var charset: String?
    /// The `smime-type` parameter of an S/MIME part, lower-cased.
    public var smimeType: String?
    /// Marked `Content-Disposition: attachment`.
    public var isAttachment: Bool
    public var transferEncoding: TransferEncoding
    /// The boundary of the multipart this part is in; nil for the message's top part.
    public var boundary: String?
    /// Where a leaf's content lies in the body the message was parsed with (offsets into the body).
    public var content: Range<Int>?
    public var children: [MIMEPart]
}

/// The MIME tree of a message as parsed, for edits that splice the original bytes.
public struct MIMEOutline: Sendable, Equatable {
    /// The top part; nil when the parser found no message.
    public var root: MIMEPart?
    /// How many body bytes the offsets were taken from: an outline applies to that body only.
    public var bodyLength: Int

    public init(root: MIMEPart? = nil, bodyLength: Int = 0) {
        self.root = root
        self.bodyLength = bodyLength
    }
}

/// Header texts GMime writes for a part whose charset changes; the banner edit uses them.
public enum MIMEHeaderText {
    /// A part's header block (the lines after its boundary line, without the blank line) as GMime
    /// writes it once the `charset` parameter and the transfer encoding are set; nil if unreadable.
    public static func partHeaders(_ block: ArraySlice<UInt8>, charset: String, encoding: TransferEncoding) -> String? {
        MessageParser.initializeGMime()
        let text = block.withUnsafeBufferPointer { gcm_part_headers_with($0.baseAddress, $0.count, charset, encoding.gmime) }
        guard let text else { return nil }
        defer { gcm_free(text) }
        return String(cString: text)
    }

    /// A Content-Type value (`text/plain` when nil) with its `charset` parameter set, unfolded.
    public static func contentType(_ value: String?, charset: String) -> String? {
        MessageParser.initializeGMime()
        guard let text = gcm_content_type_with_charset(value, charset) else { return nil }
        defer { gcm_free(text) }
        return unfold(String(cString: text))
    }
}

/// The bytes of a GByteArray, which is released.
func take(_ array: UnsafeMutablePointer<GByteArray>?) -> [UInt8] {
    guard let array else { return [] }
    defer { g_byte_array_unref(array) }
    return array.pointee.data.map { Array(UnsafeBufferPointer(start: $0, count: Int(array.pointee.len))) } ?? []
}
