/// Bounds that keep parsing safe on hostile mail. Reaching one is recorded in the view (and logged by
/// the daemon with the queue id); the message still gets a view and a verdict.
public struct MessageLimits: Sendable, Equatable {
    /// Body bytes kept and inspected; the rest passes unread.
    public var maxBodyBytes = 2 * 1024 * 1024
    /// MIME nesting looked into; deeper parts are not read.
    public var maxMimeDepth = 32
    /// MIME parts looked at.
    public var maxMimeParts = 256
    /// Headers kept.
    public var maxHeaders = 500
    /// Bytes kept of one header value.
    public var maxHeaderBytes = 16 * 1024
    /// HTML element nesting handed to the HTML parser. HTML parsers check the open-element stack at every
    /// tag, which is quadratic in nesting depth (50,000 nested `<div>` took gumbo a minute), so deeper
    /// HTML is read by a plain tag stripper.
    public var maxHTMLDepth = 400

    public init() {}

    /// A limit's name as logged and shown in `limits_reached`.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case bodyBytes = "body-bytes"
        case mimeDepth = "mime-depth"
        case mimeParts = "mime-parts"
        case headers
        case headerBytes = "header-bytes"
        case htmlDepth = "html-depth"
    }
}
