import CGMime
import Foundation

/// Turns a `RawMessage` into a `MessageView` with GMime: MIME structure, transfer encodings,
/// RFC 2047/2231 and charsets.
public enum MessageParser {
    /// GMime must be initialised once per process before any parsing; a static let runs exactly once.
    private static let initialized: Bool = {
        g_mime_init()
        return true
    }()

    public static func parse(_ raw: RawMessage) -> MessageView {
        _ = initialized
        let bytes = raw.serialized()
        var view = MessageView(headers: [], from: nil, replyTo: nil, subject: "", messageID: nil,
                               authenticationResults: [], textParts: [], attachments: [], links: [],
                               phoneNumbers: [], language: "und", normalizedText: "",
                               degraded: raw.bodyTruncated)
        let message = bytes.withUnsafeBufferPointer { gcm_parse_message($0.baseAddress, $0.count) }
        if let message {
            defer { gcm_unref(message) }
            readHeaders(message, into: &view)
            var walker = PartWalker()
            if let root = g_mime_message_get_mime_part(message) {
                walker.walk(root, path: "1", depth: 0)
            }
            view.textParts = walker.textParts
            view.attachments = walker.attachments
            view.links = walker.links
            view.degraded = view.degraded || walker.degraded
        } else {
            // GMime found no message at all: fall back to the raw header list and undecoded body text.
            view.degraded = true
            view.headers = raw.headers.map { ($0.name, String(decoding: $0.value, as: UTF8.self)) }
            view.subject = view.header("Subject") ?? ""
            view.textParts = [TextPart(path: "1", mimeType: "text/plain", text: String(decoding: raw.body, as: UTF8.self))]
        }
        view.authenticationResults = view.headers
            .filter { $0.name.lowercased() == "authentication-results" }
            .flatMap { AuthenticationResultsParser.parse($0.value) }
        let visible = view.visibleText
        view.phoneNumbers = PhoneNumberFinder.find(in: visible)
        view.links += LinkFinder.bareLinks(in: view.textParts.filter { $0.mimeType == "text/plain" }.map(\.text).joined(separator: "\n"))
        view.normalizedText = TextNormalizer.normalize(visible)
        view.language = LanguageGuesser.guess(view.normalizedText)
        return view
    }

    private static func readHeaders(_ message: UnsafeMutablePointer<GMimeMessage>, into view: inout MessageView) {
        let list = g_mime_object_get_header_list(gcm_object_of_message(message))
        let count = g_mime_header_list_get_count(list)
        for index in 0..<max(count, 0) {
            guard let header = g_mime_header_list_get_header_at(list, index) else { continue }
            let name = string(g_mime_header_get_name(header))
            let value = string(g_mime_header_get_value(header))
            view.headers.append((name, unfold(value)))
        }
        view.subject = unfold(string(g_mime_message_get_subject(message)))
        view.messageID = g_mime_message_get_message_id(message).map { String(cString: $0) }
        view.from = firstMailbox(g_mime_message_get_from(message))
        view.replyTo = firstMailbox(g_mime_message_get_reply_to(message))
    }

    private static func firstMailbox(_ list: UnsafeMutablePointer<InternetAddressList>?) -> Mailbox? {
        guard let list, internet_address_list_length(list) > 0,
              let address = internet_address_list_get_address(list, 0) else { return nil }
        return Mailbox(displayName: unfold(string(internet_address_get_name(address))),
                       address: string(gcm_mailbox_addr(address)))
    }
}

/// Walks the MIME tree depth-first, collecting text, attachments and links.
struct PartWalker {
    /// Deeper nesting is not looked into: it is a known way to hide content from filters.
    static let maxDepth = 32
    static let maxParts = 512

    var textParts: [TextPart] = []
    var attachments: [Attachment] = []
    var links: [Link] = []
    var degraded = false
    private var partCount = 0

    mutating func walk(_ object: UnsafeMutablePointer<GMimeObject>, path: String, depth: Int) {
        partCount += 1
        guard depth < Self.maxDepth, partCount <= Self.maxParts else { degraded = true; return }
        if gcm_is_multipart(object) != 0 {
            let multipart = gcm_multipart(object)
            let count = g_mime_multipart_get_count(multipart)
            for index in 0..<max(count, 0) {
                guard let child = g_mime_multipart_get_part(multipart, index) else { continue }
                walk(child, path: "\(path).\(index + 1)", depth: depth + 1)
            }
        } else if gcm_is_message_part(object) != 0 {
            if let inner = g_mime_message_part_get_message(gcm_message_part(object)),
               let root = g_mime_message_get_mime_part(inner) {
                walk(root, path: "\(path).1", depth: depth + 1)
            }
        } else if gcm_is_part(object) != 0 {
            leaf(object, path: path)
        }
    }

    private mutating func leaf(_ object: UnsafeMutablePointer<GMimeObject>, path: String) {
        let mimeType = contentType(object)
        let part = gcm_part(object)
        let filename = g_mime_part_get_filename(part).map { String(cString: $0) }
        let disposition = g_mime_object_get_content_disposition(object)
        let isAttachment = disposition.map { g_mime_content_disposition_is_attachment($0) != 0 } ?? false
        guard gcm_is_text_part(object) != 0, !isAttachment, mimeType == "text/plain" || mimeType == "text/html" else {
            attachments.append(Attachment(path: path, mimeType: mimeType, filename: filename))
            return
        }
        guard let cText = g_mime_text_part_get_text(gcm_text_part(object)) else { return }
        let decoded = String(decoding: UnsafeRawBufferPointer(start: cText, count: strlen(cText)), as: UTF8.self)
        gcm_free(cText)
        if mimeType == "text/html" {
            let html = HTMLText.extract(decoded)
            textParts.append(TextPart(path: path, mimeType: mimeType, text: html.text))
            links += html.links
        } else {
            textParts.append(TextPart(path: path, mimeType: mimeType, text: decoded))
        }
    }

    private func contentType(_ object: UnsafeMutablePointer<GMimeObject>) -> String {
        guard let type = g_mime_object_get_content_type(object),
              let mime = g_mime_content_type_get_mime_type(type) else { return "application/octet-stream" }
        defer { gcm_free(mime) }
        return String(cString: mime).lowercased()
    }
}

func string(_ pointer: UnsafePointer<CChar>?) -> String {
    guard let pointer else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
}

/// Header values come back with their folding; a reader sees one line.
func unfold(_ text: String) -> String {
    text.replacingOccurrences(of: "\r\n", with: "\n")
        .split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .joined(separator: " ")
        .trimmingCharacters(in: .whitespaces)
}
