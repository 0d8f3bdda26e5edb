import CMilter
import CMilterConnections
import Foundation
import Synchronization

/// Everything libmilter needs to know before `smfi_main`.
public struct MilterRegistration: Sendable {
    public var name: String
    public var socket: SocketSpec
    /// Seconds libmilter waits for the MTA before giving up on a connection.
    public var timeout: Int32
    /// Modifications the milter may ask for; negotiation asks for no more than these.
    public var actions: MilterActions
    /// Macros to request per stage (Postfix honours these lists through negotiation).
    public var macros: [MacroStage: [String]]
    /// What the MTA is told when a session throws or cannot be created.
    public var failureStatus: MilterStatus
    /// Makes the per-connection session; called on libmilter's threads.
    public var makeSession: @Sendable () -> any MilterSession
    /// Receives one line for every failure turned into `failureStatus`.
    public var reportFailure: @Sendable (String) -> Void
    /// Steps whose sessions always proceed: the MTA is told not to wait for a reply to them
    /// (SMFIP_NR_*), which saves a round trip per step — a dozen per message with headers.
    /// A failure in such a step is answered at the next step that has a reply.
    public var silentSteps: Set<MilterStep> = []

    public init(name: String, socket: SocketSpec, timeout: Int32 = 300, actions: MilterActions,
                macros: [MacroStage: [String]] = [:], failureStatus: MilterStatus = .accept,
                makeSession: @escaping @Sendable () -> any MilterSession,
                reportFailure: @escaping @Sendable (String) -> Void) {
        self.name = name
        self.socket = socket
        self.timeout = timeout
        self.actions = actions
        self.macros = macros
        self.failureStatus = failureStatus
        self.makeSession = makeSession
        self.reportFailure = reportFailure
    }
}

/// Runs a milter with libmilter: registration, the socket, and the bridge from C callbacks to sessions.
///
/// The callbacks are static members of a type outside `main.swift` on purpose: a `@convention(c)`
/// closure at top level in `main.swift` is inferred `@MainActor`, and libmilter's threads would trip
/// the runtime's isolation check on the first message.
public enum MilterRunner {
    /// The one registration of this process. libmilter supports one filter per process too.
    static let current = Mutex<MilterRegistration?>(nil)

    /// Registers the filter and opens the socket (removing a stale unix socket), without serving yet.
    /// Run this before dropping privileges, so that a socket in a root-owned directory can be made.
    public static func prepare(_ registration: MilterRegistration) throws(MilterError) {
        current.withLock { $0 = registration }
        var desc = smfiDesc()
        desc.xxfi_name = strdup(registration.name)
        desc.xxfi_version = Int32(SMFI_VERSION)
        desc.xxfi_flags = UInt(registration.actions.rawValue)
        desc.xxfi_connect = Callbacks.connect
        desc.xxfi_envfrom = Callbacks.envelopeFrom
        desc.xxfi_envrcpt = Callbacks.envelopeRecipient
        desc.xxfi_header = Callbacks.header
        desc.xxfi_eoh = Callbacks.endOfHeaders
        desc.xxfi_body = Callbacks.body
        desc.xxfi_eom = Callbacks.endOfMessage
        desc.xxfi_abort = Callbacks.abort
        desc.xxfi_close = Callbacks.close
        desc.xxfi_negotiate = Callbacks.negotiate
        guard smfi_register(desc) == MI_SUCCESS else {
            throw MilterError(code: "register", detail: "libmilter refused the filter description")
        }
        let spec = registration.socket.description
        let rc = spec.withCString { smfi_setconn(UnsafeMutablePointer(mutating: $0)) }
        guard rc == MI_SUCCESS else { throw MilterError(code: "setconn", detail: "bad socket \(spec)") }
        guard smfi_settimeout(registration.timeout) == MI_SUCCESS else {
            throw MilterError(code: "settimeout", detail: "\(registration.timeout)")
        }
        guard smfi_opensocket(true) == MI_SUCCESS else {
            throw MilterError(code: "opensocket", detail: "cannot listen on \(spec): \(String(cString: strerror(errno)))")
        }
        let port: Int? = switch registration.socket {
        case .inet(let port, _), .inet6(let port, _): port
        case .unix: nil
        }
        let descriptor = listeningDescriptor(port: port)
        listening.withLock { $0 = descriptor }
        if port != nil, let descriptor { disableNagle(on: descriptor) }
    }

