import Monitor
import Operations
import Testing

/// `check`'s thresholds: the flags, then the config file's `check:` section, then the defaults; contradictions and
/// bad values are refused with a message naming the key.
@Suite struct CheckThresholdsTests {
    static let file = """
        check:
          stream_age_warn: 10m
          stream_age_critical: 1h
          storage_warn: 0.7
          storage_critical: 0.95
          consumer_pending_warn: 500
          consumer_pending_critical: 5000
          consumer_stalled: 90s
          snapshot_age_warn: 30s
          snapshot_age_critical: 2m
          gpu_age_warn: 20s
          gpu_age_critical: 1m
        """

    @Test func withoutFlagsOrFileTheDefaultsHold() throws {
        let thresholds = try CheckThresholds([CheckSettings(), CheckSettings()])
        #expect(thresholds == CheckThresholds())
        #expect(thresholds.streamAge == (300, 1800))
        #expect(thresholds.consumerPending == (10_000, 100_000))
    }

    @Test func theFileSectionSetsEveryThreshold() throws {
        let settings = try ConfigurationFile(yaml: Self.file, source: "monitor.yaml").check
        let thresholds = try CheckThresholds([CheckSettings(), settings])
        #expect(thresholds.streamAge == (600, 3600))
        #expect(thresholds.storage == (0.7, 0.95))
        #expect(thresholds.consumerPending == (500, 5000))
        #expect(thresholds.consumerStalled == 90)
        #expect(thresholds.snapshotAge == (30, 120))
        #expect(thresholds.gpuAge == (20, 60))
    }

    @Test func aFlagWinsOverTheFileKeyAndTheRestStays() throws {
        let file = try ConfigurationFile(yaml: Self.file, source: "monitor.yaml").check
        var flags = CheckSettings()
        flags.consumerPendingWarn = 1000
        flags.gpuAgeCritical = 600
        let thresholds = try CheckThresholds([flags, file])
        #expect(thresholds.consumerPending == (1000, 5000))
        #expect(thresholds.gpuAge == (20, 600))
        #expect(thresholds.streamAge == (600, 3600))
    }

    @Test func aWarnLevelAboveItsCriticalOneIsRefusedWhereverEachCameFrom() throws {
        var file = CheckSettings()
        file.snapshotAgeCritical = 60
        var flags = CheckSettings()
        flags.snapshotAgeWarn = 300
        #expect(throws: CheckThresholdError("snapshot-age-warn is above snapshot-age-critical: lower the warn level or raise the critical one")) {
            try CheckThresholds([flags, file])
        }
        var pending = CheckSettings()
        pending.consumerPendingWarn = 200_000
        #expect(throws: CheckThresholdError.self) { try CheckThresholds([pending]) }
    }

    @Test func aShareOutsideZeroToOneIsRefused() throws {
        var flags = CheckSettings()
        flags.storageCritical = 90
        #expect(throws: CheckThresholdError.self) { try CheckThresholds([flags]) }
    }

    @Test(arguments: [
        ("check: {storage_warn: 80}", "monitor.yaml:1: check.storage_warn 80 must be a share between 0 and 1"),
        ("check: {stream_age_warn: soon}", "monitor.yaml:1: check.stream_age_warn soon must be a duration"),
        ("check: {consumer_pending_warn: -3}", "monitor.yaml:1: check.consumer_pending_warn is -3"),
        ("check:\n  gpu_age_warm: 1m", "gpu_age_warn"),
    ])
    func badFileValuesNameTheKeyAndLine(yaml: String, expected: String) {
        #expect {
            try ConfigurationFile(yaml: yaml, source: "monitor.yaml")
        } throws: { error in
            "\(error)".contains(expected)
        }
    }
}
