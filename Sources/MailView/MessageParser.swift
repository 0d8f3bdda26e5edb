import CGMime
import Foundation

/// Turns a `RawMessage` into a `MessageView` with GMime: MIME structure, transfer encodings,
/// RFC 2047/2231 and charsets (GMime converts through iconv, which knows windows-1256, ISO-8859-6 and
/// the rest that Foundation does not).
public enum MessageParser {
    /// GMime must be initialised once per process before any parsing; a static let runs exactly once.
    private static let initialized: Bool = {
        g_mime_init()
        return true
    }()

    /// For other modules that use GMime on their own (the banner).
    public static func initializeGMime() {
        _ = initialized
    }

    /// The view of a message. With `details: false` the phone numbers, plain-text links, text
    /// obfuscations and domain forms are left out (`addDetails` adds them): mail that never mentions
    /// gift cards is `none` whatever they show, and they are a good part of the parsing time.
    ///
    /// With a `screen` (and without details), text parts are screened before HTML is parsed: when the
    /// screen clears the message (`clearedByScreen`), only the text the language guess reads is read, and
    /// the rest waits in the view for `readRest` (see `TextScreen`).
    public static func parse(_ raw: RawMessage, limits: MessageLimits = MessageLimits(), details: Bool = true,
                             screen: (any TextScreen)? = nil) -> MessageView {
        _ = initialized
        var view = MessageView()
        var reached = raw.limitsReached
        var screenedText: String?
        let bytes = raw.serialized()
        if let message = bytes.withUnsafeBufferPointer({ gcm_parse_message($0.baseAddress, $0.count) }) {
            defer { gcm_unref(message) }
            readHeaders(message, raw: raw, into: &view)
            var walker = PartWalker(limits: limits, bodyStart: bytes.count - raw.body.count)
            if let root = g_mime_message_get_mime_part(message) {
                view.outline.root = walker.walk(root, path: "1", boundary: nil, depth: 0)
            }
            view.outline.bodyLength = raw.body.count
            var readCount = walker.textParts.count
            if let screen, !details, let (count, normalized) = screenedPrefix(of: &walker, subject: view.subject,
                                                                              displayName: view.from?.displayName ?? "", screen: screen) {
                view.clearedByScreen = true
                readCount = count
                screenedText = normalized
                view.unread = walker.textParts[count...].map {
                    UnreadPart(path: $0.path, mimeType: $0.mimeType, source: $0.text, isHTML: walker.unreadHTML.contains($0.path), maxDepth: limits.maxHTMLDepth)
                }
            }
            for index in walker.textParts.indices[..<readCount] { walker.readHTML(at: index) }
            view.textParts = Array(walker.textParts[..<readCount])
            view.attachments = walker.attachments
            // "Invoice attached": a body that says next to nothing and a PDF that says the rest.
            if !walker.pdfParts.isEmpty, walker.textParts.reduce(0, { $0 + $1.text.utf8.count }) < Self.shortBody {
                view.textParts += Self.pdfTexts(walker.pdfParts)
            }
            view.links = walker.links
            reached.formUnion(walker.limitsReached)
            if walker.hiddenHTML { view.obfuscations.insert(.hiddenHTML) }
        } else {
            // GMime found no message at all: keep the raw header list and the undecoded body text.
            view.degraded = true
            view.headers = raw.headers.map { ($0.name, String(decoding: $0.value, as: UTF8.self)) }
            view.subject = view.header("Subject") ?? ""
            view.textParts = [TextPart(path: "1", mimeType: "text/plain", text: String(decoding: raw.body, as: UTF8.self))]
        }
        view.limitsReached = MessageLimits.Kind.allCases.filter(reached.contains)
        view.degraded = view.degraded || !reached.isEmpty
        view.authenticationResults = Self.authenticationResults(in: raw.headers)
        view.dkimSigners = view.headers.filter { $0.name.lowercased() == "dkim-signature" }.compactMap { Self.dkimSigner($0.value) }
        view.normalizedText = screenedText ?? TextNormalizer.normalize(view.visibleText)
        view.language = LanguageGuesser.guess(view.normalizedText)
        if details { addDetails(to: &view) }
        return view
    }

