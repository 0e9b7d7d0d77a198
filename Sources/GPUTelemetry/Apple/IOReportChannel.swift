/// One channel of an IOReport delta sample (`IOReportCreateSamplesDelta`), as plain values: what
/// ``AppleIOReportSource`` reads out of the CoreFoundation dictionaries with `IOReportChannelGet*`,
/// `IOReportSimpleGetIntegerValue` and `IOReportState*`, and what ``IOReportGPUReading`` computes from.
public struct IOReportChannel: Sendable, Equatable {
    /// One state of a state channel: its name (`OFF`, `IDLE`, `P1`, …) and its residency over the window, in the
    /// channel's ticks.
    public struct State: Sendable, Equatable {
        public var name: String
        public var residency: Int64

        public init(_ name: String, _ residency: Int64) {
            self.name = name
            self.residency = residency
        }
    }

    /// A simple channel's integer (an energy counter's change, in ``IOReportChannel/unit``), or a state channel's
    /// residencies in state order.
    public enum Value: Sendable, Equatable {
        case integer(Int64)
        case states([State])
    }

    /// `GPU Stats`, `Energy Model`, …
    public var group: String
    /// `GPU Performance States`; empty when the channel has none.
    public var subgroup: String
    /// `GPUPH`, `GPU Energy`, `GPU SRAM0`, …
    public var name: String
    /// The unit label, trimmed (`mJ`, `uJ`, `nJ`); empty when the channel has none.
    public var unit: String
    public var value: Value

    public init(group: String, subgroup: String = "", name: String, unit: String = "", value: Value) {
        self.group = group
        self.subgroup = subgroup
        self.name = name
        self.unit = unit
        self.value = value
    }
}
