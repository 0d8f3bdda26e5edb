/// One SMTP connection's conversation with the milter.
///
/// libmilter calls a connection's callbacks one at a time on its own thread, so a session needs no
/// locking of its own. Anything a method throws is turned into the runner's failure policy; nothing
/// reaches C. Every method has a default that lets the message through.
public protocol MilterSession: AnyObject {
    func connect(hostname: String, address: String?, context: MilterContext) throws -> MilterStatus
    func envelopeFrom(_ arguments: [String], context: MilterContext) throws -> MilterStatus
    func envelopeRecipient(_ arguments: [String], context: MilterContext) throws -> MilterStatus
    /// A header as the MTA sent it: the value's raw bytes, because headers may carry 8-bit data.
    func header(name: String, value: [UInt8], context: MilterContext) throws -> MilterStatus
    func endOfHeaders(context: MilterContext) throws -> MilterStatus
    func body(_ chunk: UnsafeRawBufferPointer, context: MilterContext) throws -> MilterStatus
    func endOfMessage(context: MilterContext) throws -> MilterStatus
    /// The message was abandoned; the connection may carry another one. Reset per-message state.
    func abort(context: MilterContext)
    /// The connection is over. May come without `connect`; called once per session object.
    func close(context: MilterContext)
}

extension MilterSession {
    public func connect(hostname: String, address: String?, context: MilterContext) throws -> MilterStatus { .proceed }
    public func envelopeFrom(_ arguments: [String], context: MilterContext) throws -> MilterStatus { .proceed }
    public func envelopeRecipient(_ arguments: [String], context: MilterContext) throws -> MilterStatus { .proceed }
    public func header(name: String, value: [UInt8], context: MilterContext) throws -> MilterStatus { .proceed }
    public func endOfHeaders(context: MilterContext) throws -> MilterStatus { .proceed }
    public func body(_ chunk: UnsafeRawBufferPointer, context: MilterContext) throws -> MilterStatus { .proceed }
    public func endOfMessage(context: MilterContext) throws -> MilterStatus { .proceed }
    public func abort(context: MilterContext) {}
    public func close(context: MilterContext) {}
}
