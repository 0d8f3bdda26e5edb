import CSpawn
import Foundation

/// The text of a PDF attachment, read by `giftcard-pdftext` (poppler) in a process of its own.
///
/// "Invoice attached" lures say almost nothing in the body and put the callback number in a PDF. PDF
/// parsing is a large attack surface, so it never runs in the milter: the helper is started with the
/// PDF on its standard input and a deadline; past it the helper is killed. A PDF that crashes it, hangs
/// it or exhausts its limits costs only its own text: the message is judged on the rest.
public enum PDFText {
    /// Why a PDF gave no text.
    public enum Failure: Error, Equatable, Sendable {
        /// No helper installed (`giftcard-pdftext` beside the executable or in /usr/libexec/giftcard-milter).
        case noHelper
        /// The helper could not be started.
        case spawnFailed(Int32)
        /// Killed at the deadline.
        case timedOut
        /// It exited with this status or died of this signal (a malformed or hostile PDF).
        case failed(status: Int32)
    }

    /// The helper to start: GIFTCARD_PDFTEXT, else `giftcard-pdftext` beside the running executable (a
    /// build directory), else the package's /usr/libexec/giftcard-milter/giftcard-pdftext.
    public static let helper: String? = {
        let fileManager = FileManager.default
        if let configured = ProcessInfo.processInfo.environment["GIFTCARD_PDFTEXT"] {
            return configured.isEmpty ? nil : configured
        }
        var candidates: [String] = []
        if let executable = Bundle.main.executablePath {
            candidates.append(((executable as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent + "/giftcard-pdftext")
        }
        candidates.append("/usr/libexec/giftcard-milter/giftcard-pdftext")
        return candidates.first { fileManager.isExecutableFile(atPath: $0) }
    }()

    /// PDFs larger than this are not read (the helper's own input limit is 16 MB).
    public static let maximumBytes = 4 << 20
    /// The text kept from one PDF.
    public static let maximumText = 64 << 10

    /// The PDF's text, or why there is none. Blocks the calling thread up to `timeout`.
    public static func extract(_ pdf: [UInt8], timeout: Duration = .seconds(2), helper: String? = PDFText.helper) -> Result<String, Failure> {
        guard let helper else { return .failure(.noHelper) }
        var pid: pid_t = 0
        var toChild: Int32 = -1, fromChild: Int32 = -1
        let spawned = gcm_spawn_piped(helper, &pid, &toChild, &fromChild)
        guard spawned == 0 else { return .failure(.spawnFailed(spawned)) }
        let deadline = ContinuousClock.now + timeout
        // The helper reads all its input before writing: write it all, then read.
        let fed = feed(pdf, to: toChild, until: deadline)
        close(toChild)
        var text: [UInt8] = []
        let finished = fed && drain(fromChild, into: &text, until: deadline)
        close(fromChild)
        if !finished { kill(pid, SIGKILL) }
        var status: Int32 = 0
        let succeeded = gcm_spawn_wait(pid, &status) == 0
        guard finished else { return .failure(.timedOut) }
        guard succeeded else { return .failure(.failed(status: status)) }
        return .success(String(decoding: text.prefix(maximumText), as: UTF8.self))
    }

    /// Writes `bytes` to a pipe, waiting at most until `deadline`; false at the deadline or on a closed pipe.
    static func feed(_ bytes: [UInt8], to descriptor: Int32, until deadline: ContinuousClock.Instant) -> Bool {
        var done = 0
        while done < bytes.count {
            guard wait(for: descriptor, events: Int16(POLLOUT), until: deadline) else { return false }
            let count = bytes.withUnsafeBytes { gcm_spawn_send(descriptor, $0.baseAddress! + done, min($0.count - done, 65_536)) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            done += count
        }
        return true
    }

    /// Reads a pipe to its end, waiting at most until `deadline`; false at the deadline.
    static func drain(_ descriptor: Int32, into text: inout [UInt8], until deadline: ContinuousClock.Instant) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            guard wait(for: descriptor, events: Int16(POLLIN), until: deadline) else { return false }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return true
            }
            if count == 0 { return true }
            if text.count < maximumText { text += buffer[0..<count] }
        }
    }

    /// Polls one descriptor until it is ready or `deadline` passes.
    static func wait(for descriptor: Int32, events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let milliseconds = Int32(min(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1, 60_000))
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { return false }
        }
    }
}
