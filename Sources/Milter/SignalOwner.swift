import CMilterSignals
import Foundation

/// The one owner of SIGTERM, SIGINT and SIGHUP while the milter serves.
///
/// libmilter's own signal thread would stop on SIGHUP and, on SIGTERM, leave sessions in flight to be cut
/// when the process exits; it is parked (see `gcm_signals.h`) and this thread waits instead, handing
/// SIGTERM and SIGINT to `onStop` (the daemon stops accepting with `MilterRunner.stopAccepting()`, lets
/// open sessions finish with `drain(until:)`, then calls `stop()`) and SIGHUP to `onHangUp`.
public enum SignalOwner {
    static let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Blocks the three signals in the calling thread (threads started later inherit that), parks
    /// libmilter's signal thread and starts the waiting thread. Call before `MilterRunner.serve()`, from
    /// the thread that starts libmilter.
    public static func start(onStop: @escaping @Sendable (Int32) -> Void, onHangUp: @escaping @Sendable () -> Void) {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        gcm_signals_take_over()
        let waiting = set
        let thread = Thread {
            var set = waiting
            while true {
                // sigwaitinfo, not sigwait: libmilter's parked sigwait is this executable's.
                let signal = sigwaitinfo(&set, nil)
                if signal == SIGHUP { onHangUp() } else if signal > 0 { onStop(signal) }
            }
        }
        thread.name = "signals"
        thread.start()
    }

    /// After the runtime's crash report (`SWIFT_BACKTRACE`), the crash signal's default action ends the
    /// process, even for a signal sent with kill(2), so the service manager restarts it instead of a
    /// daemon living on with threads the backtracer stopped (see `gcm_signals.h`).
    public static func endProcessAfterCrashReports() {
        gcm_crash_signals_end_the_process()
    }
}