    /// When the screen clears the message (the From display name, the subject and every text part):
    /// how many leading text parts were read whole (their HTML parsed), and the normalized text the
    /// language guess reads, of which the first `LanguageGuesser.window` bytes are those of the whole
    /// text's (nil when every part was read: the text is then normalized whole). The part after them is
    /// read only as far as that needs: a plain part up to a blank, an HTML part through libxml2 only up
    /// to the line break past enough text (`HTMLText.visiblePrefix`). Nil when the screen did not clear
    /// the message, a PDF may be read (its text is not screened), or the message is too short for the
    /// screen to pay.
    static func screenedPrefix(of walker: inout PartWalker, subject: String, displayName: String,
                               screen: any TextScreen) -> (count: Int, normalized: String?)? {
        let parts = walker.textParts
        let textBytes = parts.reduce(subject.utf8.count) { $0 + $1.text.utf8.count / (walker.unreadHTML.contains($1.path) ? 4 : 1) }
        guard textBytes >= screen.minimumTextBytes, walker.pdfParts.isEmpty,
              !screen.mayConcern(displayName: displayName) else { return nil }
        var runs: [UInt8] = []
        runs.reserveCapacity(parts.reduce(subject.utf8.count) { $0 + $1.text.utf8.count } + 16)
        guard ScreenRuns.appendPlain(subject, to: &runs) else { return nil }
        for part in parts {
            if walker.unreadHTML.contains(part.path) {
                guard ScreenRuns.appendHTML(part.text, maxDepth: walker.limits.maxHTMLDepth, to: &runs) else { return nil }
                walker.withinDepth.insert(part.path)
            } else {
                guard ScreenRuns.appendPlain(part.text, to: &runs) else { return nil }
            }
        }
        guard !screen.mayConcern(runs: String(decoding: runs, as: UTF8.self)) else { return nil }
        let window = LanguageGuesser.window
        var joined = subject
        for index in parts.indices {
            // The text before this part may be enough on its own.
            if joined.utf8.count >= window {
                let normalized = TextNormalizer.normalize(joined)
                if normalized.utf8.count >= window { return (index, normalized) }
            }
            let part = parts[index]
            // What the window still lacks, with room for blanks that normalization collapses.
            let wanted = max(window - joined.utf8.count, 0) + 1024
            var start: String?
            if walker.unreadHTML.contains(part.path), part.text.utf8.count >= 4 * wanted {
                // Only a long part is worth starting in pieces (HTML is a quarter text or more).
                switch HTMLText.visiblePrefix(part.text, minText: wanted) {
                case .start(let text): start = text
                case .whole(let html): walker.readHTML(at: index, as: html)
                case nil: break
                }
            } else if !walker.unreadHTML.contains(part.path) {
                start = leadingText(part.text, minimum: wanted)
            }
            if let start, joined.utf8.count + 1 + start.utf8.count >= window {
                let normalized = TextNormalizer.normalize(joined + "\n" + start)
                if normalized.utf8.count >= window { return (index, normalized) }
            }
            walker.readHTML(at: index)
            joined += "\n"
            joined += walker.textParts[index].text
        }
        return (parts.count, nil)
    }

