import Actions
import Correlation
import Foundation
import Testing
@testable import GiftCardMilter
import Detection
import Milter

@Suite struct ConfigurationParserTests {
    @Test func emptyFileGivesDefaults() throws {
        let config = try ConfigurationParser.parse("# nothing\n\n")
        #expect(config.socket == .inet(port: 8894, host: "127.0.0.1"))
        #expect(config.onInternalError == .accept)
        #expect(!config.trustedAuthservIDs.isEmpty)
    }

    /// A file saved with CRLF line ends reads like the same file with LF ends: every key on its own line,
    /// UserID taken, no later line's words read as trusted authserv-ids.
    @Test func crlfLineEndsAreLineEnds() throws {
        let text = "UserID gcm:gcm\r\nTrustedAuthservIDs mx1.example.org\r\n# comment\r\nSyslog no\r\n"
        let c = try ConfigurationParser.parse(text)
        #expect(c.userID == "gcm:gcm")
        #expect(c.trustedAuthservIDs == ["mx1.example.org"])
        #expect(!c.syslog)
        // And a bad value is still reported on its own line.
        #expect(throws: ConfigurationError.self) { try ConfigurationParser.parse("Syslog no\r\nSocketMode 9999\r\n") }
        do {
            _ = try ConfigurationParser.parse("Syslog no\r\nSocketMode 9999\r\n")
        } catch {
            #expect(error.line == 2 && error.key == "SocketMode")
        }
    }

    /// A byte-order mark, tabs between key and value and trailing blanks read like plain spaces.
    @Test func bomTabsAndTrailingBlanksAreRead() throws {
        let c = try ConfigurationParser.parse("\u{FEFF}Socket\tlocal:/run/gcm.sock \t\nUserID\t\tgcm:gcm   \n")
        #expect(c.socket == .unix(path: "/run/gcm.sock"))
        #expect(c.userID == "gcm:gcm")
    }

    /// `#` starts a comment at the start of a line or after a blank, not inside a value.
    @Test func hashInsideAValueIsKept() throws {
        let c = try ConfigurationParser.parse("BannerHelpURL https://help.example.org/#gift-cards   # our help page\n")
        #expect(c.bannerHelpURL == "https://help.example.org/#gift-cards")
    }

    @Test func readsEveryKey() throws {
        let text = """
        Socket            local:/run/gcm/gcm.sock
        SocketMode        0660
        SocketGroup       postfix
        UMask             002
        UserID            gcm:gcm
        PidFile           /run/gcm/gcm.pid
        Syslog            yes
        SyslogFacility    local3
        LogLevel          debug
        TrustedAuthservIDs mx1.example.org, mx2.example.org
        MaximumBodyBytes  65536
        MaximumMimeDepth  8
        MaximumMimeParts  40
        MaximumHeaders    100
        MaximumHeaderBytes 2048
        Timeout           60
        OnInternalError   tempfail
        Brand corner-shop; domains: cornershop.example, mail.cornershop.example; names: Corner Shop, متجر الزاوية
        """
        let c = try ConfigurationParser.parse(text)
        #expect(c.socket == .unix(path: "/run/gcm/gcm.sock"))
        #expect(c.socketMode == 0o660 && c.umask == 0o002)
        #expect(c.socketGroup == "postfix" && c.userID == "gcm:gcm" && c.pidFile == "/run/gcm/gcm.pid")
        #expect(c.syslog && c.syslogFacility == "local3" && c.logLevel == "debug")
        #expect(c.trustedAuthservIDs == ["mx1.example.org", "mx2.example.org"])
        #expect(c.limits.maxBodyBytes == 65536 && c.limits.maxMimeDepth == 8 && c.limits.maxMimeParts == 40)
        #expect(c.limits.maxHeaders == 100 && c.limits.maxHeaderBytes == 2048)
        #expect(c.timeout == 60 && c.onInternalError == .tempfail)
        #expect(c.brands.brand(id: "corner-shop")?.names == ["Corner Shop", "متجر الزاوية"])
        #expect(c.brands.brand(id: "amazon") != nil)
    }

    @Test func readsTheSharedStateKeys() throws {
        let c = try ConfigurationParser.parse("""
            StateDatabase postgresql://giftcard@db.example.org/giftcard?sslmode=require
            StateDatabasePasswordFile /etc/giftcard-milter/database-password
            StateTimeout 250ms
            """)
        #expect(c.stateDatabase?.endpoint == .tcp(host: "db.example.org", port: 5432))
        #expect(c.stateDatabase?.tls == .require)
        #expect(c.stateDatabasePasswordFile == "/etc/giftcard-milter/database-password")
        #expect(c.stateTimeout == .milliseconds(250))
        #expect(try ConfigurationParser.parse("StateTimeout 2s").stateTimeout == .seconds(2))
        #expect(try ConfigurationParser.parse("").stateDatabase == nil)
        #expect(try ConfigurationParser.parse("").stateTimeout == .milliseconds(300))
    }

    @Test(arguments: [
        ("Socket inet:nope", "Socket", 1),
        ("\nFrobnicate yes", "Frobnicate", 2),
        ("Syslog maybe", "Syslog", 1),
        ("SocketMode 999", "SocketMode", 1),
        ("Timeout", "Timeout", 1),
        ("Timeout 5\nTimeout 6", "Timeout", 2),
        ("Brand x; names: X", "Brand", 1),
        ("OnInternalError explode", "OnInternalError", 1),
        ("PidFile relative.pid", "PidFile", 1),
        ("StateDatabase postgresql://u:pw@h/d", "StateDatabase", 1),
        ("StateTimeout 5", "StateTimeout", 1),
        ("StateTimeout soon", "StateTimeout", 1),
        ("\nStateDatabasePasswordFile /etc/pw", "StateDatabasePasswordFile", 2),
    ])
    func errorsNameTheKeyAndLine(_ text: String, _ key: String, _ line: Int) {
        do {
            _ = try ConfigurationParser.parse(text, file: "test.conf")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.key == key)
            #expect(error.line == line)
            #expect(error.description.hasPrefix("test.conf:\(line): \(key): "))
        }
    }
}
