import Actions
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import Synchronization

/// The scrape endpoint of `MetricsListen`: `GET /metrics` answers with swift-prometheus's text
/// exposition of the registry. HTTP is SwiftNIO's (NIOHTTP1), on one event loop of its own, apart
/// from libmilter's threads; nothing here is on a message's path.
///
/// It shares the process's descriptors with the milter, so it can never hold many: at most
/// `maximumConnections` at once (a further one is closed as soon as it is accepted, counted, and said
/// in the log at most once a minute), and a connection idle for `idleTimeout` is closed. A scraper
/// needs one connection every few seconds.
public final class MetricsEndpoint: Sendable {
    public static let maximumConnections = 16
    public static let idleTimeout: TimeAmount = .seconds(10)

    private let channel: any Channel
    /// Where it listens (the port the system chose, for `MetricsListen HOST:0`).
    public let address: String

    private init(channel: any Channel) {
        self.channel = channel
        address = channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
    }

    /// Binds `host:port` and serves until `close`.
    public static func start(host: String, port: Int, metrics: MessageMetrics, logger: Logger,
                             maximumConnections: Int = MetricsEndpoint.maximumConnections,
                             idleTimeout: TimeAmount = MetricsEndpoint.idleTimeout) throws -> MetricsEndpoint {
        let registry = metrics.registry
        let open = Atomic<Int>(0)
        let throttle = LogThrottle()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 32)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                guard open.add(1, ordering: .relaxed).newValue <= maximumConnections else {
                    open.subtract(1, ordering: .relaxed)
                    metrics.refusedMetricsConnection()
                    if throttle.due() {
                        logger.warning("metrics endpoint: \(maximumConnections) connections open; closing new ones at once (scrapers need one)")
                    }
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in open.subtract(1, ordering: .relaxed) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                    try channel.pipeline.syncOperations.addHandler(CloseWhenIdle())
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ScrapeHandler(registry: registry))
                }
            }
        return MetricsEndpoint(channel: try bootstrap.bind(host: host, port: port).wait())
    }

    public func close() {
        try? channel.close().wait()
    }
}

/// Closes a connection on which nothing was read or written for the idle timeout.
private final class CloseWhenIdle: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent { context.close(promise: nil) } else { context.fireUserInboundEventTriggered(event) }
    }
}

/// One HTTP connection: `/metrics` for GET and HEAD, 404 for other paths, 405 for other methods.
private final class ScrapeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private var request: HTTPRequestHead?

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): request = head
        case .body: break
        case .end:
            if let request { respond(to: request, context: context) }
            request = nil
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let status: HTTPResponseStatus
        var body: [UInt8]
        var headers = HTTPHeaders()
        if request.method != .GET, request.method != .HEAD {
            (status, body) = (.methodNotAllowed, Array("GET /metrics\n".utf8))
            headers.add(name: "Allow", value: "GET, HEAD")
        } else if path == "/metrics" {
            (status, body) = (.ok, registry.emitToBuffer())
        } else {
            (status, body) = (.notFound, Array("giftcard-milter serves /metrics only\n".utf8))
        }
        headers.add(name: "Content-Type", value: status == .ok ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: "\(body.count)")
        let keepAlive = request.isKeepAlive
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        if request.method == .HEAD { body = [] }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
