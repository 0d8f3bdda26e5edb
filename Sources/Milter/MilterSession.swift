/// One SMTP connection's conversation with the milter.
///
/// libmilter calls a connection's callbacks one at a time on its own thread, so a session needs no
/// locking of its own. Anything a method throws is turned into the runner's failure policy; nothing
/// reaches C. Every method has a default that lets the message through.
public protocol MilterSession: AnyObject {
    func connect(hostname: String, address: String?, context: any MessageContext) throws -> MilterStatus
    func envelopeFrom(_ arguments: [String], context: any MessageContext) throws -> MilterStatus
    func envelopeRecipient(_ arguments: [String], context: any MessageContext) throws -> MilterStatus
    /// A header as the MTA sent it: the value's raw bytes, because headers may carry 8-bit data.
    func header(name: String, value: [UInt8], context: any MessageContext) throws -> MilterStatus
    func endOfHeaders(context: any MessageContext) throws -> MilterStatus
    func body(_ chunk: UnsafeRawBufferPointer, context: any MessageContext) throws -> MilterStatus
    func endOfMessage(context: any MessageContext) throws -> MilterStatus
    /// The message was abandoned; the connection may carry another one. Reset per-message state.
    func abort(context: any MessageContext)
    /// The connection is over. May come without `connect`; called once per session object.
    func close(context: any MessageContext)
}

extension MilterSession {
    public func connect(hostname: String, address: String?, context: any MessageContext) throws -> MilterStatus { .proceed }
    public func envelopeFrom(_ arguments: [String], context: any MessageContext) throws -> MilterStatus { .proceed }
    public func envelopeRecipient(_ arguments: [String], context: any MessageContext) throws -> MilterStatus { .proceed }
    public func header(name: String, value: [UInt8], context: any MessageContext) throws -> MilterStatus { .proceed }
    public func endOfHeaders(context: any MessageContext) throws -> MilterStatus { .proceed }
    public func body(_ chunk: UnsafeRawBufferPointer, context: any MessageContext) throws -> MilterStatus { .proceed }
    public func endOfMessage(context: any MessageContext) throws -> MilterStatus { .proceed }
    public func abort(context: any MessageContext) {}
    public func close(context: any MessageContext) {}
}
