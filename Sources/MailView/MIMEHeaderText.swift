import CGMime

/// Header texts GMime writes for a part whose charset changes; the banner edit uses them.
public enum MIMEHeaderText {
    /// A part's header block (the lines after its boundary line, without the blank line) as GMime
    /// writes it once the `charset` parameter and the transfer encoding are set; nil if unreadable.
    public static func partHeaders(_ block: ArraySlice<UInt8>, charset: String, encoding: TransferEncoding) -> String? {
        MessageParser.initializeGMime()
        let text = block.withUnsafeBufferPointer { gcm_part_headers_with($0.baseAddress, $0.count, charset, encoding.gmime) }
        guard let text else { return nil }
        defer { gcm_free(text) }
        return String(cString: text)
    }

    /// A Content-Type value (`text/plain` when nil) with its `charset` parameter set, unfolded.
    public static func contentType(_ value: String?, charset: String) -> String? {
        MessageParser.initializeGMime()
        guard let text = gcm_content_type_with_charset(value, charset) else { return nil }
        defer { gcm_free(text) }
        return unfold(String(cString: text))
    }
}
