import Foundation

/// Where the shared PostgreSQL state is, from `StateDatabase postgresql://user@host:port/db?sslmode=…`
/// (libpq's URI form, so the value a postmaster already uses for Postfix or Dovecot maps works here).
/// The password is never part of it: it comes from `StateDatabasePasswordFile`, so it is not on a
/// command line, in `ps`, in the configuration printed by `configtest`, or in a log line.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The socket file itself (libpq names the directory; `.s.PGSQL.<port>` is added here).
        case unixSocket(path: String)
    }

    /// libpq's `sslmode` values this client can honour.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        /// The server's certificate must chain to `sslrootcert` (or the system's roots).
        case verifyCA = "verify-ca"
        /// As verify-ca, and the certificate must name the host.
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var user: String
    public var database: String
    public var tls: TLSMode
    /// `sslrootcert`: CA certificates (PEM) for verify-ca and verify-full.
    public var rootCertificates: String?

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses the URI. Errors say what is wrong without repeating a password someone put in it.
    public init(parsing text: String) throws(Invalid) {
        guard text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") else {
            throw Invalid(description: "must start with postgresql:// (postgresql://user@host:5432/database?sslmode=require)")
        }
        guard let parts = URLComponents(string: text) else { throw Invalid(description: "is not a valid URI") }
        guard parts.password == nil else {
            throw Invalid(description: "must not hold a password: put it in StateDatabasePasswordFile (readable only by the milter)")
        }
        guard let user = parts.user, !user.isEmpty else { throw Invalid(description: "needs a user (postgresql://giftcard@host/database)") }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        guard !database.isEmpty, !database.contains("/") else { throw Invalid(description: "needs a database name after the host (…/giftcard)") }
        var query: [String: String] = [:]
        for item in parts.queryItems ?? [] {
            guard let value = item.value, !value.isEmpty else { throw Invalid(description: "parameter \(item.name) needs a value") }
            query[item.name] = value
        }
        let port = parts.port ?? query["port"].flatMap(Int.init) ?? 5432
        guard (1...65535).contains(port) else { throw Invalid(description: "port \(port) is out of range") }
        // libpq: a host that starts with "/" is the directory of a unix socket (given as ?host=/run/postgresql
        // or percent-encoded in the authority: postgresql://user@%2Frun%2Fpostgresql/db).
        let host = query["host"] ?? parts.host.flatMap { $0.removingPercentEncoding } ?? ""
        if host.hasPrefix("/") {
            endpoint = .unixSocket(path: (host as NSString).appendingPathComponent(".s.PGSQL.\(port)"))
        } else {
            guard !host.isEmpty else { throw Invalid(description: "needs a host (or ?host=/run/postgresql for a unix socket)") }
            endpoint = .tcp(host: host, port: port)
        }
        let mode = query["sslmode"] ?? "prefer"
        guard let tls = TLSMode(rawValue: mode) else {
            throw Invalid(description: "sslmode '\(mode)' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if case .unixSocket = endpoint, tls != .disable, tls != .prefer {
            throw Invalid(description: "sslmode \(mode) asks for TLS, which a unix socket does not carry; use sslmode=disable")
        }
        let unknown = Set(query.keys).subtracting(["sslmode", "sslrootcert", "host", "port"])
        guard unknown.isEmpty else { throw Invalid(description: "unknown parameter \(unknown.sorted().joined(separator: ", "))") }
        self.user = user
        self.database = database
        self.tls = tls
        rootCertificates = query["sslrootcert"]
    }

    /// The location without anything secret, as logs and `configtest` show it.
    public var description: String {
        switch endpoint {
        case .tcp(let host, let port):
            return "postgresql://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)?sslmode=\(tls.rawValue)"
        case .unixSocket(let path):
            return "postgresql://\(user)@/\(database)?host=\((path as NSString).deletingLastPathComponent)"
        }
    }

    /// Reads the password file: its first line. Refused when others may read it (as libpq refuses a
    /// loose ~/.pgpass): a password readable by every local user is not a secret.
    public static func password(fromFile path: String) throws(Invalid) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Invalid(description: "StateDatabasePasswordFile \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & 0o007 == 0 else {
            throw Invalid(description: "StateDatabasePasswordFile \(path) is readable by other users (mode \(String(info.st_mode & 0o777, radix: 8))); chmod o-rwx it")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw Invalid(description: "StateDatabasePasswordFile \(path): cannot read it as text")
        }
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard !line.isEmpty else { throw Invalid(description: "StateDatabasePasswordFile \(path) is empty") }
        return line
    }
}
