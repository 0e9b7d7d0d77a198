import CIMEvents

/// An event time in the forms CIM producers write it: RFC 3339 (`Z` or `+00:00`, any precision), unix
/// seconds, unix milliseconds, and serde's `SystemTime` object.
public struct SimulatedTimestamp: Sendable, Equatable {
    /// Unix seconds.
    public var seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
    }

    /// Unix milliseconds (what a UUIDv7 embeds).
    public var milliseconds: UInt64 { UInt64(max(0, seconds * 1000).rounded(.down)) }

    /// RFC 3339 in UTC with `fractionDigits` (0…9) digits after the second: `2025-07-05T18:51:57.250Z`.
    public func rfc3339(fractionDigits: Int = 3, offset: Bool = false) -> String {
        let whole = Int64(seconds.rounded(.down))
        let nanos = Int64(((seconds - Double(whole)) * 1e9).rounded(.down))
        return RFC3339.format(nanoseconds: whole * 1_000_000_000 + nanos, fractionDigits: fractionDigits, offset: offset)
    }

    /// Unix seconds as a decimal string with `decimals` digits (the workflow publisher's `X-Timestamp`).
    public func unixString(decimals: Int = 3) -> String {
        SimulatedJSON.format(seconds, decimals: decimals)
    }

    /// `{"secs_since_epoch": s, "nanos_since_epoch": ns}`, serde's form of `SystemTime`.
    public var systemTime: SimulatedJSON {
        let whole = Int64(seconds.rounded(.down))
        let nanos = Int64(((seconds - Double(whole)) * 1e9).rounded(.down))
        return ["secs_since_epoch": .int(whole), "nanos_since_epoch": .int(nanos)]
    }
}
