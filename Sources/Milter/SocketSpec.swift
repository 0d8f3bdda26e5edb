import Foundation

/// A libmilter socket specification: `inet:PORT@HOST`, `inet6:PORT@HOST`, `unix:/path` or `local:/path`.
///
/// Parsed up front so that a typo fails config-test with a clear message instead of a libmilter error
/// at start-up. Postfix's own spelling `inet:HOST:PORT` is accepted and rewritten.
public enum SocketSpec: Sendable, Equatable, CustomStringConvertible {
    case inet(port: Int, host: String)
    case inet6(port: Int, host: String)
    case unix(path: String)

    public init(parsing text: String) throws(MilterError) {
        let spec = text.trimmingCharacters(in: .whitespaces)
        guard let colon = spec.firstIndex(of: ":") else {
            throw MilterError(code: "socket", detail: "'\(spec)' has no type; use inet:PORT@HOST, inet6:PORT@HOST or unix:/path")
        }
        let kind = spec[..<colon].lowercased()
        let rest = String(spec[spec.index(after: colon)...])
        switch kind {
        case "unix", "local":
            guard rest.hasPrefix("/") else {
                throw MilterError(code: "socket", detail: "'\(spec)': a unix socket needs an absolute path")
            }
            self = .unix(path: rest)
        case "inet", "inet6":
            let (port, host) = try Self.portAndHost(rest, spec: spec)
            self = kind == "inet" ? .inet(port: port, host: host) : .inet6(port: port, host: host)
        default:
            throw MilterError(code: "socket", detail: "'\(spec)': unknown socket type '\(kind)'")
        }
    }

    private static func portAndHost(_ rest: String, spec: String) throws(MilterError) -> (Int, String) {
        var portText = rest
        var host = ""
        if let at = rest.firstIndex(of: "@") {
            portText = String(rest[..<at])
            host = String(rest[rest.index(after: at)...])
        } else if let last = rest.lastIndex(of: ":"), Int(rest[rest.index(after: last)...]) != nil {
            // Postfix's spelling, inet:HOST:PORT.
            host = String(rest[..<last])
            portText = String(rest[rest.index(after: last)...])
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw MilterError(code: "socket", detail: "'\(spec)': port must be a number from 1 to 65535")
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (port, host.isEmpty ? "127.0.0.1" : host)
    }

    /// The form libmilter's `smfi_setconn` takes.
    public var description: String {
        switch self {
        case .inet(let port, let host): return "inet:\(port)@\(host)"
        case .inet6(let port, let host): return "inet6:\(port)@\(host)"
        case .unix(let path): return "unix:\(path)"
        }
    }
}
