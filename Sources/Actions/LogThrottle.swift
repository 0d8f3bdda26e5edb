import Foundation
import Synchronization

/// Says whether a repeated warning may be logged now: at most once per interval, so a full disk or a
/// dead database does not write a line per message.
public final class LogThrottle: Sendable {
    private let interval: Duration
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    public init(every interval: Duration = .seconds(60)) { self.interval = interval }

    /// True at the first call and then once the interval has passed since the last true.
    public func due() -> Bool {
        let now = ContinuousClock.now
        return last.withLock { previous in
            if let previous, now - previous < interval { return false }
            previous = now
            return true
        }
    }
}