    /// The start of a plain text, at least `minimum` bytes, ending before an ASCII blank (so that its
    /// normalization is where the whole text's begins); nil when the text is not longer than that.
    static func leadingText(_ text: String, minimum: Int) -> String? {
        let bytes = text.utf8
        guard bytes.count > minimum else { return nil }
        var index = bytes.index(bytes.startIndex, offsetBy: minimum)
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { return String(decoding: bytes[..<index], as: UTF8.self) }
            index = bytes.index(after: index)
        }
        return nil
    }

    /// The visible text of an HTML part as a view holds it (what detection reads; see `HTMLText`).
    public static func visibleText(ofHTML html: String, maxDepth: Int = MessageLimits().maxHTMLDepth) -> String {
        HTMLText.extract(html, maxDepth: maxDepth).text
    }

    /// Reads the text parts a screened view left unread (see `parse(_:limits:details:screen:)`): the
    /// view becomes the one an unscreened parse gives. Anything that reads the whole text calls it first.
    public static func readRest(of view: inout MessageView) {
        guard !view.unread.isEmpty else { return }
        for part in view.unread {
            guard part.isHTML else {
                view.textParts.append(TextPart(path: part.path, mimeType: part.mimeType, text: part.source))
                continue
            }
            let html = HTMLText.extract(part.source, maxDepth: part.maxDepth)
            if html.depthLimited, !view.limitsReached.contains(.htmlDepth) {
                view.limitsReached = MessageLimits.Kind.allCases.filter { view.limitsReached.contains($0) || $0 == .htmlDepth }
                view.degraded = true
            }
            view.textParts.append(TextPart(path: part.path, mimeType: part.mimeType, text: html.text))
            view.links += html.links
            if html.hadHiddenText { view.obfuscations.insert(.hiddenHTML) }
        }
        view.unread = []
        view.normalizedText = TextNormalizer.normalize(view.visibleText)
    }

    /// Below this many bytes of text, a message's PDF attachments are read too (see `PDFText`).
    static let shortBody = 2000

    /// The text of each PDF part (at most two), each read by the helper in a process of its own.
    static func pdfTexts(_ parts: [(path: String, object: UnsafeMutablePointer<GMimeObject>)]) -> [TextPart] {
        parts.prefix(2).compactMap { part in
            guard let bytes = gcm_part_decoded_bytes(gcm_part(part.object)) else { return nil }
            defer { g_byte_array_unref(bytes) }
            guard let data = bytes.pointee.data, bytes.pointee.len > 0, Int(bytes.pointee.len) <= PDFText.maximumBytes else { return nil }
            let pdf = Array(UnsafeBufferPointer(start: data, count: Int(bytes.pointee.len)))
            guard case .success(let text) = PDFText.extract(pdf), !text.isEmpty else { return nil }
            return TextPart(path: part.path, mimeType: "application/pdf", text: text)
        }
    }

    /// The MIME tree alone, with no text read: for an edit of a body other than the one a view was
    /// made from (the whole body of a message whose inspected body was cut at `MaximumBodyBytes`).
    public static func outline(of raw: RawMessage) -> MIMEOutline {
        _ = initialized
        let bytes = raw.serialized()
        var outline = MIMEOutline(bodyLength: raw.body.count)
        guard let message = bytes.withUnsafeBufferPointer({ gcm_parse_message($0.baseAddress, $0.count) }) else { return outline }
        defer { gcm_unref(message) }
        var limits = MessageLimits()
        limits.maxMimeParts = Int.max / PartWalker.textPartsFactor
        var walker = PartWalker(limits: limits, bodyStart: bytes.count - raw.body.count, readsText: false)
        if let root = g_mime_message_get_mime_part(message) {
            outline.root = walker.walk(root, path: "1", boundary: nil, depth: 0)
        }
        return outline
    }

    /// Every Authentication-Results in header order, each marked with whether it sits above the first
    /// header that certainly arrived with the message. Postfix does not show milters its own `Received`,
    /// and an earlier milter (OpenDKIM, OpenDMARC) inserts its header at the top, so this host's results
    /// come before the message's own `Received` trail and fields; anything below those was written
    /// elsewhere, by an earlier hop or by the sender.
    /// Read from the bytes as they arrived: an encoded-word is not decoded here (see
    /// `AuthenticationResultsParser`).
    static func authenticationResults(in headers: [RawHeader]) -> [AuthenticationResult] {
        let arrived = headers.firstIndex { Self.arrivedWithMessage.contains($0.name.lowercased()) } ?? headers.count
        var results: [AuthenticationResult] = []
        for (index, header) in headers.enumerated() where header.name.lowercased() == "authentication-results" {
            for var result in AuthenticationResultsParser.parse(header.value) {
                result.addedHere = index < arrived
                results.append(result)
            }
        }
        return results
    }

    /// Fields a receiving host's filters never insert: a message's trace and its own fields.
    static let arrivedWithMessage: Set<String> = [
        "received", "return-path", "from", "sender", "reply-to", "to", "cc", "subject", "date", "message-id",
        "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding", "dkim-signature",
    ]

    /// The `d=` tag of a DKIM-Signature value (RFC 6376 tag list: `tag=value; …`, folding whitespace allowed).
    static func dkimSigner(_ value: String) -> String? {
        for tag in value.split(separator: ";") {
            let parts = tag.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingASCII().lowercased() == "d" else { continue }
            let domain = parts[1].filter { !$0.isWhitespace }.lowercased()
            return domain.isEmpty ? nil : domain
        }
        return nil
    }

    /// Phone numbers, links in plain text, text obfuscations and the forms of every domain seen.
    public static func addDetails(to view: inout MessageView) {
        guard !view.hasDetails else { return }
        readRest(of: &view)
        let visible = view.visibleText
        let tld = view.from?.domain.split(separator: ".").last.map(String.init)
        view.phoneNumbers = PhoneNumberFinder.find(in: visible, countryTLD: tld)
        view.links += LinkFinder.bareLinks(in: view.textParts.filter { $0.mimeType != "text/html" }.map(\.text).joined(separator: "\n"))
        view.obfuscations.formUnion(Self.obfuscations(in: visible))
        view.domains = Self.domains(of: view)
        view.hasDetails = true
    }

    /// Headers in their original order (GMime files Content-* headers under the MIME part, so the list
    /// comes from the raw message), each decoded from RFC 2047 and 8-bit charsets by GMime.
    private static func readHeaders(_ message: UnsafeMutablePointer<GMimeMessage>, raw: RawMessage, into view: inout MessageView) {
        for header in raw.headers {
            // Plain ASCII without encoded words has nothing for GMime to decode: most headers.
            if !header.value.contains(where: { $0 >= 0x80 }), !containsEncodedWord(header.value) {
                view.headers.append((header.name, unfold(String(decoding: header.value, as: UTF8.self))))
                continue
            }
            var value = header.value
            value.append(0)
            let decoded = value.withUnsafeBufferPointer { buffer -> String in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    guard let text = g_mime_utils_header_decode_text(nil, chars.baseAddress) else { return "" }
                    defer { gcm_free(text) }
                    return string(text)
                }
            }
            view.headers.append((header.name, unfold(decoded)))
        }
        view.subject = unfold(string(g_mime_message_get_subject(message)))
        view.messageID = g_mime_message_get_message_id(message).map { string($0) }
        view.date = view.header("Date")
        view.from = firstMailbox(g_mime_message_get_from(message))
        view.replyTo = firstMailbox(g_mime_message_get_reply_to(message))
        for type in [GMIME_ADDRESS_TYPE_TO, GMIME_ADDRESS_TYPE_CC] {
            guard let list = g_mime_message_get_addresses(message, type) else { continue }
            for index in 0..<max(internet_address_list_length(list), 0) {
                guard let address = internet_address_list_get_address(list, index) else { continue }
                let text = string(gcm_mailbox_addr(address)).lowercased()
                if !text.isEmpty, view.toAddresses.count < 1000 { view.toAddresses.append(text) }
            }
        }
        view.returnPath = view.header("Return-Path").map {
            $0.trimmingASCII("<> \t")
        }
    }

    private static func firstMailbox(_ list: UnsafeMutablePointer<InternetAddressList>?) -> Mailbox? {
        guard let list, internet_address_list_length(list) > 0,
              let address = internet_address_list_get_address(list, 0) else { return nil }
        return Mailbox(displayName: unfold(string(internet_address_get_name(address))),
                       address: string(gcm_mailbox_addr(address)))
    }

    /// Invisible characters between letters, and words mixing scripts, in the text as the reader sees it.
    /// One pass over the bytes; only words holding both ASCII and other letters go to ICU's checker.
    static func obfuscations(in visible: String) -> Set<Obfuscation> {
        var found: Set<Obfuscation> = []
        var mixedWords: [Range<Int>] = []
        var visible = visible
        visible.withUTF8 { bytes in
            var iterator = UTF8ScalarIterator(bytes)
            var previousWasLetter = false
            var wordStart = -1
            var wordHasASCII = false
            var wordHasOther = false
            while let (value, start) = iterator.next() {
                let isLetter: Bool
                if value < 0x80 {
                    isLetter = UTF8Scan.isASCIILetter(value)
                    if isLetter { wordHasASCII = true }
                } else {
                    let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                    if TextNormalizer.invisible(scalar) {
                        if previousWasLetter, value != 0x200E, value != 0x200F { found.insert(.invisibleCharacters) }
                        continue
                    }
                    isLetter = scalar.properties.isAlphabetic
                    if isLetter { wordHasOther = true }
                }
                if isLetter {
                    if wordStart < 0 { wordStart = start }
                } else {
                    if wordStart >= 0, wordHasASCII, wordHasOther, mixedWords.count < 32 { mixedWords.append(wordStart..<start) }
                    wordStart = -1
                    wordHasASCII = false
                    wordHasOther = false
                }
                previousWasLetter = isLetter
            }
            if wordStart >= 0, wordHasASCII, wordHasOther { mixedWords.append(wordStart..<bytes.count) }
            for range in mixedWords {
                let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                if word.unicodeScalars.count >= 3, ICU.looksSpoofed(word) {
                    found.insert(.mixedScript)
                    break
                }
            }
        }
        return found
    }

    /// Every domain the message names, once each, in its several forms.
    static func domains(of view: MessageView) -> [DomainName] {
        var names: [String] = []
        for mailbox in [view.from, view.replyTo] { if let domain = mailbox?.domain, !domain.isEmpty { names.append(domain) } }
        for address in [view.returnPath, view.header("Sender")] {
            if let address, let at = address.lastIndex(of: "@") {
                names.append(address[address.index(after: at)...].trimmingASCII("<> "))
            }
        }
        for link in view.links {
            names.append(link.host)
            if let shown = link.shownHost { names.append(shown) }
        }
        for result in view.authenticationResults where result.method == "dkim" {
            if let signer = result.properties["header.d"] { names.append(signer) }
        }
        var seen: Set<String> = []
        var domains: [DomainName] = []
        for name in names.map({ $0.lowercased() }) where !name.isEmpty && seen.insert(name).inserted {
            domains.append(DomainName(name))
            if domains.count >= 64 { break }
        }
        return domains
    }
}

