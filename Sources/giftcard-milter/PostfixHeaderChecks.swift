import Foundation

/// Whether the local Postfix removes inbound Authentication-Results that claim a trusted authserv-id.
///
/// The milter cannot tell a sender's copy written as the message's first header from one its own
/// verifier inserted there; only the MTA can drop the sender's before milters run (a `header_checks`
/// IGNORE rule, shipped in `packaging/postfix/header_checks`). Asks Postfix itself, through `postconf`
/// and `postmap -q`, so any table type and any layout of main.cf is read the way Postfix reads it.
enum PostfixHeaderChecks {
    enum Finding: Equatable {
        /// Every id is removed by a header_checks rule.
        case removed
        /// These ids are not: a sender's copy would reach the milters.
        case kept([String])
        /// Postfix could not be asked (not installed, or postconf failed): why.
        case unknown(String)
    }

    static func check(ids: [String], configDirectory: String?) -> Finding {
        guard let postconf = executable("postconf"), let postmap = executable("postmap") else {
            return .unknown("postconf and postmap not found")
        }
        let dir = configDirectory.map { ["-c", $0] } ?? []
        guard let value = run(postconf, dir + ["-h", "header_checks"]), value.status == 0 else {
            return .unknown("postconf -h header_checks failed")
        }
        let tables = value.output.split { $0 == "," || $0.isWhitespace }.map(String.init)
        let kept = ids.filter { id in
            !tables.contains { table in
                // What a sender's forged copy would look like; Postfix answers with the rule's action.
                guard let answer = run(postmap, dir + ["-q", "Authentication-Results: \(id); dkim=pass", table]) else { return false }
                return answer.status == 0 && answer.output.trimmingCharacters(in: .whitespacesAndNewlines).uppercased().hasPrefix("IGNORE")
            }
        }
        return kept.isEmpty ? .removed : .kept(kept)
    }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin"]
        return dirs.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
