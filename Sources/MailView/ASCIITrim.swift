/// Trimming by ASCII bytes: Foundation's `trimmingCharacters(in:)` bridges through NSString and showed
/// in the per-message profile, for what is always a handful of ASCII characters here.
extension StringProtocol {
    /// Without leading and trailing characters from `characters` (ASCII only).
    public func trimmingASCII(_ characters: StaticString = " \t\r\n") -> String {
        let set = UnsafeBufferPointer(start: characters.utf8Start, count: characters.utf8CodeUnitCount)
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, set.contains(bytes[start]) { start += 1 }
        while end > start, set.contains(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