/// Walks the MIME tree depth-first, collecting text, attachments and links within the limits, and
/// the outline of every part it reaches (the banner edit works from that outline).
struct PartWalker {
    let limits: MessageLimits
    /// Where the body starts in the parsed bytes: content offsets in the outline are body offsets.
    let bodyStart: Int
    /// False to take the outline only.
    let readsText: Bool
    var textParts: [TextPart] = []
    var attachments: [Attachment] = []
    var links: [Link] = []
    var limitsReached: Set<MessageLimits.Kind> = []
    var hiddenHTML = false
    /// Paths of the text parts whose text is still HTML source, not yet parsed (`readHTML`).
    var unreadHTML: Set<String> = []
    /// Paths of HTML parts the screen found within the depth limit (no need to count again).
    var withinDepth: Set<String> = []
    /// PDF attachments small enough to read, for `MessageParser.pdfTexts` (valid while the message lives).
    var pdfParts: [(path: String, object: UnsafeMutablePointer<GMimeObject>)] = []
    private var partCount = 0

    init(limits: MessageLimits, bodyStart: Int, readsText: Bool = true) {
        self.limits = limits
        self.bodyStart = bodyStart
        self.readsText = readsText
    }

    /// Past `maxMimeParts` only text is read (a lure in part 300 is still seen), up to this many times
    /// the limit; attachments there are not listed.
    static let textPartsFactor = 4

