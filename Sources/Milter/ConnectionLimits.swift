import CMilterConnections
import Foundation

/// Bounds on the connections libmilter accepts (see `gcm_connections.h`): a cap, past which new
/// connections are closed at once so the MTA answers them with its `default_action` instead of waiting,
/// and a handshake timeout for connections that never start the milter protocol.
public enum ConnectionLimits {
    /// Raises the soft descriptor limit to the hard one (at most 65,536, what the bounds track) and
    /// returns the limit in effect.
    public static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        let wanted = min(limit.rlim_max, 65536)
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(limit.rlim_cur)
    }

    /// Turns the bounds on and starts the thread that closes silent connections each second. `report`
    /// hears, at most once a minute each, of connections refused at the cap and of silent ones closed.
    public static func start(maximum: Int, handshakeTimeout: Int, report: @escaping @Sendable (String) -> Void) {
        gcm_connections_limit(Int32(maximum), Int32(handshakeTimeout))
        let thread = Thread {
            var reportedRefused = 0, reaped = 0, reapingOff = false
            var lastReport = ContinuousClock.now - .seconds(60)
            while true {
                sleep(1)
                let closed = Int(gcm_connections_reap())
                if closed < 0, !reapingOff {
                    reapingOff = true
                    report("HandshakeTimeout is off: libmilter's session context could not be read; silent connections stay until libmilter's own Timeout")
                }
                reaped += max(closed, 0)
                let refused = Int(gcm_connections_refused())
                guard ContinuousClock.now - lastReport >= .seconds(60), refused > reportedRefused || reaped > 0 else { continue }
                if refused > reportedRefused {
                    report("refused \(refused - reportedRefused) connections at MaximumConnections (\(maximum)); the MTA's default_action took their mail")
                }
                if reaped > 0 {
                    report("closed \(reaped) connections that did not start the milter protocol within HandshakeTimeout (\(handshakeTimeout) s)")
                }
                reportedRefused = refused
                reaped = 0
                lastReport = .now
            }
        }
        thread.name = "connections"
        thread.start()
    }
}
