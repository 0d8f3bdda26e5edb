import Actions
import Correlation
import Detection
import Foundation
import Prometheus
import Testing
@testable import GiftCardMilter

/// What `MetricsListen` exposes, read back from swift-prometheus's own exposition text.
@Suite struct MessageMetricsTests {
    /// The value of one exposed sample, by its full name with labels as the registry writes them.
    static func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    static func audit(verdict: Verdict, action: String, banner: String, limits: [String] = [], ms: Double) -> AuditRecord {
        AuditRecord(time: Date(), queueID: "Q1", messageID: nil, clientAddress: nil, envelopeSender: "a@example.net",
                    recipients: ["b@example.org"], hashRecipients: false, from: nil, fromDomain: nil, subject: "s",
                    verdict: verdict, action: action, banner: banner, limitsReached: limits, processingMilliseconds: ms,
                    version: Daemon.version)
    }

    @Test func messagesAreCountedByVerdictActionBannerReasonAndLimit() {
        let metrics = MessageMetrics()
        let scam = Verdict(kind: .suspicious, score: 90, reasons: [.callbackPhone, .brandDomainMismatch], brand: "amazon", language: "en", explanation: "")
        metrics.record(Self.audit(verdict: scam, action: "banner", banner: "placed", ms: 0.8))
        metrics.record(Self.audit(verdict: scam, action: "banner", banner: "signed", ms: 3))
        metrics.record(Self.audit(verdict: Verdict(kind: .none, score: 0, reasons: [], brand: nil, language: "en", explanation: ""), action: "header",
                                  banner: "none", limits: ["mime-depth"], ms: 0.3))
        let text = metrics.registry.emitToString()
        #expect(Self.sample(text, #"giftcard_messages_total{verdict="suspicious",action="banner",banner="placed"}"#) == 1)
        #expect(Self.sample(text, #"giftcard_messages_total{verdict="suspicious",action="banner",banner="signed"}"#) == 1)
        #expect(Self.sample(text, #"giftcard_messages_total{verdict="none",action="header",banner="none"}"#) == 1)
        #expect(Self.sample(text, #"giftcard_reasons_total{reason="\#(Reason.callbackPhone.rawValue)"}"#) == 2)
        #expect(Self.sample(text, #"giftcard_limits_reached_total{limit="mime-depth"}"#) == 1)
        #expect(Self.sample(text, "giftcard_processing_seconds_count") == 3)
        // 0.3 ms and 0.8 ms are at most 1 ms, 3 ms is not.
        #expect(Self.sample(text, #"giftcard_processing_seconds_bucket{le="0.001"}"#) == 2)
        #expect(Self.sample(text, #"giftcard_build_info{version="\#(Daemon.version)"}"#) == 1)
    }

    /// Every family the daemon exposes says what it counts (`promtool check metrics` wants `# HELP`), and a
    /// message judged from this host's memory (the shared database down) is counted as such.
    @Test func everyFamilyHasHelpAndMemoryJudgementsAreCounted() throws {
        let metrics = MessageMetrics()
        let none = Verdict(kind: .none, score: 0, reasons: [.callbackPhone], brand: nil, language: "en", explanation: "")
        var audit = Self.audit(verdict: none, action: "header", banner: "none", limits: ["mime-depth"], ms: 0.3)
        audit.correlationState = .memory("shared state unavailable")
        metrics.record(audit)
        audit.correlationState = .unavailable("database down")
        metrics.record(audit)
        _ = try metrics.measured(Flaky(), as: "postgresql").recordConfirmation(fingerprint: "f", recipients: ["a"], at: Date(), window: 60)
        let text = metrics.registry.emitToString()
        let types = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        #expect(types.count >= 10)
        for family in types {
            #expect(text.contains("# HELP \(family) "), "\(family)")
        }
        #expect(Self.sample(text, "giftcard_judged_from_memory_total") == 1)
        #expect(Self.sample(text, "giftcard_judged_without_state_total") == 1)
    }

    @Test func reloadsAreCountedByOutcomeFromZero() {
        let metrics = MessageMetrics()
        #expect(Self.sample(metrics.registry.emitToString(), #"giftcard_config_reloads_total{result="refused"}"#) == 0)
        metrics.reloaded(true)
        metrics.reloaded(false)
        metrics.reloaded(false)
        let text = metrics.registry.emitToString()
        #expect(Self.sample(text, #"giftcard_config_reloads_total{result="applied"}"#) == 1)
        #expect(Self.sample(text, #"giftcard_config_reloads_total{result="refused"}"#) == 2)
    }

    struct Broken: Error {}

    /// A store that fails every other call.
    final class Flaky: CorrelationStore, @unchecked Sendable {
        private var calls = 0
        func recordConfirmation(fingerprint: String, recipients: [String], at time: Date, window: TimeInterval) throws -> Int {
            calls += 1
            if calls % 2 == 0 { throw Broken() }
            return recipients.count
        }

        func activeIncidents(at time: Date) throws -> [DeclaredIncident] { throw Broken() }
    }

    @Test func storeLatencyAndErrorsAreCountedAndAnswersPassThrough() throws {
        let metrics = MessageMetrics()
        let store = metrics.measured(Flaky(), as: "postgresql")
        #expect(try store.recordConfirmation(fingerprint: "f", recipients: ["a", "b"], at: Date(), window: 60) == 2)
        #expect(throws: Broken.self) { try store.recordConfirmation(fingerprint: "f", recipients: ["a"], at: Date(), window: 60) }
        #expect(throws: Broken.self) { try store.activeIncidents(at: Date()) }
        let text = metrics.registry.emitToString()
        #expect(Self.sample(text, #"giftcard_state_seconds_count{store="postgresql",operation="record"}"#) == 2)
        #expect(Self.sample(text, #"giftcard_state_errors_total{store="postgresql",operation="record"}"#) == 1)
        #expect(Self.sample(text, #"giftcard_state_errors_total{store="postgresql",operation="incidents"}"#) == 1)
    }

    @Test(arguments: [("9464", "127.0.0.1", 9464), ("0.0.0.0:9100", "0.0.0.0", 9100), ("[::1]:9464", "::1", 9464),
                      ("metrics.example.org:80", "metrics.example.org", 80)])
    func listenAddressesParse(_ text: String, _ host: String, _ port: Int) throws {
        let config = try ConfigurationParser.parse("MetricsListen \(text)\n")
        #expect(config.metricsListen == Configuration.ListenAddress(host: host, port: port))
    }

    @Test(arguments: ["::1:9464", "[::1]", "localhost:", "70000", "localhost:http", ":9464"])
    func badListenAddressesNameTheKey(_ text: String) {
        #expect {
            try ConfigurationParser.parse("MetricsListen \(text)\n")
        } throws: { ($0 as? ConfigurationError)?.key == "MetricsListen" }
    }

    @Test func metricsAreOffByDefault() throws {
        #expect(try ConfigurationParser.parse("").metricsListen == nil)
        #expect(try ConfigurationParser.parse("MetricsListen off\n").metricsListen == nil)
    }
}