    /// The part's outline node; nil past the part limit. A part at the depth limit is outlined but
    /// nothing inside it is read.
    mutating func walk(_ object: UnsafeMutablePointer<GMimeObject>, path: String, boundary: String?, depth: Int) -> MIMEPart? {
        partCount += 1
        if partCount > limits.maxMimeParts { limitsReached.insert(.mimeParts) }
        guard partCount <= limits.maxMimeParts * Self.textPartsFactor else { return nil }
        var node = outline(object, path: path, boundary: boundary)
        guard depth < limits.maxMimeDepth else {
            limitsReached.insert(.mimeDepth)
            node.children = []
            return node
        }
        if gcm_is_multipart(object) != 0 {
            let multipart = gcm_multipart(object)
            let inner = g_mime_multipart_get_boundary(multipart).map { string($0) }
            let count = g_mime_multipart_get_count(multipart)
            for index in 0..<max(count, 0) {
                guard let child = g_mime_multipart_get_part(multipart, index) else { continue }
                if let below = walk(child, path: "\(path).\(index + 1)", boundary: inner, depth: depth + 1) { node.children.append(below) }
            }
        } else if gcm_is_message_part(object) != 0 {
            if let inner = g_mime_message_part_get_message(gcm_message_part(object)),
               let root = g_mime_message_get_mime_part(inner),
               let below = walk(root, path: "\(path).1", boundary: nil, depth: depth + 1) {
                node.children.append(below)
            }
        } else if gcm_is_part(object) != 0, readsText {
            leaf(object, node: node)
        }
        return node
    }

