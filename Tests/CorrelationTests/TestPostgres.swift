import Foundation
import Logging
import Testing
@testable import Correlation

/// The real PostgreSQL these tests run against: `GIFTCARD_TEST_POSTGRES` (a URL; its password in
/// `GIFTCARD_TEST_POSTGRES_PASSWORD`), as `scripts/test` provides it, or else a throwaway cluster this
/// process starts with `scripts/postgres-cluster` (needs Debian's postgresql and root). No fake server.
enum TestPostgres {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    static let server: Result<(location: PostgresLocation, password: String), Unavailable> = {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["GIFTCARD_TEST_POSTGRES"] {
            do {
                return .success((try PostgresLocation(parsing: url), environment["GIFTCARD_TEST_POSTGRES_PASSWORD"] ?? "giftcard-test"))
            } catch {
                return .failure(Unavailable(description: "GIFTCARD_TEST_POSTGRES: \(error)"))
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // posix_spawn and waitpid, not Foundation's Process: its waitUntilExit did not return here while
        // the server the script started (a grandchild) lived on.
        let outputPath = "/tmp/giftcard-swift-tests-pg.url"
        let script = root.appendingPathComponent("scripts/postgres-cluster").path
        let arguments = ["/bin/sh", "-c", "'\(script)' start /tmp/giftcard-swift-tests-pg 55431 > \(outputPath) 2> \(outputPath).err < /dev/null"]
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else {
            return .failure(Unavailable(description: "cannot run scripts/postgres-cluster"))
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        // The URL is stdout's last line; what the script said on stderr only explains a failure.
        let url = ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
            .split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        guard status == 0, let location = try? PostgresLocation(parsing: url) else {
            let said = (try? String(contentsOfFile: outputPath + ".err", encoding: .utf8)) ?? ""
            return .failure(Unavailable(description: "scripts/postgres-cluster could not start a test cluster (\(said)\(url)); install postgresql (scripts/install-deps) and run as root, or set GIFTCARD_TEST_POSTGRES"))
        }
        return .success((location, "giftcard-test"))
    }()

    /// Whether these tests can have a server: one named in `GIFTCARD_TEST_POSTGRES`, or root to start a
    /// throwaway cluster. Without either the suites are skipped with that reason; with either, a server
    /// that cannot be had fails them (CI runs as root and must never skip them quietly).
    static let reachable = ProcessInfo.processInfo.environment["GIFTCARD_TEST_POSTGRES"] != nil || geteuid() == 0
    static let skipReason: Comment = "needs PostgreSQL: run as root (scripts/postgres-cluster starts one) or set GIFTCARD_TEST_POSTGRES"

    /// A store on the test server (each call its own client, as each mail server has its own).
    static func store(timeout: Duration = .seconds(5), retention: TimeInterval = 7 * 24 * 3600) throws -> PostgresCorrelationStore {
        let (location, password) = try server.get()
        return try PostgresCorrelationStore(location: location, password: password, timeout: timeout, retention: retention,
                                            logger: quiet)
    }

    /// postgres-nio's own lines about failed connections would drown the test output.
    static var quiet: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    /// A location where nothing listens.
    static var nowhere: PostgresLocation {
        get throws { try PostgresLocation(parsing: "postgresql://giftcard@127.0.0.1:9/giftcard?sslmode=disable") }
    }

    /// Runs `body` on a thread of its own. The store blocks its caller until a task on Swift's
    /// cooperative pool has the answer, as it blocks libmilter's threads in the daemon; a test body
    /// blocking a pool thread itself (2 on this machine), while tests running beside it hold the other,
    /// would leave that task no thread until the store's deadline. (An expectation failing on that
    /// thread is reported at its file and line under «unknown» and fails the run.)
    static func offThePool(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    /// A fingerprint no other test uses (the tests share one database and run in parallel).
    static func fingerprint() -> String { "test-" + UUID().uuidString }
}
