import Foundation

/// A decoded address: what the reader sees as the sender's name, and where the mail says it is from.
public struct Mailbox: Sendable, Equatable {
    public var displayName: String
    public var address: String
    /// The address's domain, lower-cased; empty when the address has none.
    public var domain: String

    public init(displayName: String, address: String) {
        self.displayName = displayName
        self.address = address
        if let at = address.lastIndex(of: "@") {
            domain = address[address.index(after: at)...]
                .trimmingASCII(">. ").lowercased()
        } else {
            domain = ""
        }
    }
}
