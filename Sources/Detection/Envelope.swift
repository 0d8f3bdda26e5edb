/// What the SMTP session said about a message, beyond its content.
public struct Envelope: Sendable, Equatable {
    public var sender: String
    public var recipients: [String]
    public var clientAddress: String?
    /// The SMTP AUTH identity (`{auth_authen}`), when the client authenticated.
    public var authenticatedUser: String?
    public var queueID: String?

    public init(sender: String = "", recipients: [String] = [], clientAddress: String? = nil,
                authenticatedUser: String? = nil, queueID: String? = nil) {
        self.sender = sender
        self.recipients = recipients
        self.clientAddress = clientAddress
        self.authenticatedUser = authenticatedUser
        self.queueID = queueID
    }
}
