import Testing
@testable import Milter

@Suite struct SocketSpecTests {
    @Test func parsesLibmilterForms() throws {
        #expect(try SocketSpec(parsing: "inet:8894@127.0.0.1") == .inet(port: 8894, host: "127.0.0.1"))
        #expect(try SocketSpec(parsing: "inet6:8894@[::1]") == .inet6(port: 8894, host: "::1"))
        #expect(try SocketSpec(parsing: "unix:/run/x.sock") == .unix(path: "/run/x.sock"))
        #expect(try SocketSpec(parsing: "local:/run/x.sock") == .unix(path: "/run/x.sock"))
    }

    @Test func acceptsPostfixSpelling() throws {
        #expect(try SocketSpec(parsing: "inet:localhost:9000") == .inet(port: 9000, host: "localhost"))
        #expect(try SocketSpec(parsing: "inet:localhost:9000").description == "inet:9000@localhost")
    }

    @Test(arguments: ["", "8894", "inet:", "inet:abc@x", "inet:70000@x", "unix:relative", "tcp:1@x"])
    func rejectsBadSpecs(_ text: String) {
        #expect(throws: MilterError.self) { try SocketSpec(parsing: text) }
    }
}
