import Actions
import CoreMetrics
import Correlation
import Prometheus

/// What the daemon counts for `MetricsListen`, through swift-metrics into one swift-prometheus registry:
/// every message by verdict, action and banner outcome, its reason tokens, the limits it reached, its
/// processing time; configuration reloads; the build. Read off the audit record, so the metrics and the
/// audit log cannot disagree.
public struct MessageMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private let processing: CoreMetrics.Timer

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        // Parsing and judging take about a millisecond, a shared database's answer under one: the
        // default buckets (5 ms to 10 s) would put everything in the first.
        let fine: [Duration] = [.microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                                .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                .seconds(1), .seconds(5)]
        factory.durationHistogramBuckets = [Self.processingName: fine, MeasuredCorrelationStore.latency: fine]
        self.factory = factory
        processing = CoreMetrics.Timer(label: Self.processingName, dimensions: [], factory: factory)
        CoreMetrics.Gauge(label: "giftcard_build_info", dimensions: [("version", Daemon.version)], factory: factory).record(1)
        // Present from the first scrape, so a rate over them starts at zero rather than at the first event.
        for result in ["applied", "refused"] { reloads(result).increment(by: 0) }
    }

    static let processingName = "giftcard_processing_seconds"

    /// One message, as its audit record tells it.
    public func record(_ audit: AuditRecord) {
        CoreMetrics.Counter(label: "giftcard_messages_total",
                dimensions: [("verdict", audit.verdict), ("action", audit.action), ("banner", audit.banner)],
                factory: factory).increment()
        for reason in audit.reasons {
            CoreMetrics.Counter(label: "giftcard_reasons_total", dimensions: [("reason", reason)], factory: factory).increment()
        }
        for limit in audit.limits_reached {
            CoreMetrics.Counter(label: "giftcard_limits_reached_total", dimensions: [("limit", limit)], factory: factory).increment()
        }
        if audit.correlation_state?.hasPrefix("unavailable") == true {
            CoreMetrics.Counter(label: "giftcard_judged_without_state_total", dimensions: [], factory: factory).increment()
        }
        processing.recordNanoseconds(Int64(audit.processing_ms * 1_000_000))
    }

    /// A SIGHUP's outcome: `applied` or `refused`.
    public func reloaded(_ applied: Bool) {
        reloads(applied ? "applied" : "refused").increment()
    }

    private func reloads(_ result: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: "giftcard_config_reloads_total", dimensions: [("result", result)], factory: factory)
    }

    /// `store` with its latency and errors counted.
    public func measured(_ store: any CorrelationStore, as name: String) -> any CorrelationStore {
        MeasuredCorrelationStore(store, store: name, factory: factory)
    }
}
