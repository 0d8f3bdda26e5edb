import Foundation
import MailView

/// What one message shows, read once before any rule looks at it: which lexicon sections occur where,
/// who the sender claims to be and whether that claim holds, and the signs of a lure around the text.
///
/// Rules (`Detector+Rules.swift`) weigh these together; none of them decides on its own.
struct MessageSignals {
    /// The lexicon's scan of subject and visible text.
    let hits: Lexicon.Hits
    /// The scan of the subject alone: a subject is the message's claim about itself.
    let subject: Lexicon.Hits
    /// The scan of the From display name ("EDEKA-Gutschein", "Paid Customer").
    let displayName: Lexicon.Hits
    let details: PersonalDetails
    let fromDomain: String
    /// Domains that trusted DKIM and DMARC passes vouch for (see `Detector.trustedPasses`).
    let trustedPasses: [String]
    /// A trusted pass aligned with a From domain that is an organisation's: not free mail, a form
    /// platform or a free host, where anyone picks a name (`OpenPlatforms`). It proves which domain sent
    /// the message, nothing more.
    let senderAuthenticated: Bool
    /// The authenticated organisation speaks for itself: its links lead to its own domain (or to its
    /// brand's). A merchant's receipt, a shop's newsletter, a sweepstakes' notice link home; a domain that
    /// merely passes and sends someone else's receipt ("Your Norton renewal" from a rented domain, no link
    /// home) does not, and its pass clears nothing.
    let speaksForItself: Bool
    /// A result with a trusted authserv-id was refused as not this host's (see `Detector.authentication`).
    let forgedAuthentication: Bool
    /// The organisation speaks: a From in `OrganizationDomains`, authenticated by a trusted pass or
    /// submitted by one of its users with SMTP AUTH.
    let organizationSender: Bool
    /// Links leading outside the organisation's domains; false unless `organizationSender`.
    let outsideLinks: Bool
    /// Byte ranges of the normalized text that are reported, not said: between quotation marks, and from
    /// a forwarded-message line to the end. Empty unless the message warns about scams (awareness and
    /// advice words): only a warning reads them, so other mail skips the scan.
    let quoted: [Range<Int>]
    /// The From domain is a brand's and a trusted result vouches for it.
    let brandSenderAuthenticated: Bool
    /// The From domain is a brand's and this host's verifier failed it (DKIM or DMARC): a spoof shown,
    /// not merely a message without a pass.
    let brandSenderFailed: Bool
    /// The brand the sender presents itself as (From domain, display name, look-alike domain).
    let senderBrand: Brand?
    /// The brand claimed anywhere but the body text (sender, subject, links' shown hosts).
    let claimOutsideText: Brand?
    /// The first brand the text names, letter-spaced names ("e b a y") read as written together.
    let textBrand: Brand?
    /// Offsets of brand names in the text (the joined text when letters were spaced out).
    let brandMentions: [(brand: Brand, offset: Int)]
    /// A brand the text signs with: "© 2025 McAfee, LLC", "Copyright Norton": a notice's footer naming its sender.
    let signedBrand: Brand?
    /// The brand's name could only be read after joining spaced-out letters.
    let spacedBrand: Bool
    let lookalike: Bool
    let freemailFrom: Bool
    let freemailReplyTo: Bool
    /// Replies go to another domain than the From's (another registrable domain).
    let replyElsewhere: Bool
    let linkMismatch: Bool
    /// Links to bare IP addresses, URL shorteners or free web hosts: where lures park their forms.
    let riskyLinks: Bool
    let hasLinks: Bool
    /// Every link leads to the From's own registrable domain (false without links).
    let linksHomeOnly: Bool
    /// A calendar invitation rides along: lures arrive as invitations to get past filters and onto calendars.
    let hasInvitation: Bool
    /// The From domain itself is on a free web host (`…firebaseapp.com`): no company mails from there.
    let fromFreeHost: Bool
    /// The subject or a greeting addresses the reader by mail address ("hallo anna@example.org"): mail
    /// sent to a list of addresses, not to a person the sender knows.
    let addressGreeting: Bool
    /// An HTML message with next to no text: what it says is in pictures, out of a filter's sight.
    let imageOnly: Bool
    let phone: Bool
    /// Tricks found in what the reader sees (the view's, as they are).
    let obfuscations: Set<Obfuscation>

    /// Text disguised against filters: invisible characters inside words, mixed-script look-alikes, a
    /// brand's name spaced out (hidden HTML is left out: newsletters hide preview text that way).
    var disguised: Bool { spacedBrand || obfuscations.contains(.invisibleCharacters) || obfuscations.contains(.mixedScript) }
    /// HTML text hidden from the reader.
    var hiddenText: Bool { obfuscations.contains(.hiddenHTML) }