    /// Sets TCP_NODELAY on the listening socket; Linux copies it to every accepted connection.
    ///
    /// At end of message libmilter writes each action (a header insert, a body chunk) and the final
    /// reply as separate small packets. With Nagle's algorithm the second waits for the MTA to
    /// acknowledge the first, and the MTA, still waiting for the reply, delays that ACK by 40 ms: every
    /// message stalled 40–80 ms over loopback TCP (44 msg/s through Postfix with four SMTP sessions,
    /// against 925 over a unix socket).
    static func disableNagle(on descriptor: Int32) {
        var on: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    /// libmilter's listening socket, found after `smfi_opensocket` (libmilter does not hand it out).
    static let listening = Mutex<Int32?>(nil)

    /// The process's listening socket: bound to `port` for TCP, the one unix one otherwise. Nothing else
    /// in this process listens.
    static func listeningDescriptor(port: Int?) -> Int32? {
        for descriptor in Int32(0)..<Int32(1024) {
            var isListening: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &isListening, &length) == 0, isListening == 1 else { continue }
            var address = sockaddr_storage()
            var addressLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &addressLength) }
            }
            guard named == 0 else { continue }
            let family = Int32(address.ss_family)
            guard let port else {
                if family == AF_UNIX { return descriptor }
                continue
            }
            let boundPort: UInt16 = withUnsafePointer(to: &address) { pointer in
                switch family {
                case AF_INET: pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
                case AF_INET6: pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
                default: 0
                }
            }
            if Int(boundPort) == port { return descriptor }
        }
        return nil
    }

    /// Stops taking connections while the sessions already open go on. libmilter itself cannot: once told
    /// to stop (`smfi_stop`), its worker pool stops serving open sessions too, and it notices the stop
    /// only at its next 5 s poll timeout. So from now on the interposed `accept()` closes every new
    /// connection at once (`gcm_connections_stop_accepting`): its MTA sees the end of the stream and
    /// answers with its `default_action` immediately, instead of waiting on a socket nobody serves.
    public static func stopAccepting() {
        gcm_connections_stop_accepting()
    }

    /// Whether `serve()` has begun, and whether a stop came before it did.
    static let serving = Mutex((started: false, stopRequested: false))

    /// Serves until `stop()`. Returns on a clean stop, at once if the stop came first.
    public static func serve() throws(MilterError) {
        let stopped = serving.withLock { state in
            state.started = true
            return state.stopRequested
        }
        guard !stopped else { return }
        guard smfi_main() == MI_SUCCESS else {
            throw MilterError(code: "main", detail: "libmilter stopped with an error")
        }
    }

    /// Asks a serving milter to stop: libmilter's accept loop ends at once (woken by a connection of our
    /// own, which the stopping `accept()` closes), and sessions still open are abandoned (see
    /// `stopAccepting()` and `drain(until:)` for a stop that lets them finish).
    public static func stop() {
        // Before libmilter serves, smfi_stop would close the socket it is about to listen on, and it would
        // try to bind a new one and fail: serving is called off instead.
        let started = serving.withLock { state in
            if !state.started { state.stopRequested = true }
            return state.started
        }
        guard started else { return }
        gcm_connections_stop_accepting()
        // smfi_stop waits for the listener lock libmilter holds across its poll (up to 5 s), then closes
        // the socket; connections of our own wake that poll (the stopping accept() closes them) until it
        // has, so the accept loop ends at once.
        let woken = listening.withLock { $0 }.map { gcm_connections_wake_at($0) == 0 } ?? false
        let done = Atomic<Bool>(false)
        let stopper = Thread {
            _ = smfi_stop()
            done.store(true, ordering: .releasing)
        }
        stopper.start()
        while woken, !done.load(ordering: .acquiring) {
            _ = gcm_connections_wake()
            usleep(20_000)
        }
    }
}

extension MilterRunner {
    /// Connections from the handshake to their close.
    static let sessionsOpen = Atomic<Int>(0)

    /// Waits until no session is open or `deadline` passes; returns how many were still open.
    public static func drain(until deadline: ContinuousClock.Instant) -> Int {
        while sessionsOpen.load(ordering: .acquiring) > 0, ContinuousClock.now < deadline {
            usleep(20_000)
        }
        return sessionsOpen.load(ordering: .acquiring)
    }

