import EventMetrics
import Monitor

/// What the HTTP endpoints read: the metric families to expose and whether the monitor is ready.
///
/// ``MonitorService`` is the one used by `serve`; anything else that holds metric families (a fold kept in memory,
/// say) can be served the same way.
public protocol MetricsSource: Sendable {
    /// Every metric family, ready to render.
    func families() -> [MetricFamily]
    /// Why the monitor is not ready, or `nil` when it is.
    func notReadyReason() -> String?
}

extension MonitorService: MetricsSource {}
