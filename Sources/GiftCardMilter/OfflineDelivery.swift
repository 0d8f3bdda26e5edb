import Detection
import MailView
import Milter

/// A message file through a `GiftCardSession` as libmilter hands a message over (envelope, every header,
/// the body in chunks, end of message), carried out on an `InMemoryContext`: `check`, the corpus
/// snapshot and the tests get the daemon's verdict, plan and delivered bytes from the daemon's own path.
public enum OfflineDelivery {
    public struct Delivered {
        public var judged: GiftCardSession.Judged
        /// The message as the MTA holds it after the plan was carried out.
        public var context: InMemoryContext

        /// The message as delivered: headers as the MTA holds them, then the body.
        public var message: RawMessage { context.message }
    }

    /// One libmilter body chunk (MILTER_CHUNK_SIZE).
    public static let chunkSize = 65_535

    /// Feeds `bytes` (a message file: headers, blank line, body) through `session`. What the session
    /// throws is thrown (the daemon turns it into its failure policy).
    public static func deliver(_ bytes: [UInt8], through session: GiftCardSession, envelope: Envelope,
                               queueID: String = "NOQUEUE") throws -> Delivered {
        var judged: GiftCardSession.Judged?
        session.onJudged = { judged = $0 }
        defer { session.onJudged = nil }
        let (headers, body) = RawMessage.split(bytes)
        let context = InMemoryContext(headers: headers.map { InMemoryContext.Header(name: $0.name, value: $0.value) }, body: Array(body))
        if let address = envelope.clientAddress { context.macros["{client_addr}"] = address }
        if let user = envelope.authenticatedUser { context.macros["{auth_authen}"] = user }
        context.macros["i"] = queueID
        _ = try session.connect(hostname: "localhost", address: envelope.clientAddress, context: context)
        _ = try session.envelopeFrom(["<\(envelope.sender)>"], context: context)
        for recipient in envelope.recipients { _ = try session.envelopeRecipient(["<\(recipient)>"], context: context) }
        for header in headers { _ = try session.header(name: header.name, value: header.value, context: context) }
        _ = try session.endOfHeaders(context: context)
        var offset = body.startIndex
        while offset < body.endIndex {
            let end = min(offset + chunkSize, body.endIndex)
            let status = try body[offset..<end].withUnsafeBytes { try session.body($0, context: context) }
            if status == .skip { break }
            offset = end
        }
        _ = try session.endOfMessage(context: context)
        guard let judged else { throw MilterError(code: "eom", detail: "the session judged nothing") }
        return Delivered(judged: judged, context: context)
    }
}
