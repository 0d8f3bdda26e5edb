/// Decides, before HTML parsing and normalization, whether a message's text can hold any word the rules
/// read. Detection implements it from its lexicon (`LexiconScreen`); the parser asks it with the text's
/// letters and digits as `ScreenRuns` writes them. It may say "may concern" wrongly, never "clear"
/// wrongly: a clear message is judged `none` on a view whose later text parts were not read.
public protocol TextScreen: Sendable {
    /// Whether text whose runs of letters and digits are `runs` (lower-cased ASCII, one space between
    /// runs) may hold a phrase that makes the message concern the rules.
    func mayConcern(runs: String) -> Bool
    /// Whether a From display name may concern the rules (read exactly: it is short).
    func mayConcern(displayName: String) -> Bool
    /// How much text (an HTML part counted as a quarter of its size) a message needs before the screen
    /// is worth its pass: it reads every byte, and pays only where text can be left unread.
    var minimumTextBytes: Int { get }
}

/// The runs of ASCII letters and digits that normalization can leave in a text, read from its bytes.
///
/// `TextNormalizer` maps ASCII letters and digits to themselves (lower-cased), so every run of letters
/// and digits in normalized text is a run in the text when nothing else can become a letter or digit
/// or vanish between two: the screen refuses (nil, "read it all") any character whose normalization
/// holds a letter or digit or is empty (accented and non-Latin letters, look-alikes, zero-width and
/// other ignorable characters, combining marks, digits of other scripts, ligatures), and in HTML any
/// control character. Safe characters (spaces, punctuation, symbols, emoji without selectors) separate
/// runs.
///
/// For HTML the runs are those of the text between tags, tags removed with nothing in their place, so
/// a word split by tags is whole here as in the parser's visible text. Comments, scripts and styles,
/// whose extent is certain, are removed the same way. What else the parser hides (head, title,
/// template, `hidden` or `display:none` elements, the doctype) cannot join two runs here: the screen
/// refuses such an element when a letter or digit stands right before it; its content is kept (more
/// runs can only make the screen more careful). Entities must be the common named ones or numeric ones
/// with their `;` (decoded: a letter one gives is read as a letter); anything libxml2 could read
/// otherwise than this scanner (an unknown or unterminated entity, `<!` other than a comment or doctype,
/// `<?`, `</` without a name, a quote inside a tag not opening a value, an unterminated tag, comment or
/// script, HTML nested past the depth limit) refuses. `img` and `area` tags, whose `alt` and `title`
/// the reader sees, add all their attribute text as runs of their own.
public enum ScreenRuns {
    /// The runs of a plain text appended to `out`; false when a character could become a letter or vanish
    /// (what was appended is then of no use).
    public static func appendPlain(_ text: String, to out: inout [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var writer = RunWriter(capacity: bytes.count)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    if TextNormalizer.isASCIIAlphanumeric(byte) { writer.letter(byte) } else { writer.separate() }
                    index += 1
                    continue
                }
                var iterator = UTF8ScalarIterator(bytes, offset: index)
                guard let (value, _) = iterator.next(), SafeScalars.isSafe(value) else {
                    writer.finish(into: &out)
                    return false
                }
                index = iterator.offset
                writer.separate()
            }
            writer.finish(into: &out)
            return true
        }
    }

    /// The runs of an HTML part's visible text (a superset of them) appended to `out`; false when the
    /// HTML holds anything the scanner cannot read as libxml2 does (see the type's comment).
    public static func appendHTML(_ html: String, maxDepth: Int, to out: inout [UInt8]) -> Bool {
        if HTMLText.estimatedDepth(html, over: maxDepth) { return false }
        var html = html
        return html.withUTF8 { bytes in
            // A control character anywhere (NUL ends a tag or comment for libxml2, others it may drop).
            guard !bytes.contains(where: { $0 < 0x20 ? $0 != 0x09 && $0 != 0x0A && $0 != 0x0D : $0 == 0x7F }) else { return false }
            var scanner = HTMLRunScanner(bytes: bytes)
            let accepted = scanner.scan()
            scanner.out.finish(into: &out)
            scanner.extra.finish(into: &out)
            return accepted
        }
    }
}

/// Runs written into a buffer allocated once: appending to an array costs a uniqueness check for every
/// byte, and this runs over every byte of the text parts. Each character of the input writes at most one
/// byte, so `capacity` bytes of input never overflow it.
struct RunWriter {
    let base: UnsafeMutablePointer<UInt8>
    var count = 0

    init(capacity: Int) {
        base = .allocate(capacity: capacity + 2)
    }

