import Foundation
import Synchronization

/// Appends audit records to a file (reopened when log rotation moves it away) or to standard output.
///
/// Writing never blocks or fails mail: an error (a full disk, a missing directory) is reported through
/// `onError` at most once a minute, with the system's own words, and the record is dropped. A record is
/// whole or absent: one cut short by a full disk is truncated away again, and should that fail too, the
/// next record starts on a line of its own. The file is opened with `O_NOFOLLOW` and must be a regular
/// file: the daemon may run as root, and a link at the path must not make it append to whatever the link
/// names.
public final class AuditLog: Sendable {
    public enum Destination: Sendable, Equatable {
        case file(String)
        case standardOutput
    }

    private struct State {
        var descriptor: Int32 = -1
        var inode: UInt64 = 0
        /// A cut record could not be removed: the next one begins with a line break.
        var midLine = false
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

    /// Appends one record; false when it was dropped (the failure is reported through `onError`).
    @discardableResult
    public func write(_ record: AuditRecord) -> Bool {
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
            let bytes = state.midLine ? [0x0A] + line : line
            let (written, code) = Self.writeAll(bytes, to: descriptor)
            if written == bytes.count {
                state.midLine = false
                return nil
            }
            // Cut short (the disk filled during the write): take the piece back (this log is appended to
            // under the lock, so the file ended `written` bytes earlier), or at least make sure the next
            // record starts a line of its own.
            if written > 0 {
                var now = stat()
                let taken = fstat(descriptor, &now) == 0 && (now.st_mode & S_IFMT) == S_IFREG
                    && ftruncate(descriptor, now.st_size - off_t(written)) == 0
                if !taken { state.midLine = true }
            }
            return "cannot write the audit log: \(String(cString: strerror(code))); record dropped"
        }
        if let failure { report(failure) }
        return failure == nil
    }

    /// Writes until everything is written or a write fails; returns the bytes written and the failing
    /// call's errno (a short write sets none, so the next call is what says why).
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> (Int, Int32) {
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if count < 0 {
                if errno == EINTR { continue }
                return (done, errno)
            }
            if count == 0 { return (done, EIO) }
            done += count
        }
        return (done, 0)
    }

    /// Opens the file on first use, and again when rotation has renamed or removed it (its inode at
    /// the path is no longer ours).
    private func reopenIfMoved(_ path: String, _ state: inout State) -> String? {
        var info = stat()
        let present = lstat(path, &info) == 0
        if state.descriptor >= 0, present, UInt64(info.st_ino) == state.inode, (info.st_mode & S_IFMT) == S_IFREG { return nil }
        if state.descriptor >= 0 { close(state.descriptor) }
        state.descriptor = -1
        state.midLine = false
        if present, (info.st_mode & S_IFMT) != S_IFREG {
            return "cannot open the audit log \(path): \((info.st_mode & S_IFMT) == S_IFLNK ? Self.noLink : "not a regular file")"
        }
        // Never through a symbolic link (ELOOP), never a FIFO or device that would block a message.
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o640)
        guard descriptor >= 0 else {
            let code = errno
            let why = code == ELOOP ? Self.noLink : String(cString: strerror(code))
            return "cannot open the audit log \(path): \(why)"
        }
        var opened = stat()
        guard fstat(descriptor, &opened) == 0, (opened.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            return "cannot open the audit log \(path): not a regular file"
        }
        state.descriptor = descriptor
        state.inode = UInt64(opened.st_ino)
        return nil
    }

    static let noLink = "it is a symbolic link, which the daemon does not follow"

    private func report(_ message: String) {
        if errorThrottle.due() { onError(message) }
    }
}
