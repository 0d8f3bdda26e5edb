import Dispatch
import Synchronization

/// Runs async work (a postgres-nio query) from a libmilter thread and waits for it at most `timeout`.
///
/// libmilter calls us on its own POSIX threads, one per SMTP connection; they may block, the NIO event
/// loops and Swift's cooperative pool may not. So the work runs as a detached task, whose awaits park
/// without holding a thread, and only the calling libmilter thread waits on a semaphore. A slow query
/// therefore holds its own connection's message and nothing else: other threads run their own tasks on
/// other pooled connections. At the deadline the task is cancelled (a queued connection lease is
/// withdrawn) and the caller goes on without the answer.
enum BlockingWait {
    struct TimedOut: Error, CustomStringConvertible {
        let timeout: Duration
        var description: String { "no answer within \(timeout.milliseconds) ms" }
    }

    static func run<T: Sendable>(timeout: Duration, _ work: @escaping @Sendable () async throws -> T) throws -> T {
        let answer = Answer<T>()
        let task = Task.detached {
            do { answer.set(.success(try await work())) } catch { answer.set(.failure(error)) }
        }
        guard answer.wait(timeout) else {
            task.cancel()
            throw TimedOut(timeout: timeout)
        }
        return try answer.result!.get()
    }

    /// The task's outcome, handed from the task to the waiting thread.
    private final class Answer<T: Sendable>: Sendable {
        private let value = Mutex<Result<T, any Error>?>(nil)
        private let ready = DispatchSemaphore(value: 0)

        func set(_ result: Result<T, any Error>) {
            value.withLock { $0 = result }
            ready.signal()
        }

        func wait(_ timeout: Duration) -> Bool {
            ready.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds))) == .success
        }

        var result: Result<T, any Error>? { value.withLock { $0 } }
    }
}

extension Duration {
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
    /// Whole milliseconds (`StateTimeout` as configtest prints it, timeouts in causes).
    public var milliseconds: Int64 { nanoseconds / 1_000_000 }
}
