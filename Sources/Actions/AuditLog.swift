import Foundation
import Synchronization

/// Appends audit records to a file (reopened when log rotation moves it away) or to standard output.
///
/// Writing never blocks or fails mail: an error (a full disk, a missing directory) is reported through
/// `onError` at most once a minute and the record is dropped.
public final class AuditLog: Sendable {
    public enum Destination: Sendable, Equatable {
        case file(String)
        case standardOutput
    }

    private struct State {
        var descriptor: Int32 = -1
        var inode: UInt64 = 0
    }

    private let destination: Destination
    private let onError: @Sendable (String) -> Void
    private let state = Mutex(State())
    /// Write failures are reported at most once a minute.
    private let errorThrottle = LogThrottle()

    public init(destination: Destination, onError: @escaping @Sendable (String) -> Void) {
        self.destination = destination
        self.onError = onError
    }

    deinit {
        state.withLock { if $0.descriptor >= 0, case .file = destination { close($0.descriptor) } }
    }

    /// Opens the file now, at start, rather than at the first message: an unwritable path is then
    /// reported when the postmaster starts the daemon. Returns the problem, if any.
    public func openNow() -> String? {
        guard case .file(let path) = destination else { return nil }
        return state.withLock { reopenIfMoved(path, &$0) }
    }

    public func write(_ record: AuditRecord) {
        let line = Array((record.jsonLine() + "\n").utf8)
        let failure: String? = state.withLock { state in
            let descriptor: Int32
            switch destination {
            case .standardOutput:
                descriptor = STDOUT_FILENO
            case .file(let path):
                if let problem = reopenIfMoved(path, &state) { return problem }
                descriptor = state.descriptor
            }
            let written = line.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            return written == line.count ? nil : "cannot write the audit log: \(String(cString: strerror(errno)))"
        }
        if let failure { report(failure) }
    }

    /// Opens the file on first use, and again when rotation has renamed or removed it (its inode at
    /// the path is no longer ours).
    private func reopenIfMoved(_ path: String, _ state: inout State) -> String? {
        var info = stat()
        let present = stat(path, &info) == 0
        if state.descriptor >= 0, present, UInt64(info.st_ino) == state.inode { return nil }
        if state.descriptor >= 0 { close(state.descriptor) }
        state.descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard state.descriptor >= 0 else { return "cannot open the audit log \(path): \(String(cString: strerror(errno)))" }
        var opened = stat()
        if fstat(state.descriptor, &opened) == 0 { state.inode = UInt64(opened.st_ino) }
        return nil
    }

    private func report(_ message: String) {
        if errorThrottle.due() { onError(message) }
    }
}