    /// Whether `section` occurs in the sender's own words: outside every quotation and forwarded part.
    func says(_ section: Lexicon.Section) -> Bool {
        hits.offsets(section).contains { offset in !quoted.contains { $0.contains(offset) } }
    }

    /// Whether the message asks for `section` in its own words: a phrase outside every quotation and
    /// outside the advice against it ("never call", "non chiamare mai" hold a call word too).
    func asks(_ section: Lexicon.Section) -> Bool {
        let advice = hits.spans(.advice)
        return hits.offsets(section).contains { offset in
            !quoted.contains { $0.contains(offset) } && !advice.contains { $0.contains(offset) }
        }
    }

    var claimed: Brand? { claimOutsideText ?? textBrand }

    /// The brand the From display name names ("Amazon ⏳" <news@otto.de>), if any.
    let displayNameBrand: Brand?
    /// The brand the subject names, if any.
    let subjectBrand: Brand?

    /// The sender's claim is someone else's: the display name names a brand the From domain is not
    /// (whatever authenticated: a pass proves the domain, not the name), or the subject or a shown link
    /// names a brand that the unauthenticated From domain is not.
    var senderClaimMismatch: Bool {
        if let brand = displayNameBrand, !brand.owns(domain: fromDomain) { return true }
        guard let brand = claimOutsideText else { return false }
        return !brand.owns(domain: fromDomain) && !speaksForItself
    }

    /// The claim the sender makes about itself, when it is a foreign brand's.
    var foreignSenderClaim: Brand? {
        if let brand = displayNameBrand, !brand.owns(domain: fromDomain) { return brand }
        return senderClaimMismatch ? claimOutsideText : nil
    }
}

