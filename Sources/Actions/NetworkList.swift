import Foundation

/// Networks whose mail is exempt from policies (headers only), as `InternalNetworks` lists them.
public struct NetworkList: Sendable, Equatable {
    struct Network: Sendable, Equatable {
        var bytes: [UInt8]
        var prefix: Int
    }

    private var networks: [Network] = []
    /// The entries as written, for `configtest`.
    public private(set) var entries: [String] = []

    public init() {}

    /// `192.0.2.0/24, 2001:db8::/32, 127.0.0.1`; throws a message naming the bad entry.
    public init(parsing text: String) throws(NetworkListError) {
        entries = text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        for entry in text.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.address(parts[0]) else {
                throw NetworkListError(message: "'\(entry)' is not an IP address or network")
            }
            let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefix, (0...(bytes.count * 8)).contains(prefix) else {
                throw NetworkListError(message: "'\(entry)' has a bad prefix length")
            }
            networks.append(Network(bytes: bytes, prefix: prefix))
        }
    }

    public var isEmpty: Bool { networks.isEmpty }

    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.address(address) else { return false }
        return networks.contains { network in
            guard network.bytes.count == bytes.count else { return false }
            var remaining = network.prefix
            for index in 0..<bytes.count where remaining > 0 {
                let bits = min(8, remaining)
                let mask: UInt8 = bits == 8 ? 0xFF : ~(0xFF >> UInt8(bits))
                if bytes[index] & mask != network.bytes[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    /// The address's bytes (4 for IPv4, 16 for IPv6), through inet_pton.
    static func address(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

/// A network list entry that is not an address or network, in words for the configuration error.
public struct NetworkListError: Error, Sendable {
    public let message: String
}
