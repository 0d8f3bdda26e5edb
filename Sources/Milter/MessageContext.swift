/// What a session may do with the message in hand: the MTA's macros and the actions of the milter
/// protocol. `MilterContext` carries them out through libmilter; a test's fake records them, so a
/// session's behaviour (which headers, in what order, before the body) is tested without an MTA.
public protocol MessageContext {
    /// The value of an MTA macro such as `i`, `{auth_authen}` or `{client_addr}`, if the MTA sent it.
    func macro(_ name: String) -> String?
    /// Appends a header at the end of the header block.
    func addHeader(_ name: String, _ value: String) throws(MilterError)
    /// Inserts a header before the header at `index` (0 is the top).
    func insertHeader(at index: Int32, _ name: String, _ value: String) throws(MilterError)
    /// Replaces the `index`th header called `name` (counted from 1 among headers of that name).
    func changeHeader(_ name: String, index: Int32, to value: String) throws(MilterError)
    /// Deletes the `index`th header called `name` (counted from 1 among headers of that name).
    func deleteHeader(_ name: String, index: Int32) throws(MilterError)
    /// Replaces the whole body, after all header edits.
    func replaceBody(_ body: [UInt8]) throws(MilterError)
    /// Puts the message on hold with a reason.
    func quarantine(reason: String) throws(MilterError)
    /// Sets the SMTP reply for a reject or tempfail.
    func setReply(code rcode: String, extended xcode: String, lines: [String]) throws(MilterError)
}