    /// Sessions open now.
    public static var openSessions: Int { sessionsOpen.load(ordering: .acquiring) }
}

/// The C side: each function finds (or makes) the connection's session and maps Swift to `sfsistat`.
enum Callbacks {
    /// The per-connection box kept in libmilter's private pointer.
    final class Box {
        let session: any MilterSession
        /// A failure in a silent step, answered at the next step the MTA waits for.
        var deferred = DeferredAnswer()
        /// Counted in `MilterRunner.sessionsOpen` (from the handshake to the close).
        var counted = false
        init(_ session: any MilterSession) { self.session = session }
    }

    /// The silent steps of the registration (fixed for the process).
    static let silentSteps: Set<MilterStep> = MilterRunner.current.withLock { $0?.silentSteps ?? [] }

    static func box(_ ctx: OpaquePointer) -> Box? {
        if let raw = smfi_getpriv(ctx) {
            return Unmanaged<Box>.fromOpaque(raw).takeUnretainedValue()
        }
        guard let make = MilterRunner.current.withLock({ $0?.makeSession }) else { return nil }
        let box = Box(make())
        guard smfi_setpriv(ctx, Unmanaged.passRetained(box).toOpaque()) == MI_SUCCESS else {
            Unmanaged.passUnretained(box).release()
            return nil
        }
        return box
    }

    static func failure(_ step: String, _ error: (any Error)?) -> sfsistat {
        let (status, report) = MilterRunner.current.withLock {
            ($0?.failureStatus ?? .accept, $0?.reportFailure)
        }
        let what = error.map { "\($0)" } ?? "no session"
        report?("milter \(step) failed (\(what)); answering \(status)")
        return status.raw
    }

    /// Runs one session step; anything thrown becomes the failure policy. A silent step answers
    /// nothing (SMFIS_NOREPLY; libmilter sends CONTINUE itself to an MTA without the feature) and
    /// keeps a failure for the next step that answers.
    static func run(_ ctx: OpaquePointer?, _ step: String, silent: MilterStep? = nil,
                    _ body: (any MilterSession, MilterContext) throws -> MilterStatus) -> sfsistat {
        let isSilent = silent.map(silentSteps.contains) ?? false
        guard let ctx, let box = box(ctx) else {
            let status = failure(step, nil)
            return isSilent ? sfsistat(SMFIS_NOREPLY) : status
        }
        return box.deferred.answer(silent: isSilent) {
            do {
                return try body(box.session, MilterContext(ctx)).raw
            } catch {
                return failure(step, error)
            }
        }
    }

