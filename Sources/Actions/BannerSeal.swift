import MailView

/// What makes a banner this installation's, on this message, as placed: its reference is an HMAC, under
/// a key only this installation has, of the message's identity (Message-ID, else sender, date and subject),
/// the banner's own bytes (with a placeholder where the reference goes) and the part's content without
/// the banner, each with whitespace removed so line ends and re-wrapping on the way do not matter.
///
/// A re-injected message keeps its banner and gets no second one; a sender cannot suppress the banner
/// by replaying a reference he got on another message, or on this Message-ID with other content, or by
/// hiding it in a comment or a last line: only a sealed banner at the very top of the part counts.
public struct BannerSeal: Sendable, Equatable {
    /// Stands where the reference goes while the seal is computed: as long as a reference, hex only.
    public static let placeholder = String(repeating: "0", count: 16)

    let key: [UInt8]
    let identity: [UInt8]

    public init(key: [UInt8], messageID: String?, fallback: String) {
        self.key = key
        identity = Array((messageID.flatMap { $0.isEmpty ? nil : $0 } ?? fallback).utf8)
    }

    /// The reference for `banner` (rendered with the placeholder) placed on `content`.
    /// The digest reads identity, 0, the banner's kept bytes, 0, the content's kept bytes, in that order.
    func reference(banner: [UInt8], content: ArraySlice<UInt8>) -> String {
        var mac = HMACSHA256(key: key)
        mac.update(identity)
        mac.update([0])
        Self.updateKept(banner[...], into: &mac)
        mac.update([0])
        Self.updateKept(content, into: &mac)
        return String(mac.hex().prefix(16))
    }

    /// Digests the bytes that are not blanks or line ends, gathered a stack buffer at a time: this reads
    /// every byte of each bannered part, and a copy of the part would be an allocation as large.
    private static func updateKept(_ bytes: ArraySlice<UInt8>, into mac: inout HMACSHA256) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk in
            var filled = 0
            bytes.withUnsafeBufferPointer { input in
                for byte in input where isKept(byte) {
                    chunk[filled] = byte
                    filled += 1
                    if filled == chunk.count {
                        mac.update(UnsafeRawBufferPointer(chunk))
                        filled = 0
                    }
                }
            }
            mac.update(UnsafeRawBufferPointer(start: chunk.baseAddress, count: filled))
        }
    }

    private static func isKept(_ byte: UInt8) -> Bool { byte != 0x20 && byte != 0x09 && byte != 0x0D && byte != 0x0A }

    /// `banner` (rendered with the placeholder) with the reference for `content` in place of it.
    func sealed(_ banner: [UInt8], on content: [UInt8]) -> [UInt8] {
        let reference = Array(reference(banner: banner, content: content[...]).utf8)
        guard let at = ByteSearch.first(Array(Self.placeholder.utf8), in: banner, range: 0..<banner.count) else { return banner }
        var out = banner
        out.replaceSubrange(at, with: reference)
        return out
    }

    /// Whether `decoded` carries a banner this seal placed, starting exactly at `start` (the top of a plain
    /// part, or right after `<body…>`), for the content around it.
    func isSealed(_ decoded: [UInt8], at start: Int, html: Bool) -> Bool {
        guard let (block, reference) = Self.leadingBlock(in: decoded, at: start, html: html) else { return false }
        var banner = Array(decoded[block])
        banner.replaceSubrange(reference, with: Array(Self.placeholder.utf8))
        let written = String(decoding: decoded[(block.lowerBound + reference.lowerBound)..<(block.lowerBound + reference.upperBound)], as: UTF8.self)
        let content = decoded[..<block.lowerBound] + decoded[block.upperBound...]
        return written == self.reference(banner: banner, content: content)
    }

    /// The banner-shaped block at `start` and where its reference lies within it. Plain text: lines up to
    /// the marker (within 8 KB), the rule, the blank line. HTML: the `<div data-giftcard-banner="…">` up to
    /// its `</div>` (the banner holds no other element that closes with one).
    static func leadingBlock(in decoded: [UInt8], at start: Int, html: Bool) -> (block: Range<Int>, reference: Range<Int>)? {
        guard start <= decoded.count else { return nil }
        if html {
            let open = Array("<div data-giftcard-banner=\"".utf8)
            guard decoded[start...].starts(with: open) else { return nil }
            let reference = (start + open.count)..<(start + open.count + 16)
            guard reference.upperBound < decoded.count, decoded[reference.upperBound] == UInt8(ascii: "\""),
                  let close = ByteSearch.first(Array("</div>".utf8), in: decoded, range: reference.upperBound..<min(decoded.count, start + 16 * 1024))
            else { return nil }
            return (start..<close.upperBound, (reference.lowerBound - start)..<(reference.upperBound - start))
        }
        let marker = Array(Banner.marker("").utf8)
        guard let found = ByteSearch.first(marker, in: decoded, range: start..<min(decoded.count, start + 8 * 1024)) else { return nil }
        let reference = found.upperBound..<(found.upperBound + 16)
        var index = reference.upperBound
        // The marker's line end, the rule of 40 dashes with its line end, and the blank line.
        func lineEnd() -> Bool {
            if index < decoded.count, decoded[index] == 0x0D { index += 1 }
            guard index < decoded.count, decoded[index] == 0x0A else { return false }
            index += 1
            return true
        }
        guard reference.upperBound <= decoded.count, lineEnd() else { return nil }
        guard decoded[index...].starts(with: [UInt8](repeating: UInt8(ascii: "-"), count: 40)) else { return nil }
        index += 40
        guard lineEnd(), lineEnd() else { return nil }
        return (start..<index, (reference.lowerBound - start)..<(reference.upperBound - start))
    }
}
