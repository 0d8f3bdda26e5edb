import Actions
import ArgumentParser
import Correlation
import Detection
import Foundation
import GiftCardMilter
import Logging
import MailView

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scan message files offline with the daemon's pipeline and print each verdict."
    )

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "One JSON object per message instead of text.")
    var json = false

    @Flag(name: .long, help: "Also show what the milter read: decoded headers, text parts, links, phone numbers, domains (JSON).")
    var view = false

    @Option(name: .long, help: "Envelope sender to assume.")
    var from: String = ""

    @Option(name: .long, help: "Envelope recipient to assume (repeatable).")
    var rcpt: [String] = []

    @Option(name: .long, help: ArgumentHelp("Correlation state to read and update (SQLite file); without it the run keeps its own in memory.", valueName: "FILE"))
    var state: String?

    @Option(name: .long, help: ArgumentHelp("Write each message that gets a banner, as the daemon would deliver it (its headers, the banner placed, every other byte as it came), into this folder (same file name); keyed with StateDirectory/banner.key when it exists.", valueName: "DIR"))
    var banner: String?

    @Argument(help: ArgumentHelp("Message files, folders of them (read in name order) or mbox files; - reads one message from standard input. All go through one correlation state, in order.", valueName: "FILE"))
    var files: [String]

    func run() throws {
        let config: Configuration
        let store: SQLiteCorrelationStore
        do {
            config = try options.load()
            store = try SQLiteCorrelationStore(path: state)
        } catch {
            throw fail("\(error)")
        }
        // The installation's banner key when it has one, so previews carry the refs the daemon would write
        // (and repeat byte for byte); a key for this run otherwise.
        let key = BannerSettings.loadKey(directory: config.stateDirectory, create: false).key
        // One session, as the daemon makes them: the same scanner, policies, banner limits and plan.
        let session = LiveSettings(config, store: store, stateFallback: nil, key: key)
            .session(logger: Logger(label: "giftcard-milter.check") { _ in SwiftLogNoOpLogHandler() }, version: Daemon.version)
        if let banner {
            do { try FileManager.default.createDirectory(atPath: banner, withIntermediateDirectories: true) } catch { throw fail("\(error)") }
        }
        var unreadable = 0
        for (file, data) in MessageSource.messages(from: files, unreadable: &unreadable) {
            let delivered: OfflineDelivery.Delivered
            do {
                delivered = try OfflineDelivery.deliver(Array(data), through: session, envelope: Envelope(sender: from, recipients: rcpt))
            } catch {
                throw fail("\(file): \(error)")
            }
            let result = delivered.judged.result
            if view {
                print(encode(viewObject(file: file, result)))
            } else {
                print(json ? encodeRecord(checkRecord(file: file, result)) : "\(file): \(result.verdict.summary)\n  \(result.verdict.explanation)")
            }
            // A preview of what the daemon delivers: its headers, the banner, every other byte as it came.
            if let banner, let outcome = delivered.judged.plan.banner {
                if case .skipped(let why) = outcome {
                    FileHandle.standardError.write(Data("\(file): no banner (\(why.rawValue))\n".utf8))
                } else {
                    let path = (banner as NSString).appendingPathComponent((file as NSString).lastPathComponent)
                    if !FileManager.default.createFile(atPath: path, contents: Data(delivered.message.serialized())) {
                        throw fail("cannot write \(path)")
                    }
                }
            }
        }
        if unreadable > 0 { throw ExitCode(66) }
    }

    /// One `--json` line: the file, the verdict's fields as the audit record has them, the explanation,
    /// and the Message-ID; `brand` and `message_id` are null rather than absent.
    struct CheckRecord: Encodable {
        var file: String
        var verdict: VerdictRecord
        var explanation: String
        var messageID: String?

        enum CodingKeys: String, CodingKey {
            case file, explanation, messageID = "message_id", brand
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(file, forKey: .file)
            try verdict.encode(to: encoder)
            if verdict.brand == nil { try c.encodeNil(forKey: .brand) }
            try c.encode(explanation, forKey: .explanation)
            if let messageID { try c.encode(messageID, forKey: .messageID) } else { try c.encodeNil(forKey: .messageID) }
        }
    }

    func checkRecord(file: String, _ result: MessageScanner.Result) -> CheckRecord {
        CheckRecord(file: file, verdict: VerdictRecord(result.verdict), explanation: result.verdict.explanation, messageID: result.view.messageID)
    }

    func verdictObject(file: String, _ result: MessageScanner.Result) -> Any {
        let encoder = JSONEncoder()
        guard let data = try? encoder.encode(checkRecord(file: file, result)),
              let object = try? JSONSerialization.jsonObject(with: data) else { return NSNull() }
        return object
    }

    func viewObject(file: String, _ result: MessageScanner.Result) -> [String: Any] {
        var v = result.view
        MessageParser.addDetails(to: &v)  // the scanner skips them for mail that never mentions gift cards
        func mailbox(_ m: Mailbox?) -> Any {
            guard let m else { return NSNull() }
            return ["name": m.displayName, "address": m.address, "domain": m.domain]
        }
        return [
            "file": file,
            "verdict": verdictObject(file: file, result),
            "headers": v.headers.map { ["name": $0.name, "value": $0.value] },
            "from": mailbox(v.from),
            "reply_to": mailbox(v.replyTo),
            "return_path": v.returnPath ?? NSNull(),
            "subject": v.subject,
            "message_id": v.messageID ?? NSNull(),
            "date": v.date ?? NSNull(),
            "authentication_results": v.authenticationResults.map {
                ["authserv_id": $0.authservID, "plain_id": $0.plainID, "added_here": $0.addedHere, "method": $0.method, "result": $0.result, "properties": $0.properties] as [String: Any]
            },
            "text_parts": v.textParts.map { ["path": $0.path, "type": $0.mimeType, "text": $0.text] },
            "attachments": v.attachments.map { ["path": $0.path, "type": $0.mimeType, "filename": $0.filename ?? NSNull(), "size": $0.size ?? NSNull()] as [String: Any] },
            "links": v.links.map { ["url": $0.url, "host": $0.host, "shown_host": $0.shownHost ?? NSNull()] as [String: Any] },
            "phone_numbers": v.phoneNumbers.map { ["digits": $0.digits, "e164": $0.e164 ?? NSNull()] as [String: Any] },
            "domains": v.domains.map {
                ["name": $0.name, "ascii": $0.ascii ?? NSNull(), "unicode": $0.unicode ?? NSNull(), "registrable": $0.registrable ?? NSNull()] as [String: Any]
            },
            "language": v.language,
            "normalized_text": v.normalizedText,
            "obfuscations": v.obfuscations.map(\.rawValue).sorted(),
            "limits_reached": v.limitsReached.map(\.rawValue),
            "degraded": v.degraded,
        ]
    }

    func encodeRecord(_ record: CheckRecord) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(record) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    func encode(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
