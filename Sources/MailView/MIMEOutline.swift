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
