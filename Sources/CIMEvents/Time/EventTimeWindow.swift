/// The event times the monitor believes: from 2000-01-01T00:00:00Z to one day after a reference time (the
/// message's JetStream store time, else the time it was received).
///
/// A time outside it (a unit mistake, a zeroed or saturated field, a hostile value such as `1e308` or
/// `Int64.min` seconds) is the schema violation `timestamp_out_of_range` and is never used for lag, publish
/// delay or `cim_event_last_timestamp_seconds`: one such event would otherwise pin a gauge in the far future
/// or add years to a histogram's sum for good.
public enum EventTimeWindow {
    /// 2000-01-01T00:00:00Z in unix seconds: earlier event times are out of range.
    public static let earliest: Double = 946_684_800
    /// How far (seconds) an event time may be after its reference time: one day, for skewed clocks.
    public static let maximumAhead: Double = 86_400

    /// Whether `time` is plausible: finite, not before ``earliest``, and at most ``maximumAhead`` after
    /// `reference` (no upper bound when `reference` is `nil` or not finite).
    @inlinable
    public static func contains(_ time: Double, reference: Double?) -> Bool {
        guard time.isFinite, time >= earliest else { return false }
        guard let reference, reference.isFinite else { return true }
        return time <= reference + maximumAhead
    }
}
