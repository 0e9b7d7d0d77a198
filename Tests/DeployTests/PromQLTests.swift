import Testing

/// The scanner the deploy tests use to find what an expression reads.
@Suite struct PromQLTests {
    @Test func findsSelectorsButNotFunctionsAggregationsOrLabelLists() {
        let expression = """
            sum by (domain) (rate(cim_events_failed_total{job="x", event_type=~"a|b"}[5m]))
            / on (domain) group_left sum without (instance) (cim_events_total) > 0.1
            and on () max(cim_monitor_nats_connected) == 1 or vector(0)
            """
        #expect(
            PromQL.selectors(in: expression).map(\.description) == [
                #"cim_events_failed_total{job="x", event_type=~"a|b"}"#, "cim_events_total", "cim_monitor_nats_connected",
            ]
        )
    }

    @Test func readsRecordingRuleNamesHistogramsAndOffsets() {
        let expression = "histogram_quantile(0.99, sum by (le) (rate(x_bucket[1m] offset 5m))) > domain:cim_events:rate5m"
        #expect(PromQL.metricNames(in: expression) == ["x_bucket", "domain:cim_events:rate5m"])
    }

    @Test func stringsAndBracesInMatchersDoNotConfuseIt() {
        let expression = #"absent(up{job="a}b", path='{by (x)}'}) + time() - foo"#
        #expect(PromQL.selectors(in: expression).map(\.name) == ["up", "foo"])
    }

    @Test func grafanaVariablesBecomeRunnableValues() {
        let query = #"sum(rate(cim_events_total{domain=~"$domain", node=~"${node}"}[$__rate_interval])) / increase(x[$__range])"#
        #expect(
            PromQL.substitutingGrafanaVariables(query)
                == #"sum(rate(cim_events_total{domain=~".*", node=~".*"}[1m])) / increase(x[5m])"#
        )
    }

    @Test func labelValuesQueriesNameTheirSelector() {
        #expect(
            PromQL.labelValues(#"label_values(cim_events_total{instance=~"$instance"}, domain)"#)! == (
                #"cim_events_total{instance=~"$instance"}"#, "domain"
            )
        )
        #expect(PromQL.labelValues("label_values(domain)") == nil)
        #expect(PromQL.labelValues("query_result(up)") == nil)
    }
}
