/// A libmilter call that failed, named by what was attempted.
public struct MilterError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Short machine-readable code, such as `addheader` or `setconn`.
    public let code: String
    public let detail: String

    public init(code: String, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }
}