    @inline(__always)
    mutating func letter(_ byte: UInt8) {
        base[count] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        count += 1
    }

    @inline(__always)
    mutating func separate() {
        if count > 0, base[count - 1] != 0x20 {
            base[count] = 0x20
            count += 1
        }
    }

    /// Appends the runs to `out` (one space between them) and frees the buffer.
    func finish(into out: inout [UInt8]) {
        if !out.isEmpty, out.last != 0x20, count > 0 { out.append(0x20) }
        out.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
        if out.last != 0x20, !out.isEmpty { out.append(0x20) }
        base.deallocate()
    }
}

/// Which non-ASCII characters normalization turns into something without letters or digits (and not
/// into nothing): the table covers U+0080–U+2FFF, computed once with `TextNormalizer.fold`; above it
/// each character is folded when met (emoji, CJK symbols: rare in mail the screen can clear).
enum SafeScalars {
    static let tableLimit: UInt32 = 0x3000

    static let table: [Bool] = (0..<tableLimit).map { value in value >= 0x80 && computeSafe(value) }

    @inline(__always)
    static func isSafe(_ value: UInt32) -> Bool {
        value < tableLimit ? table[Int(value)] : computeSafe(value)
    }

    static func computeSafe(_ value: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(value), !(0xD800...0xDFFF).contains(value) else { return false }
        if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || TextNormalizer.invisible(scalar) { return false }
        let folded = TextNormalizer.fold(String(scalar))
        guard !folded.isEmpty else { return false }
        return !folded.contains { $0.isASCII ? TextNormalizer.isASCIIAlphanumeric(UInt8($0.value)) || $0.value < 0x20 : $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }
}

/// The HTML scanner behind `ScreenRuns.appendHTML`: one pass over the bytes.
struct HTMLRunScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Runs of the text between tags.
    var out: RunWriter
    /// Runs of `img` and `area` attribute text.
    var extra: RunWriter
    var index = 0
    /// Whether the last character kept (whitespace-only text between two tags dropped: libxml2 drops
    /// blank text nodes) is a letter or digit.
    var lastAlphanumeric = false
    /// The same, as it stood when the current text between tags began.
    var alphanumericBeforeText = false
    /// Whether the current text between tags has been whitespace only so far.
    var textIsBlank = true
    /// Blanks seen since the last character kept, not yet written.
    var pendingBlank = false

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        out = RunWriter(capacity: bytes.count)
        extra = RunWriter(capacity: bytes.count)
    }

    /// Elements whose content libxml2's walker never shows (`invisible_tags` in gcm_html.c).
    static let invisible: Set<String> = ["script", "style", "head", "title", "template"]

    mutating func scan() -> Bool {
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x3C: // '<'
                guard markup() else { return false }
            case 0x26: // '&'
                guard let value = Self.entityValue(bytes, at: &index) else { return false }
                guard text(scalar: value) else { return false }
            case 0x20, 0x09, 0x0A, 0x0D:
                pendingBlank = true
                lastAlphanumeric = false
                index += 1
            case 0x00..<0x20, 0x7F:
                return false
            case 0x80...:
                var iterator = UTF8ScalarIterator(bytes, offset: index)
                guard let (value, _) = iterator.next() else { return false }
                index = iterator.offset
                guard text(scalar: value) else { return false }
            default:
                guard TextNormalizer.isASCIIAlphanumeric(byte) else {
                    index += 1
                    guard text(scalar: UInt32(byte)) else { return false }
                    continue
                }
                // A run of letters and digits at once: most of the text.
                textIsBlank = false
                if pendingBlank { out.separate() }
                pendingBlank = false
                var end = index
                while end < bytes.count, TextNormalizer.isASCIIAlphanumeric(bytes[end]) {
                    out.letter(bytes[end])
                    end += 1
                }
                index = end
                lastAlphanumeric = true
            }
        }
        return true
    }

    /// A character of text: kept as part of a run or as a separator.
    mutating func text(scalar value: UInt32) -> Bool {
        if value >= 0x80 {
            guard SafeScalars.isSafe(value) else { return false }
        } else if value < 0x20 || value == 0x7F {
            return false
        } else if value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0D {
            // Only a character reference can bring a blank here; libxml2 may drop blank text.
            return false
        }
        textIsBlank = false
        if pendingBlank { out.separate() }
        pendingBlank = false
        let byte = UInt8(truncatingIfNeeded: value)
        if value < 0x80, TextNormalizer.isASCIIAlphanumeric(byte) {
            out.letter(byte)
            lastAlphanumeric = true
        } else {
            out.separate()
            lastAlphanumeric = false
        }
        return true
    }

    /// Ends the text before a piece of markup: a whitespace-only text is dropped, as libxml2 (with
    /// `HTML_PARSE_NOBLANKS`) may drop it, so the characters around it may join.
    mutating func endText() {
        if textIsBlank {
            lastAlphanumeric = alphanumericBeforeText
        } else if pendingBlank {
            out.separate()
        }
        pendingBlank = false
    }

    mutating func beginText() {
        alphanumericBeforeText = lastAlphanumeric
        textIsBlank = true
    }

    /// `<` and what follows: a tag, end tag, comment or doctype skipped; false for what libxml2 might read
    /// otherwise than this scanner.
    mutating func markup() -> Bool {
        let next = index + 1 < bytes.count ? bytes[index + 1] : 0
        if UTF8Scan.isASCIILetter(UInt32(next)) {
            endText()
            guard startTag() else { return false }
            beginText()
            return true
        }
        switch next {
        case 0x2F: // '/'
            guard index + 2 < bytes.count, UTF8Scan.isASCIILetter(UInt32(bytes[index + 2])) else { return false }
            endText()
            guard let close = find(0x3E, from: index + 2) else { return false }
            index = close + 1
            beginText()
            return true
        case 0x21: // '!'
            endText()
            if startsWith("<!--", at: index) {
                // Removed with nothing in its place, as libxml2 does: its extent is exactly libxml2's.
                let content = index + 4
                guard content < bytes.count, bytes[content] != 0x3E, !startsWith("->", at: content) else { return false }
                guard let end = commentEnd(from: content) else { return false }
                index = end
            } else if startsWith("<!doctype", at: index, caseInsensitive: true) {
                guard !lastAlphanumeric, let close = find(0x3E, from: index + 2) else { return false }
                index = close + 1
            } else {
                return false
            }
            beginText()
            return true
        case 0x3F, 0x5F, 0x3A, 0x2E: // '?', or a name libxml2 would start with '_', ':' or '.'
            return false
        default:
            index += 1
            return text(scalar: 0x3C)
        }
    }

    /// A start tag from `<` to `>`: its name, its attributes read as libxml2's `htmlParseStartTag`
    /// reads them (a quote opens a value only right after `name=`; any other quote refuses, because
    /// libxml2 then skips a bogus attribute to the next blank or `>` without regard to quotes), and
    /// what the tag means for the runs.
    mutating func startTag() -> Bool {
        let tagStart = index
        var cursor = index + 1
        var name: [UInt8] = []
        while cursor < bytes.count, Self.isNameByte(bytes[cursor]) {
            if name.count < 16 { name.append(bytes[cursor] | 0x20) }
            cursor += 1
        }
        enum State { case tagName, blank, attribute, afterAttribute, equals, unquoted, bogus }
        var state = State.tagName
        var close = -1
        // Whether an attribute hides the element as gcm_html.c's `is_hidden` reads it (see `hides`).
        var hides = false
        var attributeStart = 0
        var attributeName: Range<Int> = 0..<0
        var valueStart = 0
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if byte == 0x3E {
                if state == .unquoted { hides = hides || Self.hides(name: attributeName, value: valueStart..<cursor, in: bytes) }
                if state == .attribute { attributeName = attributeStart..<cursor }
                if state == .attribute || state == .afterAttribute { hides = hides || Self.hides(name: attributeName, value: nil, in: bytes) }
                close = cursor
                break
            }
            if byte == 0x3C { return false }
            if byte == 0x22 || byte == 0x27 {
                guard state == .equals, let end = find(byte, from: cursor + 1) else { return false }
                hides = hides || Self.hides(name: attributeName, value: (cursor + 1)..<end, in: bytes)
                cursor = end + 1
                state = .blank
                continue
            }
            let blank = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
            switch state {
            case .tagName, .bogus:
                state = blank ? .blank : .bogus
            case .unquoted:
                if blank {
                    hides = hides || Self.hides(name: attributeName, value: valueStart..<cursor, in: bytes)
                    state = .blank
                }
            case .blank, .afterAttribute:
                if blank { break }
                if state == .afterAttribute, byte != 0x3D { hides = hides || Self.hides(name: attributeName, value: nil, in: bytes) }
                if byte == 0x3D {
                    state = state == .afterAttribute ? .equals : .bogus
                } else if UTF8Scan.isASCIILetter(UInt32(byte)) || byte == 0x5F || byte == 0x3A || byte == 0x2E {
                    state = .attribute
                    attributeStart = cursor
                } else {
                    state = .bogus
                }
            case .attribute:
                if !Self.isNameByte(byte) { attributeName = attributeStart..<cursor }
                if blank {
                    state = .afterAttribute
                } else if byte == 0x3D {
                    state = .equals
                } else if !Self.isNameByte(byte) {
                    hides = hides || Self.hides(name: attributeName, value: nil, in: bytes)
                    state = .bogus
                }
            case .equals:
                if !blank {
                    state = .unquoted
                    valueStart = cursor
                }
            }
            cursor += 1
        }
        guard close >= 0 else { return false }
        let tag = UnsafeBufferPointer(rebasing: bytes[tagStart...close])
        let nameText = String(decoding: name, as: UTF8.self)
        let selfClosing = bytes[close - 1] == 0x2F
        index = close + 1
        if nameText == "script" || nameText == "style" {
            // Raw text up to `</script` (libxml2 in recovery mode ends it only at the element's own end
            // tag), then that end tag, which closes the element: removed whole, nothing in its place,
            // as libxml2 leaves it out. `<script/>` is closed at once by libxml2: refused, as is an end
            // tag whose name goes on (`</scripts>` would leave the element open).
            guard !selfClosing, let end = findEndTag(name, from: index), end + 2 + name.count < bytes.count,
                  !Self.isNameByte(bytes[end + 2 + name.count]), let close = find(0x3E, from: end) else { return false }
            index = close + 1
            return true
        }
        if Self.invisible.contains(nameText) || hides {
            guard !lastAlphanumeric else { return false }
        }
        if nameText == "img" || nameText == "area" {
            guard attributeText(tag) else { return false }
        }
        return true
    }

    /// A byte of an element or attribute name, as libxml2's `htmlParseHTMLName` takes them.
    @inline(__always)
    static func isNameByte(_ byte: UInt8) -> Bool {
        TextNormalizer.isASCIIAlphanumeric(byte) || byte == 0x3A || byte == 0x2D || byte == 0x5F || byte == 0x2E
    }

    /// Whether an attribute may hide its element in gcm_html.c's `is_hidden`: one named `hidden`, or a
    /// `style` whose value, blanks removed, lower-cased and cut at 511 bytes as `is_hidden` does, holds
    /// `display:none` or `visibility:hidden`. A value with an entity (libxml2 decodes it before) or a
    /// control character counts as hiding.
    static func hides(name: Range<Int>, value: Range<Int>?, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let attribute = UnsafeBufferPointer(rebasing: bytes[name])
        if equalsIgnoringCase(attribute, "hidden") { return true }
        guard equalsIgnoringCase(attribute, "style"), let value else { return false }
        var compact: [UInt8] = []
        for byte in bytes[value] {
            if byte == 0x26 || byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { return true }
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { continue }
            guard compact.count < 511 else { break }
            compact.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        return compact.withUnsafeBufferPointer { contains($0, "display:none") || contains($0, "visibility:hidden") }
    }

    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        bytes.count == word.utf8CodeUnitCount && (0..<bytes.count).allSatisfy { bytes[$0] | 0x20 == word.utf8Start[$0] }
    }

    /// The text of an `img` or `area` tag's attributes (names and values, entities decoded) into `extra`.
    mutating func attributeText(_ tag: UnsafeBufferPointer<UInt8>) -> Bool {
        var cursor = 0
        extra.separate()
        while cursor < tag.count {
            let byte = tag[cursor]
            if byte == 0x26 {
                guard let value = Self.entityValue(tag, at: &cursor) else { return false }
                if value >= 0x80 {
                    guard SafeScalars.isSafe(value) else { return false }
                    extra.separate()
                } else {
                    guard value >= 0x20, value != 0x7F else { return false }
                    if TextNormalizer.isASCIIAlphanumeric(UInt8(value)) { extra.letter(UInt8(value)) } else { extra.separate() }
                }
                continue
            }
            if byte >= 0x80 {
                var iterator = UTF8ScalarIterator(tag, offset: cursor)
                guard let (value, _) = iterator.next(), SafeScalars.isSafe(value) else { return false }
                cursor = iterator.offset
                extra.separate()
                continue
            }
            guard byte >= 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D, byte != 0x7F else { return false }
            if TextNormalizer.isASCIIAlphanumeric(byte) { extra.letter(byte) } else { extra.separate() }
            cursor += 1
        }
        extra.separate()
        return true
    }

    /// An entity at `index` (advanced past it): its scalar, or nil when the scanner cannot be sure what
    /// libxml2 makes of it. `&` followed by something that is no entity name is a literal `&`; a named entity must be one of
    /// `namedEntities` with its `;`, a numeric one must have digits and `;`.
    static func entityValue(_ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int) -> UInt32? {
        let start = index + 1
        guard start < bytes.count else { index = start; return 0x26 }
        let first = bytes[start]
        if first == 0x23 { // '#'
            var cursor = start + 1
            var hex = false
            if cursor < bytes.count, bytes[cursor] | 0x20 == 0x78 { hex = true; cursor += 1 }
            var value: UInt32 = 0
            var digits = 0
            while cursor < bytes.count, digits < 8 {
                let byte = bytes[cursor]
                let digit: UInt32
                if byte >= 0x30 && byte <= 0x39 {
                    digit = UInt32(byte - 0x30)
                } else if hex, byte | 0x20 >= 0x61, byte | 0x20 <= 0x66 {
                    digit = UInt32(byte | 0x20) - 0x61 + 10
                } else {
                    break
                }
                value = value * (hex ? 16 : 10) + digit
                digits += 1
                cursor += 1
            }
            guard digits > 0, cursor < bytes.count, bytes[cursor] == 0x3B, value > 0, value < 0x110000 else { return nil }
            index = cursor + 1
            return value
        }
        guard TextNormalizer.isASCIIAlphanumeric(first) else {
            index = start
            return 0x26
        }
        var cursor = start
        var name: [UInt8] = []
        while cursor < bytes.count, TextNormalizer.isASCIIAlphanumeric(bytes[cursor]), name.count < 10 {
            name.append(bytes[cursor])
            cursor += 1
        }
        guard cursor < bytes.count, bytes[cursor] == 0x3B, let value = namedEntities[String(decoding: name, as: UTF8.self)] else { return nil }
        index = cursor + 1
        return value
    }

    /// Named entities mail uses for punctuation and symbols, each decoding to a character without
    /// letters or digits (the rest refuse).
    static let namedEntities: [String: UInt32] = [
        "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "apos": 0x27, "nbsp": 0xA0, "copy": 0xA9, "reg": 0xAE,
        "middot": 0xB7, "bull": 0x2022, "mdash": 0x2014, "ndash": 0x2013, "hellip": 0x2026, "laquo": 0xAB,
        "raquo": 0xBB, "lsquo": 0x2018, "rsquo": 0x2019, "ldquo": 0x201C, "rdquo": 0x201D, "euro": 0x20AC,
        "pound": 0xA3, "sect": 0xA7, "deg": 0xB0,
    ]

    /// Where a comment whose text starts at `from` ends: after the first "-->". Nil when there is none,
    /// or when "--!>" comes first (libxml2 versions differ on whether that ends a comment).
    func commentEnd(from: Int) -> Int? {
        var cursor = from
        while cursor + 2 < bytes.count {
            if bytes[cursor] == 0x2D, bytes[cursor + 1] == 0x2D {
                if bytes[cursor + 2] == 0x3E { return cursor + 3 }
                if bytes[cursor + 2] == 0x21, cursor + 3 < bytes.count, bytes[cursor + 3] == 0x3E { return nil }
            }
            cursor += 1
        }
        return nil
    }

    /// Where `</name` starts (any case), from `from`.
    func findEndTag(_ name: [UInt8], from: Int) -> Int? {
        var cursor = from
        while let open = find(0x3C, from: cursor) {
            if open + 1 + name.count < bytes.count, bytes[open + 1] == 0x2F,
               name.indices.allSatisfy({ bytes[open + 2 + $0] | 0x20 == name[$0] }) {
                return open
            }
            cursor = open + 1
        }
        return nil
    }

    func find(_ byte: UInt8, from: Int) -> Int? {
        var cursor = from
        while cursor < bytes.count {
            if bytes[cursor] == byte { return cursor }
            cursor += 1
        }
        return nil
    }

    func startsWith(_ text: StaticString, at offset: Int, caseInsensitive: Bool = false) -> Bool {
        let count = text.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        let pattern = text.utf8Start
        for step in 0..<count {
            let byte = bytes[offset + step]
            if (caseInsensitive ? byte | 0x20 : byte) != pattern[step] { return false }
        }
        return true
    }

    static func contains(_ tag: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard tag.count >= count else { return false }
        let pattern = word.utf8Start
        for start in 0...(tag.count - count) where (0..<count).allSatisfy({ tag[start + $0] | 0x20 == pattern[$0] }) {
            return true
        }
        return false
    }
}
