import Detection
import Foundation
import Testing
@testable import Actions

@Suite struct AuditTests {
    func record(queue: String, verdict: VerdictKind, subject: String = "Your order", recipients: [String] = ["a@x.org", "b@x.org"],
                time: Date = Date(timeIntervalSince1970: 1_800_000_000), hash: Bool = false) -> AuditRecord {
        AuditRecord(time: time, queueID: queue, messageID: "m@x", clientAddress: "192.0.2.1", envelopeSender: "s@amazon.com",
                    recipients: recipients, hashRecipients: hash, from: "auto-confirm@amazon.com", fromDomain: "amazon.com",
                    subject: subject,
                    verdict: Verdict(kind: verdict, score: 45, reasons: [.noOrderDetails], brand: "amazon", language: "en", explanation: ""),
                    action: "header", limitsReached: [], processingMilliseconds: 0.51234, version: "0.1.0")
    }

    @Test func recordHasTheDocumentedFields() throws {
        let line = record(queue: "ABC123", verdict: .erroneous).jsonLine()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        for key in ["time", "queue_id", "message_id", "client_address", "envelope_sender", "recipient_count", "recipients",
                    "from", "from_domain", "subject", "verdict", "score", "reasons", "brand", "lang", "action",
                    "limits_reached", "processing_ms", "version"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["queue_id"] as? String == "ABC123")
        #expect(object["time"] as? String == "2027-01-15T08:00:00Z")
        #expect(!line.contains("\n"))
    }

    /// The record is one Codable value: the verdict's fields flat under their documented names, the
    /// correlation state as its `memory: …` / `unavailable: …` text, and the line reads back as written.
    @Test func recordRoundTripsWithFlatVerdictFieldsAndTypedState() throws {
        var original = record(queue: "RT1", verdict: .suspicious)
        original.correlationState = .unavailable("database down")
        let line = original.jsonLine()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["verdict"] as? String == "suspicious" && object["lang"] as? String == "en" && object["brand"] as? String == "amazon")
        #expect(object["reasons"] as? [String] == ["no-order-details"])
        #expect(object["correlation_state"] as? String == "unavailable: database down")
        #expect(Set(object.keys).isDisjoint(with: ["kind", "language", "queueID", "correlationState"]))
        #expect(try JSONDecoder().decode(AuditRecord.self, from: Data(line.utf8)) == original)
        // No brand, no state: the keys are absent, as before.
        var plain = record(queue: "RT2", verdict: .none)
        plain.verdict.brand = nil
        let bare = try #require(try JSONSerialization.jsonObject(with: Data(plain.jsonLine().utf8)) as? [String: Any])
        #expect(bare["brand"] == nil && bare["correlation_state"] == nil)
        #expect(try JSONDecoder().decode(AuditRecord.self, from: Data(plain.jsonLine().utf8)) == plain)
    }

    @Test func recipientsCanBeHashedAndSubjectsAreCut() {
        let hashed = record(queue: "Q", verdict: .none, subject: String(repeating: "x", count: 500), hash: true)
        #expect(hashed.recipients.allSatisfy { $0.hasPrefix("h:") && !$0.contains("@") })
        #expect(hashed.recipients == record(queue: "Q", verdict: .none, hash: true).recipients)
        #expect(hashed.subject.count == 120)
    }

    @Test func summaryGroupsErroneousMailings() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let lines = [
            record(queue: "1", verdict: .erroneous, subject: "Your Amazon.com order", time: start),
            record(queue: "2", verdict: .erroneous, subject: "Your Amazon.com order", time: start + 600),
            record(queue: "3", verdict: .suspicious, time: start + 700),
            record(queue: "4", verdict: .none, time: start - 86400 * 3),
        ].map { Substring($0.jsonLine()) } + ["not json"]
        let summary = AuditSummary(lines: lines, since: start - 3600)
        #expect(summary.messages == 3)
        #expect(summary.unreadableLines == 1)
        #expect(summary.byVerdict == ["erroneous": 2, "suspicious": 1])
        #expect(summary.erroneousMailings.count == 1)
        #expect(summary.erroneousMailings.first?.recipients == 4)
        #expect(summary.erroneousMailings.first?.first == "2027-01-15T08:00:00Z")
        #expect(summary.erroneousMailings.first?.last == "2027-01-15T08:10:00Z")
        #expect(summary.text().contains("2 messages to 4 recipients"))
    }

    @Test func logIsReopenedAfterRotation() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("audit.jsonl").path
        let log = AuditLog(destination: .file(path), onError: { _ in })
        log.write(record(queue: "FIRST", verdict: .none))
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        log.write(record(queue: "SECOND", verdict: .none))
        let rotated = try String(contentsOfFile: path + ".1", encoding: .utf8)
        let current = try String(contentsOfFile: path, encoding: .utf8)
        #expect(rotated.contains("FIRST") && !rotated.contains("SECOND"))
        #expect(current.contains("SECOND") && !current.contains("FIRST"))
    }

    @Test func unwritableLogReportsOnceAndDropsTheRecord() {
        final class Box: @unchecked Sendable { var messages: [String] = [] }
        let box = Box()
        let log = AuditLog(destination: .file("/nonexistent-dir/audit.jsonl"), onError: { box.messages.append($0) })
        log.write(record(queue: "A", verdict: .none))
        log.write(record(queue: "B", verdict: .none))
        #expect(box.messages.count == 1)
        #expect(box.messages.first?.contains("cannot open the audit log") == true)
    }

    /// The daemon may run as root: a link at the audit log's path, at start or after rotation, must not
    /// make it append to whatever the link names; nor may a FIFO there block a message.
    @Test func aLinkOrAFIFOAtThePathIsNotWrittenThrough() throws {
        final class Box: @unchecked Sendable { var messages: [String] = [] }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("audit.jsonl").path
        let target = directory.appendingPathComponent("elsewhere").path
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        let box = Box()
        let log = AuditLog(destination: .file(path), onError: { box.messages.append($0) })
        #expect(log.openNow()?.contains("symbolic link") == true)
        log.write(record(queue: "A", verdict: .none))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
        // After a rotation: the real file moves away, a link takes its place.
        try FileManager.default.removeItem(atPath: path)
        let healthy = AuditLog(destination: .file(path), onError: { box.messages.append($0) })
        healthy.write(record(queue: "B", verdict: .none))
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        healthy.write(record(queue: "C", verdict: .none))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")
        #expect(try String(contentsOfFile: path + ".1", encoding: .utf8).contains("\"B\""))
        #expect(box.messages.contains { $0.contains("symbolic link") })
        // A FIFO: refused at once, not waited on.
        try FileManager.default.removeItem(atPath: path)
        #expect(mkfifo(path, 0o600) == 0)
        #expect(AuditLog(destination: .file(path), onError: { _ in }).openNow()?.contains("not a regular file") == true)
    }
}
