import Detection

/// Per-verdict policies and who is exempt from them.
public struct PolicySettings: Sendable {
    public var policies: [VerdictKind: VerdictPolicy]
    public var internalNetworks: NetworkList
    public var exemptAuthenticated: Bool

    public init(policies: [VerdictKind: VerdictPolicy] = [:], internalNetworks: NetworkList = NetworkList(), exemptAuthenticated: Bool = true) {
        self.policies = policies
        self.internalNetworks = internalNetworks
        self.exemptAuthenticated = exemptAuthenticated
    }

    /// True when some verdict's policy is `banner`, so bodies must be kept whole.
    public var mayBanner: Bool { policies.values.contains(.banner) }

    /// The policy to apply, and why it was lowered to `header` if it was.
    public func decide(_ kind: VerdictKind, envelope: Envelope) -> (VerdictPolicy, exemption: String?) {
        let wanted = policies[kind] ?? .header
        guard wanted != .header else { return (.header, nil) }
        if exemptAuthenticated, envelope.authenticatedUser != nil { return (.header, "authenticated") }
        if let client = envelope.clientAddress, internalNetworks.contains(client) { return (.header, "internal-network") }
        return (wanted, nil)
    }

    /// A one-line SMTP reply: the verdict's explanation in printable ASCII.
    public static func replyText(_ verdict: Verdict) -> String {
        let text = "giftcard-milter: " + verdict.explanation
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? $0 : "?" }).prefix(400))
    }
}
