import ArgumentParser
import Detection
import Foundation
import GiftCardMilter
import MailView

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scan message files offline with the daemon's pipeline and print each verdict."
    )

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "One JSON object per message instead of text.")
    var json = false

    @Option(name: .long, help: "Envelope sender to assume.")
    var from: String = ""

    @Option(name: .long, help: "Envelope recipient to assume (repeatable).")
    var rcpt: [String] = []

    @Argument(help: ArgumentHelp("Message files (RFC 5322); - reads one message from standard input.", valueName: "FILE"))
    var files: [String]

    func run() throws {
        let config: Configuration
        do { config = try options.load() } catch { throw fail("\(error)") }
        let scanner = MessageScanner(configuration: config)
        var unreadable = 0
        for file in files {
            let data: Data?
            if file == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                data = FileManager.default.contents(atPath: file)
            }
            guard let data else {
                FileHandle.standardError.write(Data("giftcard-milter: \(file): cannot read\n".utf8))
                unreadable += 1
                continue
            }
            let raw = RawMessage(parsing: Array(data), maxBodyBytes: config.maximumBodyBytes)
            let result = scanner.scan(raw, envelope: Envelope(sender: from, recipients: rcpt))
            print(json ? jsonLine(file: file, result) : "\(file): \(result.summary)\n  \(result.verdict.explanation)")
        }
        if unreadable > 0 { throw ExitCode(66) }
    }

    func jsonLine(file: String, _ result: MessageScanner.Result) -> String {
        let object: [String: Any] = [
            "file": file,
            "verdict": result.verdict.kind.rawValue,
            "score": result.verdict.score,
            "reasons": result.verdict.reasons.map(\.rawValue),
            "brand": result.verdict.brand ?? NSNull(),
            "lang": result.verdict.language,
            "explanation": result.verdict.explanation,
            "message_id": result.view.messageID ?? NSNull(),
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
