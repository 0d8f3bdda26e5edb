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

/// The bytes of a GByteArray, which is released.
func take(_ array: UnsafeMutablePointer<GByteArray>?) -> [UInt8] {
    guard let array else { return [] }
    defer { g_byte_array_unref(array) }
    return array.pointee.data.map { Array(UnsafeBufferPointer(start: $0, count: Int(array.pointee.len))) } ?? []
}