extension Detector {
    func signals(_ view: MessageView, envelope: Envelope, hits: Lexicon.Hits) -> MessageSignals {
        let text = view.normalizedText
        let fromDomain = view.from?.domain ?? ""
        let normalizedSubject = TextNormalizer.normalize(view.subject)
        let normalizedName = TextNormalizer.normalize(view.from?.displayName ?? "")
        // Who the sender says it is, each piece looked up once: the From domain's owner, the display
        // name's brand, a brand the From domain imitates; then the subject and links' shown hosts.
        let authentication = authentication(of: view, envelope: envelope)
        let passes = authentication.passes
        let domainBrand = fromDomain.isEmpty ? nil : brands.brand(owning: fromDomain)
        let displayNameBrand = brands.brand(mentionedIn: normalizedName)
        let subjectBrand = brands.brand(mentionedIn: normalizedSubject)
        let probe = LookalikeProbe(fromDomain)
        let imitated = domainBrand == nil && displayNameBrand == nil ? brands.brands.first(where: probe.imitates) : nil
        let senderBrand = domainBrand ?? displayNameBrand ?? imitated
        // Links' shown hosts only when nothing else names a brand (`??` evaluates lazily), each host once,
        // in the links' order: the first link showing a brand's host names it (iterating a Set named one
        // by the process's hash seed when links showed two brands; the screen's fuzz target found it).
        let linkBrand = { () -> Brand? in
            var looked: Set<String> = []
            for host in view.links.compactMap(\.shownHost) where looked.insert(host).inserted {
                if let brand = brands.brand(owning: host) { return brand }
            }
            return nil
        }
        let claimOutsideText = senderBrand ?? subjectBrand ?? linkBrand()
        // Brands that present a message are named in its opening: the first 8 KB are read for them, which
        // keeps long newsletters cheap.
        let opening = Self.prefix(text, bytes: 8192)
        var mentions = brands.mentions(in: opening)
        var spaced = false
        if mentions.isEmpty, let joined = Self.joiningSpacedLetters(opening) {
            mentions = brands.mentions(in: joined)
            spaced = !mentions.isEmpty
        }
        let textBrand = mentions.first?.brand
        let openingBytes = mentions.isEmpty ? [] : Array(opening.utf8)
        let signs = ["©", "copyright", "(c)"].map { Array($0.utf8) }
        let signedBrand = mentions.first { mention in
            let window = max(0, mention.offset - 24)..<min(mention.offset, openingBytes.count)
            return signs.contains { ByteSearch.first($0, in: openingBytes, range: window) != nil }
        }?.brand
        let claimed = claimOutsideText ?? textBrand
        let registrable = { (domain: String) in view.domain(domain).registrable ?? domain }
        let fromRegistrable = registrable(fromDomain)
        let openSender = !fromDomain.isEmpty && platforms.isOpenSender(fromDomain, registrable: fromRegistrable)
        let organizationAuthenticated = !fromDomain.isEmpty && !openSender && Self.aligned(fromDomain, with: passes)
        // Each linked host with its registrable domain, once: several signals below read them.
        let linkDomains = Set(view.links.map(\.host)).map { (host: $0, registrable: registrable($0)) }
        let written = view.toAddresses + envelope.recipients.map { $0.trimmingCharacters(in: ["<", ">", " "]) }
        let recipients = Set(written.map { $0.lowercased() }).filter { $0.contains("@") }
        let subject = view.subject.lowercased()
        let greetsByAddress = recipients.contains { subject.contains($0) || Self.greets(address: $0, in: text, greetings: lexicon.salutationWords) }
        // Only the organisation's mail can be a notice; the rest never needs what a notice asks for.
        let organization = isOrganization(fromDomain) && (Self.aligned(fromDomain, with: passes) || envelope.authenticatedUser != nil)
        return MessageSignals(
            hits: hits,
            subject: lexicon.scan(normalizedSubject),
            displayName: lexicon.scan(normalizedName),
            details: PersonalDetails(normalized: text, lexicon: lexicon),
            fromDomain: fromDomain,
            trustedPasses: passes,
            senderAuthenticated: organizationAuthenticated,
            speaksForItself: organizationAuthenticated && linkDomains.contains { link in
                link.registrable == fromRegistrable || domainBrand?.owns(domain: link.host) == true
            },
            forgedAuthentication: authentication.forged,
            organizationSender: organization,
            outsideLinks: organization && view.links.contains { !isOrganization($0.host) },
            quoted: hits.has(.awareness) && hits.has(.advice)
                ? Self.quotedSpans(in: text) + (Self.isForward(view.subject) ? hits.offsets(.forwarded).prefix(1).map { $0..<text.utf8.count } : [])
                : [],
            brandSenderAuthenticated: domainBrand.map { brand in passes.contains { brand.owns(domain: $0) } } ?? false,
            brandSenderFailed: domainBrand.map { brand in authentication.failed.contains { brand.owns(domain: $0) } } ?? false,
            senderBrand: senderBrand,
            claimOutsideText: claimOutsideText,
            textBrand: textBrand,
            brandMentions: mentions,
            signedBrand: signedBrand,
            spacedBrand: spaced,
            lookalike: claimed.map(probe.imitates) ?? (imitated != nil),
            freemailFrom: openSender,
            freemailReplyTo: hasFreemailReplyTo(view),
            replyElsewhere: view.replyTo.map { !$0.domain.isEmpty && registrable($0.domain) != fromRegistrable } ?? false,
            linkMismatch: hasLinkMismatch(view),
            riskyLinks: linkDomains.contains { platforms.isRiskyHost($0.host, registrable: $0.registrable) },
            hasLinks: !view.links.isEmpty,
            linksHomeOnly: !linkDomains.isEmpty && linkDomains.allSatisfy { $0.registrable == fromRegistrable },
            hasInvitation: view.attachments.contains { $0.mimeType == "text/calendar" || $0.mimeType == "application/ics" },
            fromFreeHost: !fromDomain.isEmpty && platforms.isRiskyHost(fromDomain, registrable: fromRegistrable),
            addressGreeting: greetsByAddress,
            imageOnly: text.utf8.count - subject.utf8.count < 160 && view.textParts.contains { $0.mimeType == "text/html" },
            phone: !view.phoneNumbers.isEmpty,
            obfuscations: view.obfuscations,
            displayNameBrand: displayNameBrand,
            subjectBrand: subjectBrand
        )
    }

