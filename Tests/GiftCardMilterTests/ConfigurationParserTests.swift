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

@Suite struct PolicyConfigurationTests {
    @Test func policiesAndExemptionsAreRead() throws {
        let c = try ConfigurationParser.parse("OnSuspicious reject\nOnErroneous QUARANTINE\nInternalNetworks 10.0.0.0/8, 2001:db8::/32, 192.0.2.7\nExemptAuthenticated no\n")
        #expect(c.policy(for: .suspicious) == .reject)
        #expect(c.policy(for: .erroneous) == .quarantine)
        #expect(c.policy(for: .genuine) == .header)
        #expect(!c.exemptAuthenticated)
        #expect(c.internalNetworks.contains("10.20.30.40"))
        #expect(c.internalNetworks.contains("2001:db8:1::5"))
        #expect(c.internalNetworks.contains("192.0.2.7"))
        #expect(!c.internalNetworks.contains("192.0.2.8"))
        #expect(!c.internalNetworks.contains("11.0.0.1"))
        #expect(!c.internalNetworks.contains("not an address"))
    }

    @Test func bannerIsTheDefaultForFlaggedMailAndItsKeysAreRead() throws {
        let defaults = try ConfigurationParser.parse("")
        #expect(defaults.policy(for: .suspicious) == .banner)
        #expect(defaults.policy(for: .erroneous) == .banner)
        #expect(defaults.policy(for: .genuine) == .header)
        #expect(defaults.policy(for: .none) == .header)
        #expect(defaults.maximumBannerBytes == 10 * 1024 * 1024)
        let c = try ConfigurationParser.parse("OnErroneous header\nBannerHelpURL https://help.example.org/gc\nMaximumBannerBytes 4096\n")
        #expect(c.policy(for: .erroneous) == .header)
        #expect(c.bannerHelpURL == "https://help.example.org/gc")
        #expect(c.maximumBannerBytes == 4096)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gcm-banners-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "erroneous.text = Nothing to do; ask the help desk.\n".write(to: directory.appendingPathComponent("en.banner"), atomically: true, encoding: .utf8)
        let custom = try ConfigurationParser.parse("BannerDirectory \(directory.path)\n")
        #expect(custom.bannerTemplates.text("erroneous.text", language: "en") == "Nothing to do; ask the help desk.")
        try "erroneous.text = Call 0800 123 456 to check.\n".write(to: directory.appendingPathComponent("it.banner"), atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.self) { try ConfigurationParser.parse("BannerDirectory \(directory.path)\n") }
    }

    @Test(arguments: ["OnSuspicious explode", "InternalNetworks 10.0.0.0/40", "InternalNetworks example.org",
                      "BannerHelpURL help.example.org", "BannerDirectory relative/dir", "MaximumBannerBytes 12",
                      "OnNone banner", "OnGenuine banner"])
    func badPolicyValuesNameTheKey(_ text: String) {
        #expect(throws: ConfigurationError.self) { try ConfigurationParser.parse(text) }
    }

    @Test func exemptionsLowerThePolicyToHeaders() {
        var settings = PolicySettings(policies: [.suspicious: .reject])
        settings.internalNetworks = (try? NetworkList(parsing: "192.0.2.0/24")) ?? NetworkList()
        #expect(settings.decide(.suspicious, envelope: Envelope(clientAddress: "198.51.100.1")).0 == .reject)
        #expect(settings.decide(.suspicious, envelope: Envelope(clientAddress: "192.0.2.9")) == (.header, "internal-network"))
        #expect(settings.decide(.suspicious, envelope: Envelope(authenticatedUser: "alice")) == (.header, "authenticated"))
        #expect(settings.decide(.none, envelope: Envelope()).0 == .header)
        let reply = PolicySettings.replyText(Verdict(kind: .suspicious, score: 90, reasons: [], brand: nil, language: "ar",
                                                     explanation: "رسالة 100%"))
        #expect(reply.unicodeScalars.allSatisfy { $0.isASCII })
    }
}

@Suite struct ReloadTests {
    /// A reload names the keys it cannot apply live, and only those.
    @Test func onlyRestartKeysAreNamed() throws {
        let running = try ConfigurationParser.parse("OnSuspicious banner\nTimeout 300\n")
        let fresh = try ConfigurationParser.parse("OnSuspicious reject\nTimeout 120\nSocket unix:/run/x.sock\nBulkRecipients 3\n")
        #expect(Configuration.restartOnly(running, fresh) == ["Socket", "Timeout"])
        #expect(Configuration.restartOnly(running, running).isEmpty)
    }
}