    /// What an edit needs to know of a part, read from GMime's object.
    private func outline(_ object: UnsafeMutablePointer<GMimeObject>, path: String, boundary: String?) -> MIMEPart {
        let mimeType = MessageParser.mimeType(of: object)
        let isLeaf = gcm_is_part(object) != 0
        var content: Range<Int>?
        var encoding = TransferEncoding.unspecified
        var isAttachment = false
        if isLeaf {
            let part = gcm_part(object)
            encoding = TransferEncoding(g_mime_part_get_content_encoding(part))
            var start: gint64 = 0, end: gint64 = 0
            if gcm_part_content_bounds(part, &start, &end) != 0, Int(start) >= bodyStart {
                content = (Int(start) - bodyStart)..<(Int(end) - bodyStart)
            }
            isAttachment = g_mime_object_get_content_disposition(object).map { g_mime_content_disposition_is_attachment($0) != 0 } ?? false
        }
        let smime = mimeType.hasSuffix("pkcs7-mime") ? g_mime_object_get_content_type_parameter(object, "smime-type").map { string($0).lowercased() } : nil
        return MIMEPart(path: path, kind: isLeaf ? .leaf : gcm_is_multipart(object) != 0 ? .multipart : .message, mimeType: mimeType,
                        charset: g_mime_object_get_content_type_parameter(object, "charset").map { string($0) }, smimeType: smime,
                        isAttachment: isAttachment, transferEncoding: encoding, boundary: boundary, content: content, children: [])
    }

    /// Reads a leaf's text (or lists it as an attachment); its type, disposition and charset come from
    /// its outline node, read once.
    private mutating func leaf(_ object: UnsafeMutablePointer<GMimeObject>, node: MIMEPart) {
        let path = node.path
        let invalidType = hasInvalidContentType(object)
        // RFC 2045 §5.2: a part whose Content-Type cannot be parsed is text/plain, and clients show it.
        let mimeType = invalidType ? "text/plain" : node.mimeType
        let part = gcm_part(object)
        let filename = g_mime_part_get_filename(part).map { string($0) }
        guard gcm_is_text_part(object) != 0 || invalidType, !node.isAttachment, mimeType == "text/plain" || mimeType == "text/html" else {
            guard partCount <= limits.maxMimeParts else { return }
            let size = gcm_part_content_size(part)
            attachments.append(Attachment(path: path, mimeType: mimeType, filename: filename, size: size >= 0 ? Int(size) : nil))
            let isPDF = mimeType == "application/pdf" || (filename?.lowercased().hasSuffix(".pdf") ?? false)
            if isPDF, pdfParts.count < 2, size < 2 * PDFText.maximumBytes { pdfParts.append((path, object)) }
            // An invitation is shown as its event's summary and description, inline or attached.
            if mimeType == "text/calendar" || mimeType == "application/ics", size < 1 << 20,
               let ics = text(of: object, isTextPart: gcm_is_text_part(object) != 0, charset: node.charset?.lowercased()) {
                let shown = CalendarText.extract(ics)
                if !shown.isEmpty { textParts.append(TextPart(path: path, mimeType: "text/calendar", text: shown)) }
            }
            return
        }
        guard let decoded = text(of: object, isTextPart: gcm_is_text_part(object) != 0, charset: node.charset?.lowercased()) else { return }
        // HTML is parsed later (`readHTML`), once it is known whether it must be.
        if mimeType == "text/html" { unreadHTML.insert(path) }
        textParts.append(TextPart(path: path, mimeType: mimeType, text: decoded))
    }

    /// Parses the HTML of text part `index` if it is still the source: its visible text replaces it, its
    /// links join the rest (parts are read in order, so links keep the parts' order).
    mutating func readHTML(at index: Int) {
        let path = textParts[index].path
        guard unreadHTML.contains(path) else { return }
        readHTML(at: index, as: HTMLText.extract(textParts[index].text, maxDepth: limits.maxHTMLDepth, depthChecked: withinDepth.contains(path)))
    }

