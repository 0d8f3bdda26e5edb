/// Where correlation stood for one message when it was not the state file or shared database as usual.
/// Written in the audit record's `correlation_state` as `unavailable: …` or `memory: …` (the contract);
/// counted by the metrics from the value, not from the text.
public enum CorrelationState: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The store failed for this message: it was judged without cross-message facts.
    case unavailable(String)
    /// Judged with this host's memory: since start (no state directory), or while the shared database
    /// does not answer.
    case memory(String)

    public var description: String {
        switch self {
        case .unavailable(let why): "unavailable: \(why)"
        case .memory(let why): "memory: \(why)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        if text.hasPrefix("unavailable: ") {
            self = .unavailable(String(text.dropFirst("unavailable: ".count)))
        } else if text.hasPrefix("memory: ") {
            self = .memory(String(text.dropFirst("memory: ".count)))
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a correlation state: \(text)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
