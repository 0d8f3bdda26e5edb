/// A `MessageContext` over a message held in memory: each action is applied to the headers and body as
/// an MTA applies it (Postfix's and Sendmail's header indices), so `check`, the corpus snapshot and the
/// tests carry a session's plan out the way the daemon does, and read back the message as delivered.
/// What swift-nio's `EmbeddedChannel` is to a channel pipeline.
public final class InMemoryContext: MessageContext {
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: [UInt8]

        public init(name: String, value: [UInt8]) {
            self.name = name
            self.value = value
        }
    }

    public var macros: [String: String]
    /// The headers in order, as the MTA holds them after the actions so far.
    public private(set) var headers: [Header]
    /// The body, replaced by `replaceBody`.
    public private(set) var body: [UInt8]
    /// Set by `quarantine`.
    public private(set) var quarantineReason: String?
    /// Set by `setReply`: the code, extended code and text lines.
    public private(set) var reply: (code: String, extended: String, lines: [String])?
    /// True once `replaceBody` was called.
    public private(set) var bodyReplaced = false

    public init(headers: [Header], body: [UInt8], macros: [String: String] = [:]) {
        self.headers = headers
        self.body = body
        self.macros = macros
    }

    public func macro(_ name: String) -> String? { macros[name] }

    public func addHeader(_ name: String, _ value: String) throws(MilterError) {
        headers.append(Header(name: name, value: Array(value.utf8)))
    }

    public func insertHeader(at index: Int32, _ name: String, _ value: String) throws(MilterError) {
        headers.insert(Header(name: name, value: Array(value.utf8)), at: min(max(Int(index), 0), headers.count))
    }

    /// The `index`th header of that name (from 1) is changed; past the last one, the header is added, as
    /// libmilter documents for `smfi_chgheader`.
    public func changeHeader(_ name: String, index: Int32, to value: String) throws(MilterError) {
        if let position = position(of: name, index: index) {
            headers[position].value = Array(value.utf8)
        } else {
            try addHeader(name, value)
        }
    }

    public func deleteHeader(_ name: String, index: Int32) throws(MilterError) {
        if let position = position(of: name, index: index) { headers.remove(at: position) }
    }

    public func replaceBody(_ body: [UInt8]) throws(MilterError) {
        self.body = body
        bodyReplaced = true
    }

    public func quarantine(reason: String) throws(MilterError) { quarantineReason = reason }

    public func setReply(code rcode: String, extended xcode: String, lines: [String]) throws(MilterError) {
        reply = (rcode, xcode, lines)
    }

    /// Where the `index`th header called `name` is (counted from 1, names compared case-insensitively).
    private func position(of name: String, index: Int32) -> Int? {
        guard index >= 1 else { return nil }
        let wanted = name.lowercased()
        var seen: Int32 = 0
        for (position, header) in headers.enumerated() where header.name.lowercased() == wanted {
            seen += 1
            if seen == index { return position }
        }
        return nil
    }
}
