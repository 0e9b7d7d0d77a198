/// Reads event times in the forms CIM producers use, as unix seconds.
///
/// `nil` means unreadable (`bad_timestamp`). A readable number is returned as it is, even when it is not
/// finite or absurd: whether it is believable is ``EventTimeWindow``'s call (`timestamp_out_of_range`).
enum EventTime {
    /// Numbers above this are unix milliseconds, not seconds.
    static let millisecondsThreshold = 1e11

    /// Unix seconds from a JSON number (seconds, or milliseconds when above 1e11).
    static func seconds(number: UnsafeRawBufferPointer) -> Double? {
        guard let value = JSONNumber.double(number) else { return nil }
        return value > millisecondsThreshold ? value / 1000 : value
    }

    /// Unix seconds from text: RFC 3339, or a decimal number of unix seconds (the `X-Timestamp`
    /// header form, also accepted in a payload string).
    static func seconds(text: UnsafeRawBufferPointer) -> Double? {
        if let value = RFC3339.seconds(text) { return value }
        guard JSONScanner.number(in: text, at: 0)?.end == text.count else { return nil }
        return seconds(number: text)
    }

    /// Unix seconds from a `{"secs_since_epoch": s, "nanos_since_epoch": ns}` object (Rust `SystemTime`).
    static func seconds(secs: UnsafeRawBufferPointer, nanos: UnsafeRawBufferPointer?) -> Double? {
        guard let s = JSONNumber.double(secs) else { return nil }
        guard let nanos else { return s }
        guard let ns = JSONNumber.double(nanos) else { return nil }
        return s + ns / 1e9
    }

    /// Unix seconds from a payload time field; `nil` when absent or unreadable.
    static func seconds(_ value: TimeValue, in payload: UnsafeRawBufferPointer) -> Double? {
        switch value {
        case .absent, .unreadable, .object(secs: nil, nanos: _): nil
        case .string(let string): string.withBytes(in: payload) { seconds(text: $0) }
        case .number(let number): seconds(number: payload.slice(number.span))
        case .object(let secs?, let nanos): seconds(secs: payload.slice(secs.span), nanos: nanos.map { payload.slice($0.span) })
        }
    }
}
