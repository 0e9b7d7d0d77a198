import EventMetrics
import Monitor
import NATSHealth

/// `/metrics` of a `serve` that runs the NATS health collector: the monitor's families, then the collector's.
///
/// Their names do not overlap (`cim_nats_*`, `nats_*` are the collector's alone), so the two lists are joined as they
/// are, without a merge over the collector's many series.
public struct HealthMetricsSource: MetricsSource {
    public let monitor: any MetricsSource
    public let collector: HealthCollector

    public init(monitor: any MetricsSource, collector: HealthCollector) {
        self.monitor = monitor
        self.collector = collector
    }

    public func families() -> [MetricFamily] {
        monitor.families() + collector.families()
    }

    public func notReadyReason() -> String? {
        monitor.notReadyReason()
    }
}
