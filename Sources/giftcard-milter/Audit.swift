import Actions
import ArgumentParser
import Foundation

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarize audit logs: counts by verdict, brand, sender domain and day; erroneous mailings with their recipients."
    )

    @Option(name: .long, help: ArgumentHelp("Only records from this time on: ISO 8601 (2026-11-28 or 2026-11-28T10:00:00Z), or an age like 24h or 7d.", valueName: "TIME"))
    var since: String?

    @Flag(name: .long, help: "The summary as one JSON object.")
    var json = false

    @Argument(help: ArgumentHelp("Audit log files (JSON lines); - reads standard input.", valueName: "FILE"))
    var files: [String]

    func run() throws {
        let start = try since.map(Self.parseSince)
        var lines: [Substring] = []
        for file in files {
            let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
            guard let data else { throw fail("\(file): cannot read", code: 66) }
            lines += String(decoding: data, as: UTF8.self).split(separator: "\n")
        }
        let summary = AuditSummary(lines: lines, since: start)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(summary.text())
        }
    }

    static func parseSince(_ text: String) throws -> Date {
        if let unit = text.last, "hd".contains(unit), let amount = Double(text.dropLast()) {
            return Date().addingTimeInterval(-amount * (unit == "h" ? 3600 : 86400))
        }
        return try IncidentCommand.date(text)
    }
}
