#if canImport(Glibc)
import Glibc
#endif
import Detection
import MailView
import ScreenCheck

/// Fuzz target `screen`: the pre-screen's properties on each input (`ScreenedPathCheck.failure(ofInput:)`),
/// trapping on any failure: a visible word the screen's runs miss, or any difference between the
/// milter's screened path and the full path.
enum ScreenTarget {
    static func check(_ bytes: [UInt8]) {
        if let failure = ScreenedPathCheck.failure(ofInput: bytes, detector: FuzzTarget.detector) { fatalError(failure) }
    }

    /// `giftcard-fuzz --screen-check [--trusted ID] FILE…`: the property on stored messages (the corpora),
    /// a line for each that differs, then how many were screened. Exit status 1 when any differs.
    static func replay(_ arguments: [String]) -> Int32 {
        var trusted = ["mx.example.org"]
        var files: [String] = []
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--trusted", index + 1 < arguments.count {
                trusted.append(arguments[index + 1])
                index += 2
            } else {
                files.append(arguments[index])
                index += 1
            }
        }
        let detector = Detector(trustedAuthservIDs: Set(trusted))
        var screened = 0
        var unread = 0
        var differing = 0
        var kinds: [String: Int] = [:]
        var eagerScreened = 0
        var eagerUnread = 0
        for path in files {
            let bytes = readFile(path)
            let outcome = ScreenedPathCheck.check(bytes, detector: detector)
            // The same with the screen on every message, short ones too.
            let eager = ScreenedPathCheck.check(bytes, detector: detector, eager: true)
            if outcome.screened { screened += 1 }
            if outcome.leftUnread { unread += 1 }
            if eager.screened { eagerScreened += 1 }
            if eager.leftUnread { eagerUnread += 1 }
            kinds[outcome.verdict.kind.rawValue, default: 0] += 1
            if let difference = outcome.difference ?? eager.difference.map({ "(eager) \($0)" }) {
                differing += 1
                print("DIFFERS \(path): \(difference)")
            }
        }
        let verdicts = kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("\(files.count) messages (\(verdicts)): \(screened) cleared by the screen, \(unread) of them with text left unread; "
            + "screening every message, \(eagerScreened) cleared, \(eagerUnread) with text left unread; \(differing) differ")
        return differing == 0 ? 0 : 1
    }
}

func readFile(_ path: String) -> [UInt8] {
    guard let handle = fopen(path, "rb") else { return [] }
    defer { fclose(handle) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&buffer, 1, buffer.count, handle)
        if count <= 0 { break }
        bytes += buffer[0..<count]
    }
    return bytes
}
