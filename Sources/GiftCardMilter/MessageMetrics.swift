import Actions
import Correlation
import Prometheus

/// What the daemon counts for `MetricsListen`, in one swift-prometheus registry: every message by verdict,
/// action and banner outcome, its reason tokens, the limits it reached, its processing time, messages
/// judged without their correlation state; the state store's latency and errors; configuration reloads;
/// the build. Read off the audit record, so the metrics and the audit log cannot disagree.
///
/// Made on the registry itself rather than through swift-metrics' factory, which registers every metric
/// without help text: each family here has its `# HELP` line.
public struct MessageMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// Every family, with its help text, in one place (the registry refuses two texts for one name).
    static let families: [String: (name: String, unit: String, help: String)] = Dictionary(uniqueKeysWithValues: [
        ("messages", "total", "Messages judged, by verdict, the action taken and what became of the banner."),
        ("reasons", "total", "Reason tokens given with verdicts (see the reason table in docs/contracts.md)."),
        ("limits_reached", "total", "Messages whose inspection stopped at a configured limit, by limit."),
        ("judged_without_state", "total", "Messages judged without any correlation facts: the state store failed for them."),
        ("judged_from_memory", "total", "Messages judged with this host's in-memory correlation state because the state file or the shared database could not be used."),
        ("processing", "seconds", "Time to parse and judge one message, correlation included."),
        ("state", "seconds", "Time one call to the correlation state store took, by store and operation."),
        ("state_errors", "total", "Calls to the correlation state store that failed, by store and operation."),
        ("config_reloads", "total", "Configuration reloads on SIGHUP, by result (applied or refused)."),
        ("build", "info", "The running build; its value is always 1."),
        ("audit_records_dropped", "total", "Audit records that could not be written (the log says why at most once a minute)."),
        ("metrics_connections_refused", "total", "Connections to the metrics endpoint closed at once because its 16 connections were open."),
    ].map { name, unit, help in ("giftcard_\(name)_\(unit)", (name, unit, help)) })

    /// The descriptor of a family by its full name.
    static func family(_ fullName: String) -> MetricNameDescriptor {
        let entry = families[fullName]!
        return MetricNameDescriptor(namespace: "giftcard", metricName: entry.name, unitName: entry.unit, helpText: entry.help)
    }

    /// Parsing and judging take about a millisecond, a shared database's answer under one: the default
    /// buckets (5 ms to 10 s) would put everything in the first.
    static let buckets: [Duration] = [.microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                                      .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                      .milliseconds(250), .seconds(1), .seconds(5)]

    private let processing: DurationHistogram
    private let withoutState: Counter
    private let fromMemory: Counter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        processing = registry.makeDurationHistogram(descriptor: Self.family("giftcard_processing_seconds"), labels: [],
                                                    buckets: Self.buckets)
        withoutState = registry.makeCounter(descriptor: Self.family("giftcard_judged_without_state_total"), labels: [])
        fromMemory = registry.makeCounter(descriptor: Self.family("giftcard_judged_from_memory_total"), labels: [])
        registry.makeGauge(descriptor: Self.family("giftcard_build_info"), labels: [("version", Daemon.version)]).set(Int64(1))
        // Present from the first scrape, so a rate over them starts at zero rather than at the first event.
        for result in ["applied", "refused"] { _ = reloads(result) }
        _ = counter("giftcard_metrics_connections_refused_total")
        _ = counter("giftcard_audit_records_dropped_total")
    }

    private func counter(_ name: String, _ labels: [(String, String)] = []) -> Counter {
        registry.makeCounter(descriptor: Self.family(name), labels: labels)
    }

    /// One message, as its audit record tells it.
    public func record(_ audit: AuditRecord) {
        counter("giftcard_messages_total", [("verdict", audit.verdict.kind.rawValue), ("action", audit.action), ("banner", audit.banner)]).increment()
        for reason in audit.verdict.reasons { counter("giftcard_reasons_total", [("reason", reason.rawValue)]).increment() }
        for limit in audit.limitsReached { counter("giftcard_limits_reached_total", [("limit", limit)]).increment() }
        switch audit.correlationState {
        case .unavailable: withoutState.increment()
        case .memory: fromMemory.increment()
        case nil: break
        }
        processing.record(.nanoseconds(Int64(audit.processingMilliseconds * 1_000_000)))
    }

    /// A SIGHUP's outcome: `applied` or `refused`.
    public func reloaded(_ applied: Bool) {
        reloads(applied ? "applied" : "refused").increment()
    }

    private func reloads(_ result: String) -> Counter {
        counter("giftcard_config_reloads_total", [("result", result)])
    }

    /// A message whose audit record could not be written.
    func droppedAuditRecord() {
        counter("giftcard_audit_records_dropped_total").increment()
    }

    /// A metrics connection closed at once at the cap.
    func refusedMetricsConnection() {
        counter("giftcard_metrics_connections_refused_total").increment()
    }

    /// `store` with its latency and errors counted; `name` labels the backend: `sqlite` or `postgresql`.
    public func measured(_ store: any CorrelationStore, as name: String) -> any CorrelationStore {
        let observer = { (operation: String) -> MeasuredCorrelationStore.Observer in
            let labels = [("store", name), ("operation", operation)]
            let latency = registry.makeDurationHistogram(descriptor: Self.family("giftcard_state_seconds"), labels: labels,
                                                         buckets: Self.buckets)
            let errors = counter("giftcard_state_errors_total", labels)
            return MeasuredCorrelationStore.Observer(latency: { latency.record($0) }, failed: { errors.increment() })
        }
        return MeasuredCorrelationStore(store, record: observer("record"), incidents: observer("incidents"))
    }
}
