import CGMime

/// Charset conversion through GMime, which knows the charsets mail uses (windows-1256, ISO-2022-JP…).
public enum CharsetConversion {
    /// Text converted between charsets by GMime's names (aliases resolved); nil when the text cannot be
    /// represented in `to` or a charset is unknown.
    public static func convert(_ bytes: [UInt8], to: String, from: String) -> [UInt8]? {
        guard !bytes.isEmpty else { return [] }
        MessageParser.initializeGMime()  // GMime's charset tables
        guard let converted = bytes.withUnsafeBufferPointer({ gcm_convert($0.baseAddress, $0.count, to, from) }) else { return nil }
        return take(converted)
    }
}
