/// Fast scalar iteration over UTF-8 bytes, for the passes that look at every character of a message.
///
/// Swift's `unicodeScalars` and `Character` iteration, with a property look-up per step, cost too much
/// for the per-message budget; ASCII, which most mail is, needs no look-up at all. An iterator (rather
/// than a closure) keeps the callers' state in plain locals, free of dynamic exclusivity checks.
public struct UTF8ScalarIterator {
    private let bytes: UnsafeBufferPointer<UInt8>
    public private(set) var offset: Int

    /// Iterates from `offset`, which must be where a scalar starts.
    public init(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// The next scalar's value and the byte offset where it starts. Invalid sequences come back as
    /// U+FFFD one byte at a time.
    @inline(__always)
    public mutating func next() -> (value: UInt32, start: Int)? {
        let index = offset
        guard index < bytes.count else { return nil }
        let lead = bytes[index]
        if lead < 0x80 {
            offset = index + 1
            return (UInt32(lead), index)
        }
        var value: UInt32
        var length: Int
        switch lead {
        case 0xC2...0xDF: value = UInt32(lead & 0x1F); length = 2
        case 0xE0...0xEF: value = UInt32(lead & 0x0F); length = 3
        case 0xF0...0xF4: value = UInt32(lead & 0x07); length = 4
        default: value = 0xFFFD; length = 1
        }
        if length > 1 {
            if index + length > bytes.count {
                value = 0xFFFD
                length = 1
            } else {
                for step in 1..<length { value = value << 6 | UInt32(bytes[index + step] & 0x3F) }
            }
        }
        offset = index + length
        return (value, index)
    }
}

enum UTF8Scan {
    @inline(__always)
    static func isASCIILetter(_ value: UInt32) -> Bool { value | 0x20 >= 0x61 && value | 0x20 <= 0x7A }

    @inline(__always)
    static func isASCIIDigit(_ value: UInt32) -> Bool { value >= 0x30 && value <= 0x39 }
}
