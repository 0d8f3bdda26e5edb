import Actions
import Correlation
import Foundation
import Testing
@testable import GiftCardMilter
import Detection
import Milter

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
