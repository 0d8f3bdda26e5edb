import Foundation
import MailView

/// Whether the local Postfix removes inbound Authentication-Results that claim a trusted authserv-id.
///
/// The milter cannot tell a sender's copy written as the message's first header from one its own
/// verifier inserted there; only the MTA can drop the sender's before milters run (a `header_checks`
/// IGNORE rule, shipped in `packaging/postfix/header_checks`). Asks Postfix itself, through `postconf`
/// and `postmap -q`, so any table type and any layout of main.cf is read the way Postfix reads it.
enum PostfixHeaderChecks {
    enum Finding: Equatable {
        /// Every form of every id is removed by a header_checks rule.
        case removed
        /// Some forms are kept. `believed`: forms giftcard-milter would believe (a forged pass would
        /// work); `disguised`: forms it refuses itself, which other filters (OpenDMARC) may still read.
        case kept(believed: [String: [String]], disguised: [String: [String]])
        /// Postfix could not be asked (not installed, or postconf failed): why.
        case unknown(String)
    }

    /// Asks Postfix, for each id and each of its forged forms (`AuthservIDForgeries`), whether one of the
    /// header_checks tables removes it: `postmap -h -q -` reads a header block the way cleanup does, so
    /// folded forms are tried as Postfix sees them.
    static func check(ids: [String], configDirectory: String?) -> Finding {
        guard let postconf = executable("postconf"), let postmap = executable("postmap") else {
            return .unknown("postconf and postmap not found")
        }
        let dir = configDirectory.map { ["-c", $0] } ?? []
        guard let value = run(postconf, dir + ["-h", "header_checks"]), value.status == 0 else {
            return .unknown("postconf -h header_checks failed")
        }
        let tables = value.output.split { $0 == "," || $0.isWhitespace }.map(String.init)
        var believed: [String: [String]] = [:]
        var disguised: [String: [String]] = [:]
        for id in ids {
            // Each form claims its own domain, so the answer names the forms that were removed: postmap
            // prints every header a rule matched, then a tab and the rule's action.
            let forms = AuthservIDForgeries.forms(of: id, claims: { "form\($0).invalid" })
            let block = forms.map { "Authentication-Results:\($0.value)\n" }.joined() + "\n"
            var removed = Set<Int>()
            for table in tables {
                guard let answer = run(postmap, dir + ["-h", "-q", "-", table], input: block)?.output.lowercased() else { continue }
                removed.formUnion(forms.indices.filter { answer.contains("header.from=form\($0).invalid\tignore") })
            }
            for (index, form) in forms.enumerated() where !removed.contains(index) {
                let trusted = AuthenticationResultsParser.parse(form.value).contains { $0.plainID && $0.authservID == id.lowercased() }
                if trusted { believed[id, default: []].append(form.name) } else { disguised[id, default: []].append(form.name) }
            }
        }
        return believed.isEmpty && disguised.isEmpty ? .removed : .kept(believed: believed, disguised: disguised)
    }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin"]
        return dirs.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ executable: String, _ arguments: [String], input: String? = nil) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let feed = input.map { _ in Pipe() }
        if let feed { process.standardInput = feed }
        do { try process.run() } catch { return nil }
        if let feed, let input {
            // A header block is a few KB, well within a pipe's buffer.
            feed.fileHandleForWriting.write(Data(input.utf8))
            try? feed.fileHandleForWriting.close()
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
