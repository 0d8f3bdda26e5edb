/// Tricks that hide words from filters while the reader sees them normally.
public enum Obfuscation: String, Sendable, Codable, CaseIterable {
    /// Zero-width, soft-hyphen or bidi control characters inside visible text.
    case invisibleCharacters = "invisible-characters"
    /// Words that mix scripts the way UTS #39 flags, such as Latin with Cyrillic look-alikes.
    case mixedScript = "mixed-script"
    /// HTML text hidden from the reader (display:none, hidden), which we do not count as visible.
    case hiddenHTML = "hidden-html"
}

/// A text part as the reader would see it.
public struct TextPart: Sendable, Equatable {
    /// Position in the MIME tree, like `1.2` (`1` for a single-part message).
    public var path: String
    public var mimeType: String
    /// The decoded text; for HTML, the visible text.
    public var text: String
}

/// A text part a screened parse did not read (see `TextScreen`): its decoded text, HTML not yet parsed.
struct UnreadPart: Sendable {
    var path: String
    var mimeType: String
    var source: String
    var isHTML: Bool
    var maxDepth: Int
}

/// An attachment, described without decoding it.
public struct Attachment: Sendable, Equatable {
    public var path: String
    public var mimeType: String
    public var filename: String?
    /// Approximate decoded size in bytes, from the encoded length (nil when unknown).
    public var size: Int?

    public init(path: String, mimeType: String, filename: String?, size: Int? = nil) {
        self.path = path
        self.mimeType = mimeType
        self.filename = filename
        self.size = size
    }
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
    /// Addresses in To and Cc, lower-cased: the recipients when no envelope is known (offline replay).
    public var toAddresses: [String] = []
    /// The bounce address from `Return-Path`, when the MTA added one (the envelope sender is in `Envelope`).
    public var returnPath: String?
    public var subject: String
    public var messageID: String?
    /// The `Date` header as written.
    public var date: String?
    public var authenticationResults: [AuthenticationResult]
    /// The signing domains (`d=`) of the message's DKIM-Signature headers, lower-cased: a verifier's
    /// "dkim=pass header.d=x" stands for one of these signatures, so a pass for any other is not its.
    public var dkimSigners: [String] = []
    public var textParts: [TextPart]
    public var attachments: [Attachment]
    public var links: [Link]
    /// Phone numbers in any script's digits.
    public var phoneNumbers: [PhoneNumber]
    /// Every domain seen (From, Reply-To, Return-Path, Sender, links and their shown hosts, DKIM
    /// signers), each in written, ASCII, Unicode and registrable form.
    public var domains: [DomainName]
    /// Tricks found in what the reader sees (see `Obfuscation`).
    public var obfuscations: Set<Obfuscation>
    /// Limits reached while collecting or parsing; the view then covers what was within them.
    public var limitsReached: [MessageLimits.Kind]
    /// ISO 639-1 code of the most likely language, or `und`.
    public var language: String
    /// Subject and visible text, normalized for matching (see `TextNormalizer`).
    public var normalizedText: String
    /// The MIME tree as parsed, with each part's place in the body (what the banner edit splices).
    public var outline = MIMEOutline()
    /// True when the message could not be fully parsed or was cut at a limit; the view is best effort.
    public var degraded: Bool
    /// True when a `TextScreen` cleared the message: no rule can concern it.
    public internal(set) var clearedByScreen = false
    /// Text parts a cleared message left unread, in order after `textParts` (`MessageParser.readRest`).
    var unread: [UnreadPart] = []
    /// True when text parts were left unread: `textParts` cover the leading ones and `normalizedText` the
    /// text the language guess read, until `MessageParser.readRest`.
    public var hasUnreadText: Bool { !unread.isEmpty }

    /// An empty view, filled in by `MessageParser`.
    init() {
        headers = []
        subject = ""
        authenticationResults = []
        textParts = []
        attachments = []
        links = []
        phoneNumbers = []
        domains = []
        obfuscations = []
        limitsReached = []
        language = "und"
        normalizedText = ""
        degraded = false
    }

    /// The `DomainName` for a name seen in the message (computed on the spot for any other).
    public func domain(_ name: String) -> DomainName {
        let lower = name.lowercased()
        return domains.first { $0.name == lower } ?? DomainName(lower)
    }

    /// The first value of a decoded header, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// All visible text, subject first.
    /// False when parsed without details (see `MessageParser.parse(_:limits:details:)`).
    public var hasDetails = false

    public var visibleText: String {
        ([subject] + textParts.map(\.text)).joined(separator: "\n")
    }
}
