import Foundation

/// Byte-string search over unsafe buffers (`memchr` for the first byte, `memcmp` for the rest):
/// Foundation's generic `firstRange(of:)` on byte arrays cost more than the rest of a banner insertion
/// together. (glibc's `memmem` is not visible to Swift without _GNU_SOURCE.)
public enum ByteSearch {
    /// The first occurrence of `needle` in `haystack[range]`, as absolute indices.
    public static func first(_ needle: [UInt8], in haystack: [UInt8], range: Range<Int>? = nil) -> Range<Int>? {
        let range = range ?? 0..<haystack.count
        guard !needle.isEmpty, range.count >= needle.count else { return nil }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin -> Range<Int>? in
                guard let base = hay.baseAddress, let pinBase = pin.baseAddress else { return nil }
                var start = range.lowerBound
                let lastStart = range.upperBound - needle.count
                while start <= lastStart {
                    guard let hit = memchr(base + start, Int32(needle[0]), lastStart - start + 1) else { return nil }
                    start = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + start, pinBase, needle.count) == 0 { return start..<(start + needle.count) }
                    start += 1
                }
                return nil
            }
        }
    }

    /// The last occurrence of `needle` that ends at or before `end`.
    public static func last(_ needle: [UInt8], in haystack: [UInt8], before end: Int) -> Range<Int>? {
        var best: Range<Int>?
        var from = 0
        while let found = first(needle, in: haystack, range: from..<end) {
            best = found
            from = found.lowerBound + 1
        }
        return best
    }

    /// "\r\n" when the first line of `bytes` ends in CRLF, "\n" when in LF, nil when there is no line end.
    public static func lineEnding(of bytes: [UInt8]) -> String? {
        guard let newline = bytes.firstIndex(of: 0x0A) else { return nil }
        return newline > 0 && bytes[newline - 1] == 0x0D ? "\r\n" : "\n"
    }
}
