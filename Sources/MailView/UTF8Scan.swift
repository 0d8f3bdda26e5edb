/// Fast scalar iteration over a string's UTF-8, for the passes that look at every character of a
/// message. Swift's `unicodeScalars` and `Character` iteration, with a property look-up per step,
/// cost too much for the per-message budget; ASCII, which most mail is, needs no look-up at all.
enum UTF8Scan {
    /// Calls `body` with each scalar's value and the byte offset where it starts. Invalid sequences
    /// are passed as U+FFFD one byte at a time.
    @inline(__always)
    static func forEachScalar(in text: String, _ body: (UInt32, Int) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            let count = bytes.count
            while index < count {
                let lead = bytes[index]
                if lead < 0x80 {
                    body(UInt32(lead), index)
                    index += 1
                    continue
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
                    if index + length > count {
                        value = 0xFFFD
                        length = 1
                    } else {
                        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
                    }
                }
                body(value, index)
                index += length
            }
        }
    }

    @inline(__always)
    static func isASCIILetter(_ value: UInt32) -> Bool { value | 0x20 >= 0x61 && value | 0x20 <= 0x7A }

    @inline(__always)
    static func isASCIIDigit(_ value: UInt32) -> Bool { value >= 0x30 && value <= 0x39 }
}
