import Detection
import Foundation
import Synchronization
import Testing
@testable import Correlation

@Suite struct PostgresLocationTests {
    @Test func readsLibpqURIs() throws {
        let tcp = try PostgresLocation(parsing: "postgresql://giftcard@db.example.org:6543/state?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem")
        #expect(tcp.endpoint == .tcp(host: "db.example.org", port: 6543))
        #expect(tcp.user == "giftcard" && tcp.database == "state" && tcp.tls == .verifyFull && tcp.rootCertificates == "/etc/ssl/ca.pem")
        let plain = try PostgresLocation(parsing: "postgres://milter@10.0.0.5/giftcard")
        #expect(plain.endpoint == .tcp(host: "10.0.0.5", port: 5432) && plain.tls == .prefer)
        let socket = try PostgresLocation(parsing: "postgresql://milter@/giftcard?host=/var/run/postgresql&sslmode=disable")
        #expect(socket.endpoint == .unixSocket(path: "/var/run/postgresql/.s.PGSQL.5432"))
        let encoded = try PostgresLocation(parsing: "postgresql://milter@%2Frun%2Fpostgresql:5433/giftcard")
        #expect(encoded.endpoint == .unixSocket(path: "/run/postgresql/.s.PGSQL.5433"))
        #expect(tcp.description == "postgresql://giftcard@db.example.org:6543/state?sslmode=verify-full")
    }

    @Test func refusesAPasswordInTheURIWithoutRepeatingIt() {
        do {
            _ = try PostgresLocation(parsing: "postgresql://giftcard:s3cret@db/giftcard")
            Issue.record("a password in the URI was accepted")
        } catch {
            #expect(error.description.contains("StateDatabasePasswordFile"))
            #expect(!error.description.contains("s3cret"))
        }
    }

    @Test func refusesWhatItCannotHonour() {
        for bad in ["mysql://u@h/d", "postgresql://h/d", "postgresql://u@h/", "postgresql://u@h/d?sslmode=allow",
                    "postgresql://u@h/d?application_name=x", "postgresql://u@/d?host=/run/postgresql&sslmode=require"] {
            #expect(throws: PostgresLocation.Invalid.self, "\(bad)") { try PostgresLocation(parsing: bad) }
        }
    }

    @Test func aPasswordFileOthersCanReadIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gcm-pw-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data("secret\nignored\n".utf8), attributes: [.posixPermissions: 0o644]))
        #expect(throws: PostgresLocation.Invalid.self) { try PostgresLocation.password(fromFile: path) }
        chmod(path, 0o640)
        #expect(try PostgresLocation.password(fromFile: path) == "secret")
    }
}
