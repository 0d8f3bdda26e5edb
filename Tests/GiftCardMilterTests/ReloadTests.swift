import Actions
import Correlation
import Foundation
import Testing
@testable import GiftCardMilter
import Detection
import Milter

@Suite struct ReloadTests {
    /// A reload names the keys it cannot apply live, and only those.
    @Test func onlyRestartKeysAreNamed() throws {
        let running = try ConfigurationParser.parse("OnSuspicious banner\nTimeout 300\n")
        let fresh = try ConfigurationParser.parse("OnSuspicious reject\nTimeout 120\nSocket unix:/run/x.sock\nBulkRecipients 3\n")
        #expect(Configuration.restartOnly(running, fresh) == ["Socket", "Timeout"])
        #expect(Configuration.restartOnly(running, running).isEmpty)
        let restart = Configuration.keys.filter { $0.reload == .restart }.map(\.name)
        #expect(restart.contains("StateDatabase") && restart.contains("AuditLog") && !restart.contains("OnSuspicious"))
    }
}