    /// The same with the part's HTML already parsed.
    mutating func readHTML(at index: Int, as html: HTMLText.Result) {
        guard unreadHTML.remove(textParts[index].path) != nil else { return }
        if html.depthLimited { limitsReached.insert(.htmlDepth) }
        textParts[index].text = html.text
        links += html.links
        hiddenHTML = hiddenHTML || html.hadHiddenText
    }

    /// The part's text in UTF-8: GMime converts a text part from its declared charset; any other part
    /// (one whose type could not be parsed) is decoded from its transfer encoding and read as 8-bit text.
    private func text(of object: UnsafeMutablePointer<GMimeObject>, isTextPart: Bool, charset: String?) -> String? {
        // UTF-8 and ASCII need no charset conversion: decode the transfer encoding only (invalid
        // sequences are repaired to U+FFFD as a reader's client would show them).
        if isTextPart, let charset, !["utf-8", "utf8", "us-ascii", "ascii"].contains(charset) {
            guard let cText = g_mime_text_part_get_text(gcm_text_part(object)) else { return nil }
            defer { gcm_free(cText) }
            return string(cText)
        }
        if isTextPart, charset != nil {
            guard let bytes = gcm_part_decoded_bytes(gcm_part(object)) else { return nil }
            defer { g_byte_array_unref(bytes) }
            guard let data = bytes.pointee.data else { return "" }
            return String(decoding: UnsafeBufferPointer(start: data, count: Int(bytes.pointee.len)), as: UTF8.self)
        }
        if isTextPart {
            // No charset declared: GMime guesses from its fallback list (UTF-8, then Latin-1).
            guard let cText = g_mime_text_part_get_text(gcm_text_part(object)) else { return nil }
            defer { gcm_free(cText) }
            return string(cText)
        }
        guard let bytes = gcm_part_decoded_bytes(gcm_part(object)) else { return nil }
        defer { g_byte_array_unref(bytes) }
        guard let data = bytes.pointee.data, bytes.pointee.len > 0 else { return "" }
        return data.withMemoryRebound(to: CChar.self, capacity: Int(bytes.pointee.len)) { chars in
            guard let utf8 = g_mime_utils_decode_8bit(nil, chars, Int(bytes.pointee.len)) else { return nil }
            defer { gcm_free(utf8) }
            return string(utf8)
        }
    }

    private func hasInvalidContentType(_ object: UnsafeMutablePointer<GMimeObject>) -> Bool {
        guard let header = g_mime_object_get_header(object, "Content-Type") else { return false }
        let value = string(header)
        let type = value.prefix { $0 != ";" }.trimmingASCII()
        let pieces = type.split(separator: "/", omittingEmptySubsequences: false)
        return pieces.count != 2 || pieces.contains { $0.trimmingASCII(" \t").isEmpty }
    }

}

extension MessageParser {
    /// A MIME object's `type/subtype`, lower-cased (`application/octet-stream` when GMime has none).
    static func mimeType(of object: UnsafeMutablePointer<GMimeObject>) -> String {
        guard let type = g_mime_object_get_content_type(object),
              let mime = g_mime_content_type_get_mime_type(type) else { return "application/octet-stream" }
        defer { gcm_free(mime) }
        return string(mime).lowercased()
    }
}

/// True when the bytes hold "=?", the start of an RFC 2047 encoded word.
func containsEncodedWord(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= 2 else { return false }
    for index in 0..<(bytes.count - 1) where bytes[index] == 0x3D && bytes[index + 1] == 0x3F { return true }
    return false
}

func string(_ pointer: UnsafePointer<CChar>?) -> String {
    guard let pointer else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
}

/// Header values come back with their folding; a reader sees one line: each line break with the
/// blanks around it becomes one space, and blanks at either end go.
public func unfold(_ text: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    var pendingBreak = false
    for byte in text.utf8 {
        switch byte {
        case 0x0A, 0x0D:
            while out.last == 0x20 || out.last == 0x09 { out.removeLast() }
            pendingBreak = true
        case 0x20 where pendingBreak || out.isEmpty, 0x09 where pendingBreak || out.isEmpty:
            continue
        default:
            if pendingBreak, !out.isEmpty { out.append(0x20) }
            pendingBreak = false
            out.append(byte)
        }
    }
    while out.last == 0x20 || out.last == 0x09 { out.removeLast() }
    return String(decoding: out, as: UTF8.self)
}
