import CIMEvents
import Testing

@testable import EventMetrics

@Suite struct FoldExpositionTests {
    /// Two domains, a duplicate, a failure, two violations, publish delays and one lag observation.
    static func smallFold() -> MetricsFold {
        var fold = MetricsFold(publishDelayBuckets: [0.1, 1], lagBuckets: [0.5])
        fold.fold(event("orders", "order", "order_placed", time: 1_700_000_100, id: "a"), storedAt: 1_700_000_100.25, sequence: 1)
        fold.fold(event("orders", "order", "order_placed", time: 1_700_000_101.5, id: "a"), storedAt: 1_700_000_103, sequence: 2)
        fold.fold(
            event("orders", "payment", "payment_failed", time: 1_700_000_099, id: "b", failed: true, errorType: "card_declined"),
            storedAt: nil,
            sequence: 3
        )
        fold.fold(event("billing", "unknown", "unknown", violations: [.invalidJSON, .empty]), storedAt: nil, sequence: 4)
        fold.observeLag(0.25, domain: "orders")
        return fold
    }

    @Test func rendersPrometheusTextExactly() throws {
        let expected = #"""
            # HELP cim_event_duplicates_total Events whose id was already seen within the recent duplicate window.
            # TYPE cim_event_duplicates_total counter
            cim_event_duplicates_total{domain="billing"} 0
            cim_event_duplicates_total{domain="orders"} 1
            # HELP cim_event_lag_seconds Time from event time to observation by the monitor, for live events.
            # TYPE cim_event_lag_seconds histogram
            cim_event_lag_seconds_bucket{domain="orders",le="0.5"} 1
            cim_event_lag_seconds_bucket{domain="orders",le="+Inf"} 1
            cim_event_lag_seconds_sum{domain="orders"} 0.25
            cim_event_lag_seconds_count{domain="orders"} 1
            # HELP cim_event_last_timestamp_seconds Newest event time seen, in unix seconds.
            # TYPE cim_event_last_timestamp_seconds gauge
            cim_event_last_timestamp_seconds{domain="orders"} 1700000101.5
            # HELP cim_event_publish_delay_seconds Time from event time to JetStream store time.
            # TYPE cim_event_publish_delay_seconds histogram
            cim_event_publish_delay_seconds_bucket{domain="orders",le="0.1"} 0
            cim_event_publish_delay_seconds_bucket{domain="orders",le="1.0"} 1
            cim_event_publish_delay_seconds_bucket{domain="orders",le="+Inf"} 2
            cim_event_publish_delay_seconds_sum{domain="orders"} 1.75
            cim_event_publish_delay_seconds_count{domain="orders"} 2
            # HELP cim_event_schema_violations_total Messages that violate the CIM event schema, by domain and reason.
            # TYPE cim_event_schema_violations_total counter
            cim_event_schema_violations_total{domain="billing",reason="empty"} 1
            cim_event_schema_violations_total{domain="billing",reason="invalid_json"} 1
            # HELP cim_events_failed_total Failed events, by domain, aggregate type, event type and error type.
            # TYPE cim_events_failed_total counter
            cim_events_failed_total{domain="orders",aggregate_type="payment",event_type="payment_failed",error_type="card_declined"} 1
            # HELP cim_events_total Events folded, by domain, aggregate type and event type; every message counts once.
            # TYPE cim_events_total counter
            cim_events_total{domain="billing",aggregate_type="unknown",event_type="unknown"} 1
            cim_events_total{domain="orders",aggregate_type="order",event_type="order_placed"} 2
            cim_events_total{domain="orders",aggregate_type="payment",event_type="payment_failed"} 1
            # HELP cim_gpu_clock_hertz Clock frequency by domain, last sample.
            # TYPE cim_gpu_clock_hertz gauge
            # HELP cim_gpu_ecc_errors_total ECC errors reported by ecc_error events, by bit (single = corrected, double = uncorrected).
            # TYPE cim_gpu_ecc_errors_total counter
            # HELP cim_gpu_energy_joules_total Energy since the driver loaded, as the GPU reports it.
            # TYPE cim_gpu_energy_joules_total counter
            # HELP cim_gpu_info 1 for every GPU and MIG instance seen, with its driver.
            # TYPE cim_gpu_info gauge
            # HELP cim_gpu_memory_reserved_bytes Memory the driver and firmware reserve (Apple: system memory allocated to the GPU), last sample.
            # TYPE cim_gpu_memory_reserved_bytes gauge
            # HELP cim_gpu_memory_total_bytes Memory size, last sample.
            # TYPE cim_gpu_memory_total_bytes gauge
            # HELP cim_gpu_memory_used_bytes Memory in use (Apple: GPU-client system memory), last sample.
            # TYPE cim_gpu_memory_used_bytes gauge
            # HELP cim_gpu_power_limit_watts Enforced power limit, last sample.
            # TYPE cim_gpu_power_limit_watts gauge
            # HELP cim_gpu_power_watts Power draw, last sample.
            # TYPE cim_gpu_power_watts gauge
            # HELP cim_gpu_remapped_rows Memory rows remapped, by kind, as the GPU reports it (Ampere and later), last sample.
            # TYPE cim_gpu_remapped_rows gauge
            # HELP cim_gpu_retired_pages Pages retired for ECC errors, by cause, as the GPU reports it (GPUs before Ampere), last sample.
            # TYPE cim_gpu_retired_pages gauge
            # HELP cim_gpu_samples_total sampled events folded, by node.
            # TYPE cim_gpu_samples_total counter
            # HELP cim_gpu_temperature_celsius Temperature by sensor, last sample.
            # TYPE cim_gpu_temperature_celsius gauge
            # HELP cim_gpu_throttle_active 1 while the clocks-event (throttle) reason is active, last sample.
            # TYPE cim_gpu_throttle_active gauge
            # HELP cim_gpu_up 1 while the GPU's agent samples it; 0 after 3 of its intervals without a sample.
            # TYPE cim_gpu_up gauge
            # HELP cim_gpu_utilization_ratio Share of time the engine was busy (0..1), last sample.
            # TYPE cim_gpu_utilization_ratio gauge
            # HELP cim_gpu_xid_errors_total Xid errors reported by xid_error events, by code.
            # TYPE cim_gpu_xid_errors_total counter
            # HELP cim_monitor_events_processed_total Messages folded into the event metrics.
            # TYPE cim_monitor_events_processed_total counter
            cim_monitor_events_processed_total 4
            # HELP cim_monitor_series Series of each event metric family.
            # TYPE cim_monitor_series gauge
            cim_monitor_series{family="cim_event_duplicates_total"} 2
            cim_monitor_series{family="cim_event_lag_seconds"} 1
            cim_monitor_series{family="cim_event_last_timestamp_seconds"} 1
            cim_monitor_series{family="cim_event_publish_delay_seconds"} 1
            cim_monitor_series{family="cim_event_schema_violations_total"} 2
            cim_monitor_series{family="cim_events_failed_total"} 1
            cim_monitor_series{family="cim_events_total"} 3
            # HELP cim_monitor_series_overflow_total Events folded into an __overflow__ series of a family because a cardinality limit was reached.
            # TYPE cim_monitor_series_overflow_total counter
            cim_monitor_series_overflow_total{family="cim_event_duplicates_total"} 0
            cim_monitor_series_overflow_total{family="cim_event_lag_seconds"} 0
            cim_monitor_series_overflow_total{family="cim_event_last_timestamp_seconds"} 0
            cim_monitor_series_overflow_total{family="cim_event_publish_delay_seconds"} 0
            cim_monitor_series_overflow_total{family="cim_event_schema_violations_total"} 0
            cim_monitor_series_overflow_total{family="cim_events_failed_total"} 0
            cim_monitor_series_overflow_total{family="cim_events_total"} 0

            """#
        #expect(try Self.smallFold().text(.prometheus) == expected)
    }

    @Test func rendersOpenMetricsExactly() throws {
        let expected = #"""
            # TYPE cim_event_duplicates counter
            # HELP cim_event_duplicates Events whose id was already seen within the recent duplicate window.
            cim_event_duplicates_total{domain="billing"} 0
            cim_event_duplicates_total{domain="orders"} 1
            # TYPE cim_event_lag_seconds histogram
            # UNIT cim_event_lag_seconds seconds
            # HELP cim_event_lag_seconds Time from event time to observation by the monitor, for live events.
            cim_event_lag_seconds_bucket{domain="orders",le="0.5"} 1
            cim_event_lag_seconds_bucket{domain="orders",le="+Inf"} 1
            cim_event_lag_seconds_sum{domain="orders"} 0.25
            cim_event_lag_seconds_count{domain="orders"} 1
            # TYPE cim_event_last_timestamp_seconds gauge
            # UNIT cim_event_last_timestamp_seconds seconds
            # HELP cim_event_last_timestamp_seconds Newest event time seen, in unix seconds.
            cim_event_last_timestamp_seconds{domain="orders"} 1700000101.5
            # TYPE cim_event_publish_delay_seconds histogram
            # UNIT cim_event_publish_delay_seconds seconds
            # HELP cim_event_publish_delay_seconds Time from event time to JetStream store time.
            cim_event_publish_delay_seconds_bucket{domain="orders",le="0.1"} 0
            cim_event_publish_delay_seconds_bucket{domain="orders",le="1.0"} 1
            cim_event_publish_delay_seconds_bucket{domain="orders",le="+Inf"} 2
            cim_event_publish_delay_seconds_sum{domain="orders"} 1.75
            cim_event_publish_delay_seconds_count{domain="orders"} 2
            # TYPE cim_event_schema_violations counter
            # HELP cim_event_schema_violations Messages that violate the CIM event schema, by domain and reason.
            cim_event_schema_violations_total{domain="billing",reason="empty"} 1
            cim_event_schema_violations_total{domain="billing",reason="invalid_json"} 1
            # TYPE cim_events_failed counter
            # HELP cim_events_failed Failed events, by domain, aggregate type, event type and error type.
            cim_events_failed_total{domain="orders",aggregate_type="payment",event_type="payment_failed",error_type="card_declined"} 1
            # TYPE cim_events counter
            # HELP cim_events Events folded, by domain, aggregate type and event type; every message counts once.
            cim_events_total{domain="billing",aggregate_type="unknown",event_type="unknown"} 1
            cim_events_total{domain="orders",aggregate_type="order",event_type="order_placed"} 2
            cim_events_total{domain="orders",aggregate_type="payment",event_type="payment_failed"} 1
            # TYPE cim_gpu_clock_hertz gauge
            # HELP cim_gpu_clock_hertz Clock frequency by domain, last sample.
            # TYPE cim_gpu_ecc_errors counter
            # HELP cim_gpu_ecc_errors ECC errors reported by ecc_error events, by bit (single = corrected, double = uncorrected).
            # TYPE cim_gpu_energy_joules counter
            # HELP cim_gpu_energy_joules Energy since the driver loaded, as the GPU reports it.
            # TYPE cim_gpu_info gauge
            # HELP cim_gpu_info 1 for every GPU and MIG instance seen, with its driver.
            # TYPE cim_gpu_memory_reserved_bytes gauge
            # HELP cim_gpu_memory_reserved_bytes Memory the driver and firmware reserve (Apple: system memory allocated to the GPU), last sample.
            # TYPE cim_gpu_memory_total_bytes gauge
            # HELP cim_gpu_memory_total_bytes Memory size, last sample.
            # TYPE cim_gpu_memory_used_bytes gauge
            # HELP cim_gpu_memory_used_bytes Memory in use (Apple: GPU-client system memory), last sample.
            # TYPE cim_gpu_power_limit_watts gauge
            # HELP cim_gpu_power_limit_watts Enforced power limit, last sample.
            # TYPE cim_gpu_power_watts gauge
            # HELP cim_gpu_power_watts Power draw, last sample.
            # TYPE cim_gpu_remapped_rows gauge
            # HELP cim_gpu_remapped_rows Memory rows remapped, by kind, as the GPU reports it (Ampere and later), last sample.
            # TYPE cim_gpu_retired_pages gauge
            # HELP cim_gpu_retired_pages Pages retired for ECC errors, by cause, as the GPU reports it (GPUs before Ampere), last sample.
            # TYPE cim_gpu_samples counter
            # HELP cim_gpu_samples sampled events folded, by node.
            # TYPE cim_gpu_temperature_celsius gauge
            # HELP cim_gpu_temperature_celsius Temperature by sensor, last sample.
            # TYPE cim_gpu_throttle_active gauge
            # HELP cim_gpu_throttle_active 1 while the clocks-event (throttle) reason is active, last sample.
            # TYPE cim_gpu_up gauge
            # HELP cim_gpu_up 1 while the GPU's agent samples it; 0 after 3 of its intervals without a sample.
            # TYPE cim_gpu_utilization_ratio gauge
            # HELP cim_gpu_utilization_ratio Share of time the engine was busy (0..1), last sample.
            # TYPE cim_gpu_xid_errors counter
            # HELP cim_gpu_xid_errors Xid errors reported by xid_error events, by code.
            # TYPE cim_monitor_events_processed counter
            # HELP cim_monitor_events_processed Messages folded into the event metrics.
            cim_monitor_events_processed_total 4
            # TYPE cim_monitor_series gauge
            # HELP cim_monitor_series Series of each event metric family.
            cim_monitor_series{family="cim_event_duplicates_total"} 2
            cim_monitor_series{family="cim_event_lag_seconds"} 1
            cim_monitor_series{family="cim_event_last_timestamp_seconds"} 1
            cim_monitor_series{family="cim_event_publish_delay_seconds"} 1
            cim_monitor_series{family="cim_event_schema_violations_total"} 2
            cim_monitor_series{family="cim_events_failed_total"} 1
            cim_monitor_series{family="cim_events_total"} 3
            # TYPE cim_monitor_series_overflow counter
            # HELP cim_monitor_series_overflow Events folded into an __overflow__ series of a family because a cardinality limit was reached.
            cim_monitor_series_overflow_total{family="cim_event_duplicates_total"} 0
            cim_monitor_series_overflow_total{family="cim_event_lag_seconds"} 0
            cim_monitor_series_overflow_total{family="cim_event_last_timestamp_seconds"} 0
            cim_monitor_series_overflow_total{family="cim_event_publish_delay_seconds"} 0
            cim_monitor_series_overflow_total{family="cim_event_schema_violations_total"} 0
            cim_monitor_series_overflow_total{family="cim_events_failed_total"} 0
            cim_monitor_series_overflow_total{family="cim_events_total"} 0
            # EOF

            """#
        #expect(try Self.smallFold().text(.openMetrics) == expected)
    }

    @Test func rendersAnEmptyFoldWithMetadataForEveryFamily() throws {
        let text = try MetricsFold().text(.prometheus)
        for family in EventFamily.allCases {
            #expect(text.contains("# TYPE \(family.name) "))
            #expect(text.contains("cim_monitor_series{family=\"\(family.name)\"} 0\n"))
        }
        #expect(text.contains("cim_monitor_events_processed_total 0\n"))
        #expect(try MetricsFold().text(.openMetrics).hasSuffix("cim_monitor_series_overflow_total{family=\"cim_events_total\"} 0\n# EOF\n"))
    }

    @Test func rendersFoldFamiliesTogetherWithOtherFamilies() throws {
        let process = try MetricFamily(
            name: "process_cpu_seconds_total",
            help: "CPU time.",
            type: .counter,
            unit: "seconds",
            series: [MetricSeries(value: .number(1.5))]
        )
        let text = try ExpositionFormat.openMetrics.renderString(Self.smallFold().families() + [process])
        #expect(
            text.contains(
                "# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n# HELP process_cpu_seconds CPU time.\nprocess_cpu_seconds_total 1.5\n# EOF\n"
            )
        )
    }
}
