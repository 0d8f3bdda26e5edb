/// A text part as the reader would see it.
public struct TextPart: Sendable, Equatable {
    /// Position in the MIME tree, like `1.2` (`1` for a single-part message).
    public var path: String
    public var mimeType: String
    /// The decoded text; for HTML, the visible text.
    public var text: String
}

/// An attachment, described without decoding it.
public struct Attachment: Sendable, Equatable {
    public var path: String
    public var mimeType: String
    public var filename: String?
}

/// A link: where it really goes, and the host its text shows, if the text looks like one.
public struct Link: Sendable, Equatable {
    public var url: String
    public var host: String
    public var shownHost: String?
}

/// The message as a mail client would show it, plus the normalized text detection matches against.
public struct MessageView: Sendable {
    /// Decoded headers in order.
    public var headers: [(name: String, value: String)]
    public var from: Mailbox?
    public var replyTo: Mailbox?
    public var subject: String
    public var messageID: String?
    public var authenticationResults: [AuthenticationResult]
    public var textParts: [TextPart]
    public var attachments: [Attachment]
    public var links: [Link]
    /// Phone numbers in any script, as ASCII digits (a leading `+` kept).
    public var phoneNumbers: [String]
    /// ISO 639-1 code of the most likely language, or `und`.
    public var language: String
    /// Subject and visible text, normalized for matching (see `TextNormalizer`).
    public var normalizedText: String
    /// True when the message could not be fully parsed or was cut at a limit; the view is best effort.
    public var degraded: Bool

    /// The first value of a decoded header, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// All visible text, subject first.
    public var visibleText: String {
        ([subject] + textParts.map(\.text)).joined(separator: "\n")
    }
}
