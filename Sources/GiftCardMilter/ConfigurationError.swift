/// A problem in a configuration file, naming the file, line and key.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int
    public let key: String
    public let message: String

    public init(file: String, line: Int, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line): \(key): \(message)" : "\(file): \(key.isEmpty ? "" : "\(key): ")\(message)"
    }
}
