import CMilter

/// The MTA's handle on the current connection, valid only during the callback that received it.
///
/// Every action returns normally or throws `MilterError`; nothing here traps, so a session can turn
/// failures into its own policy.
public struct MilterContext: MessageContext {
    let raw: OpaquePointer

    init(_ raw: OpaquePointer) { self.raw = raw }

    /// The value of an MTA macro such as `i`, `{auth_authen}` or `{client_addr}`, if the MTA sent it.
    /// Names may be given with or without braces.
    public func macro(_ name: String) -> String? {
        func lookup(_ key: String) -> String? {
            key.withCString { cKey in
                guard let value = smfi_getsymval(raw, UnsafeMutablePointer(mutating: cKey)) else { return nil }
                return String(cString: value)
            }
        }
        if let value = lookup(name) { return value }
        if name.hasPrefix("{"), name.hasSuffix("}"), name.count > 2 {
            return lookup(String(name.dropFirst().dropLast()))
        }
        if name.count > 1 { return lookup("{\(name)}") }
        return nil
    }

    /// Appends a header at the end of the header block.
    public func addHeader(_ name: String, _ value: String) throws(MilterError) {
        try check(withC(name, value) { smfi_addheader(raw, $0, $1) }, "addheader", name)
    }

    /// Inserts a header before the header at `index` (0 is the top).
    public func insertHeader(at index: Int32, _ name: String, _ value: String) throws(MilterError) {
        try check(withC(name, value) { smfi_insheader(raw, index, $0, $1) }, "insheader", name)
    }

    /// Replaces the `index`th header called `name` (counted from 1 among headers of that name).
    public func changeHeader(_ name: String, index: Int32, to value: String) throws(MilterError) {
        try check(withC(name, value) { smfi_chgheader(raw, $0, index, $1) }, "chgheader", name)
    }

    /// Deletes the `index`th header called `name` (counted from 1 among headers of that name).
    public func deleteHeader(_ name: String, index: Int32) throws(MilterError) {
        let rc = name.withCString { smfi_chgheader(raw, UnsafeMutablePointer(mutating: $0), index, nil) }
        try check(rc, "delheader", "\(name)[\(index)]")
    }

    /// Replaces the whole body in 64 KB chunks, back to back, after all header edits.
    public func replaceBody(_ body: [UInt8]) throws(MilterError) { try replaceBody(body, chunkSize: 65_536) }

    public func replaceBody(_ body: [UInt8], chunkSize: Int) throws(MilterError) {
        if body.isEmpty {
            var empty: UInt8 = 0
            try check(smfi_replacebody(raw, &empty, 0), "replacebody", "empty")
            return
        }
        var offset = 0
        while offset < body.count {
            let end = min(offset + chunkSize, body.count)
            let rc = body[offset..<end].withUnsafeBufferPointer { chunk -> Int32 in
                guard let base = chunk.baseAddress else { return MI_FAILURE }
                return smfi_replacebody(raw, UnsafeMutablePointer(mutating: base), Int32(chunk.count))
            }
            try check(rc, "replacebody", "bytes \(offset)-\(end)")
            offset = end
        }
    }

    /// Puts the message on hold (Postfix's hold queue) with a reason.
    public func quarantine(reason: String) throws(MilterError) {
        let rc = reason.withCString { smfi_quarantine(raw, UnsafeMutablePointer(mutating: $0)) }
        try check(rc, "quarantine", reason)
    }

    /// Sets the SMTP reply for a reject or tempfail: `rcode` like "550", `xcode` like "5.7.1".
    /// Up to three lines; more than one makes a multi-line reply.
    public func setReply(code rcode: String, extended xcode: String, lines: [String]) throws(MilterError) {
        let clean = lines.prefix(3).map { $0.replacingOccurrences(of: "%", with: "%%") }
        let rc: Int32 = rcode.withCString { r in
            xcode.withCString { x in
                withOptionalC(clean, 0) { l1 in
                    withOptionalC(clean, 1) { l2 in
                        withOptionalC(clean, 2) { l3 in
                            gcm_setmlreply(raw, r, x, l1, l2, l3)
                        }
                    }
                }
            }
        }
        try check(rc, "setreply", rcode)
    }

    private func check(_ rc: Int32, _ code: String, _ detail: String) throws(MilterError) {
        if rc != MI_SUCCESS { throw MilterError(code: code, detail: detail) }
    }
}

private func withC(_ a: String, _ b: String,
                   _ body: (UnsafeMutablePointer<CChar>, UnsafeMutablePointer<CChar>) -> Int32) -> Int32 {
    a.withCString { ca in
        b.withCString { cb in body(UnsafeMutablePointer(mutating: ca), UnsafeMutablePointer(mutating: cb)) }
    }
}

private func withOptionalC(_ lines: [String], _ index: Int, _ body: (UnsafePointer<CChar>?) -> Int32) -> Int32 {
    guard index < lines.count else { return body(nil) }
    return lines[index].withCString { body($0) }
}