    static let connect: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<sockaddr>?) -> sfsistat = { ctx, host, addr in
        run(ctx, "connect", silent: .connect) { session, context in
            try session.connect(hostname: host.map { String(cString: $0) } ?? "", address: addr.flatMap(describe), context: context)
        }
    }

    static let envelopeFrom: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> sfsistat = { ctx, argv in
        run(ctx, "envfrom", silent: .envelopeFrom) { try $0.envelopeFrom(strings(argv), context: $1) }
    }

    static let envelopeRecipient: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> sfsistat = { ctx, argv in
        run(ctx, "envrcpt", silent: .envelopeRecipient) { try $0.envelopeRecipient(strings(argv), context: $1) }
    }

    static let header: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<CChar>?) -> sfsistat = { ctx, name, value in
        run(ctx, "header", silent: .header) { session, context in
            let nameText = name.map { String(decoding: bytes($0), as: UTF8.self) } ?? ""
            return try session.header(name: nameText, value: value.map(bytes) ?? [], context: context)
        }
    }

    static let endOfHeaders: @convention(c) (OpaquePointer?) -> sfsistat = { ctx in
        run(ctx, "eoh", silent: .endOfHeaders) { try $0.endOfHeaders(context: $1) }
    }

    static let body: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>?, Int) -> sfsistat = { ctx, data, length in
        run(ctx, "body") { session, context in
            try session.body(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : length), context: context)
        }
    }

    static let endOfMessage: @convention(c) (OpaquePointer?) -> sfsistat = { ctx in
        run(ctx, "eom") { try $0.endOfMessage(context: $1) }
    }

    static let abort: @convention(c) (OpaquePointer?) -> sfsistat = { ctx in
        if let ctx, let raw = smfi_getpriv(ctx) { Unmanaged<Box>.fromOpaque(raw).takeUnretainedValue().deferred.forget() }
        return run(ctx, "abort") { session, context in
            session.abort(context: context)
            return .proceed
        }
    }

    /// Releases the session. Close may come without connect (a session is then made and dropped at
    /// once) and more than once (the private pointer is cleared, so the second finds nothing to free).
    static let close: @convention(c) (OpaquePointer?) -> sfsistat = { ctx in
        guard let ctx, let raw = smfi_getpriv(ctx) else { return MilterStatus.proceed.raw }
        let box = Unmanaged<Box>.fromOpaque(raw)
        _ = smfi_setpriv(ctx, nil)
        if box.takeUnretainedValue().counted { MilterRunner.sessionsOpen.subtract(1, ordering: .releasing) }
        box.takeUnretainedValue().session.close(context: MilterContext(ctx))
        box.release()
        return MilterStatus.proceed.raw
    }

    /// Asks for the registered actions only, skips the SMTP steps no session uses, and requests macros.
    static let negotiate: @convention(c) (OpaquePointer?, UInt, UInt, UInt, UInt,
                                          UnsafeMutablePointer<UInt>?, UnsafeMutablePointer<UInt>?,
                                          UnsafeMutablePointer<UInt>?, UnsafeMutablePointer<UInt>?) -> sfsistat = {
        ctx, offeredActions, offeredSteps, _, _, actions, steps, f2, f3 in
        guard let registration = MilterRunner.current.withLock({ $0 }) else { return sfsistat(SMFIS_ALL_OPTS) }
        // The handshake opens a session; the MTA may hold back MAIL and RCPT (no reply asked) until DATA,
        // so a stop waits for sessions, not for messages it has seen begin.
        if let ctx { _ = gcm_connection_negotiated(UnsafeRawPointer(ctx)) }
        if let ctx, let box = box(ctx), !box.counted {
            box.counted = true
            MilterRunner.sessionsOpen.add(1, ordering: .releasing)
        }
        var wanted = registration.actions.rawValue
        if !registration.macros.isEmpty { wanted |= MilterActions.setSymbolList.rawValue }
        actions?.pointee = wanted & offeredActions
        // Steps we never look at; SKIP lets the body callback end a long body early.
        let unused = UInt(SMFIP_NOHELO) | UInt(SMFIP_NOUNKNOWN) | UInt(SMFIP_NODATA) | UInt(SMFIP_SKIP)
        // libmilter offers every no-reply flag, faking those the MTA lacks.
        let noReply = registration.silentSteps.reduce(UInt(0)) { $0 | $1.noReplyFlag }
        steps?.pointee = (unused | noReply) & offeredSteps
        f2?.pointee = 0
        f3?.pointee = 0
        if let ctx, (offeredActions & MilterActions.setSymbolList.rawValue) != 0 {
            for (stage, names) in registration.macros where !names.isEmpty {
                _ = names.joined(separator: " ").withCString {
                    smfi_setsymlist(ctx, stage.rawValue, UnsafeMutablePointer(mutating: $0))
                }
            }
        }
        return MilterStatus.proceed.raw
    }
}

private func strings(_ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> [String] {
    guard var cursor = argv else { return [] }
    var result: [String] = []
    while let item = cursor.pointee {
        result.append(String(decoding: bytes(item), as: UTF8.self))
        cursor += 1
    }
    return result
}

private func bytes(_ text: UnsafeMutablePointer<CChar>) -> [UInt8] {
    let length = strlen(text)
    return text.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
}

/// The numeric address of a peer, or nil for a socket that has none (a local client).
private func describe(_ address: UnsafeMutablePointer<sockaddr>) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
    switch Int32(address.pointee.sa_family) {
    case AF_INET:
        return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
            var addr = sin.pointee.sin_addr
            guard inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count)) != nil else { return nil }
            return text(buffer)
        }
    case AF_INET6:
        return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
            var addr = sin6.pointee.sin6_addr
            guard inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count)) != nil else { return nil }
            return text(buffer)
        }
    default:
        return nil
    }
}

/// A NUL-terminated C buffer as a String.
private func text(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