    /// Spans between pairs of quotation marks (typographic ones are ASCII after normalization), up to
    /// 600 bytes each: an unpaired mark must not turn the rest of a message into a quotation. Single
    /// quotes count only at word edges (`'call us'`), so apostrophes (`don't`) open nothing.
    static func quotedSpans(in text: String) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        let bytes = Array(text.utf8)
        func isWordByte(_ i: Int) -> Bool {
            i >= 0 && i < bytes.count && (bytes[i] >= 0x80 || TextNormalizer.isASCIIAlphanumeric(bytes[i]))
        }
        var openDouble: Int?
        var openSingle: Int?
        for (offset, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\"") {
                if let start = openDouble {
                    if offset - start <= 600 { spans.append(start..<offset) }
                    openDouble = nil
                } else {
                    openDouble = offset
                }
            } else if byte == UInt8(ascii: "'") {
                if let start = openSingle, isWordByte(offset - 1) || bytes[offset - 1] == UInt8(ascii: "."), !isWordByte(offset + 1) {
                    if offset - start <= 600 { spans.append(start..<offset) }
                    openSingle = nil
                } else if openSingle == nil, !isWordByte(offset - 1), isWordByte(offset + 1) {
                    openSingle = offset
                }
            }
        }
        return spans
    }

    /// A subject a mail client wrote for a forward ("Fwd:", "WG:", "TR:", "I:", "RV:", "Doorst:"…): only
    /// then is a forwarded-message line the reader's client's, not a line the sender typed above a scam.
    static func isForward(_ subject: String) -> Bool {
        let lower = subject.lowercased().trimmingCharacters(in: .whitespaces)
        return ["fw:", "fwd:", "wg:", "tr:", "rv:", "i:", "enc:", "doorst:", "fs:", "vs:", "vl:", "ent:", "إعادة توجيه:", "توجيه:"]
            .contains { lower.hasPrefix($0) }
    }

    /// At most `bytes` bytes of `text`, cut at a scalar boundary.
    static func prefix(_ text: String, bytes: Int) -> String {
        let utf8 = text.utf8
        guard utf8.count > bytes else { return text }
        var end = utf8.index(utf8.startIndex, offsetBy: bytes)
        while end > utf8.startIndex, UTF8.isContinuation(utf8[end]) { end = utf8.index(before: end) }
        return String(text[..<end])
    }

    /// True when a greeting word stands right before `address` in the opening of the text ("hallo
    /// anna@example.org"). Bytes, not `String.range(of:)`: this runs on every message with details.
    static func greets(address: String, in text: String, greetings: Set<String>) -> Bool {
        let needle = Array(address.utf8)
        let bytes = Array(text.utf8.prefix(2000))
        var from = 0
        while let found = ByteSearch.first(needle, in: bytes, range: from..<bytes.count) {
            // The word before, skipping the spaces and punctuation between.
            var end = found.lowerBound
            while end > 0, bytes[end - 1] < 0x80, !TextNormalizer.isASCIIAlphanumeric(bytes[end - 1]) { end -= 1 }
            var start = end
            while start > 0, bytes[start - 1] >= 0x80 || TextNormalizer.isASCIIAlphanumeric(bytes[start - 1]) { start -= 1 }
            if start < end, found.lowerBound - end <= 3, greetings.contains(String(decoding: bytes[start..<end], as: UTF8.self)) { return true }
            from = found.lowerBound + 1
        }
        return false
    }

    /// The domain is one of the organisation's or below one.
    func isOrganization(_ domain: String) -> Bool {
        !domain.isEmpty && organizationDomains.contains { Brand.isSameOrSubdomain(domain.lowercased(), of: $0) }
    }

    /// A link whose text shows one domain while it leads to another. A link showing the sender's own site
    /// and leading through a click-tracking redirect is how nearly all marketing mail links: that alone
    /// says nothing, so only a link showing someone else's site counts.
    func hasLinkMismatch(_ view: MessageView) -> Bool {
        var seen = Set<String>()
        let from = view.from?.domain.lowercased() ?? ""
        let fromDomain = from.isEmpty ? "" : view.domain(from).registrable ?? from
        return view.links.contains { link in
            guard let shown = link.shownHost, seen.insert(link.host + " " + shown).inserted else { return false }
            let shownDomain = view.domain(shown).registrable ?? shown
            let realDomain = view.domain(link.host).registrable ?? link.host
            return shownDomain != realDomain && shownDomain != fromDomain
        }
    }

    /// The text with runs of three or more single letters separated by single spaces joined
    /// ("e b a y" → "ebay"), or nil when it has none: letter-spacing hides a brand's name from filters.
    static func joiningSpacedLetters(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var changed = false
        var index = 0
        func isLetter(_ i: Int) -> Bool { i >= 0 && i < bytes.count && bytes[i] >= 0x61 && bytes[i] <= 0x7A }
        func isSingle(_ i: Int) -> Bool { isLetter(i) && !isLetter(i - 1) && !isLetter(i + 1) }
        while index < bytes.count {
            // A run: letter, space, letter, space, letter… each letter standing alone.
            var end = index
            var count = isSingle(index) ? 1 : 0
            while count > 0, end + 2 < bytes.count, bytes[end + 1] == 0x20, isSingle(end + 2) {
                end += 2
                count += 1
            }
            if count >= 3 {
                var i = index
                while i <= end {
                    output.append(bytes[i])
                    i += 2
                }
                index = end + 1
                changed = true
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return changed ? String(decoding: output, as: UTF8.self) : nil
    }
}
