/// Turns raw label values (subject tokens, payload and header strings) into bounded snake_case
/// ASCII, as the spec (`Tests/Fixtures/README.md`, "Normalisation of label values") says:
/// `AgentGPUAllocationFailed` → `agent_gpu_allocation_failed`; `[a-z0-9_]` only; runs of `_`
/// collapsed; trimmed; at most 64 characters; empty, UUIDs and long hex ids → `unknown`.
public enum LabelNormaliser {
    /// The longest label value.
    public static let maximumLength = 64

    /// The normalised form of `value`.
    public static func normalise(_ value: String) -> String {
        var value = value
        return value.withUTF8 { label(UnsafeRawBufferPointer($0)).value }
    }

    /// The event-type substrings that make an event a failure.
    static let failureWords: [StaticString] = ["failed", "failure", "error", "rejected", "timedout", "timed_out", "aborted", "crashed"]

    /// The label for `raw`, computed (not cached).
    static func label(_ raw: UnsafeRawBufferPointer) -> Label {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumLength) { buffer in
            let out = UnsafeMutableRawBufferPointer(buffer)
            let n = normalise(raw, into: out)
            let text = UnsafeRawBufferPointer(rebasing: out[0..<n])
            guard n > 0, !isIdentifier(raw), !isIdentifier(text) else { return .unknown }
            return Label(value: String(bytes: text), isFailure: namesFailure(text))
        }
    }

    /// Writes the normalised form of `raw` into `out` (at least `maximumLength` bytes) and returns
    /// its length (0 when empty).
    static func normalise(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Int {
        var n = 0
        var pendingUnderscore = false
        let count = raw.count
        for i in 0..<count {
            let c = raw[i]
            var emitted: UInt8
            if isUpper(c) {
                let previous = i > 0 ? raw[i - 1] : 0
                let next = i + 1 < count ? raw[i + 1] : 0
                if isLower(previous) || isDigit(previous) || (isUpper(previous) && isLower(next)) {
                    pendingUnderscore = n > 0
                }
                emitted = c | 0x20
            } else if isLower(c) || isDigit(c) {
                emitted = c
            } else {
                pendingUnderscore = n > 0
                continue
            }
            if pendingUnderscore {
                // The separator needs room for the character after it: a value cut at the limit never ends in `_`.
                guard n < maximumLength - 1 else { break }
                out[n] = UInt8(ascii: "_")
                n += 1
                pendingUnderscore = false
            }
            guard n < maximumLength else { break }
            out[n] = emitted
            n += 1
        }
        return n
    }

    /// Whether `s` looks like an identifier: a UUID (with `-` or, once normalised, `_`), or 12 or
    /// more hex digits.
    static func isIdentifier(_ s: UnsafeRawBufferPointer) -> Bool {
        let n = s.count
        guard n >= 12 else { return false }
        var allHex = true
        var uuidShaped = n == 36 && (s[8] == UInt8(ascii: "-") || s[8] == UInt8(ascii: "_"))
        for i in 0..<n {
            let isHex = JSONStringDecoder.hexValue(s[i]) != nil
            allHex = allHex && isHex
            if uuidShaped {
                let isSeparatorPosition = i == 8 || i == 13 || i == 18 || i == 23
                uuidShaped = isSeparatorPosition ? s[i] == s[8] : isHex
            }
            if !allHex && !uuidShaped { return false }
        }
        return true
    }

    /// Whether a normalised event type names a failure.
    static func namesFailure(_ s: UnsafeRawBufferPointer) -> Bool {
        for word in failureWords {
            let w = word.utf8Start
            let count = word.utf8CodeUnitCount
            var start = 0
            while start + count <= s.count {
                var k = 0
                while k < count, s[start + k] == w[k] { k += 1 }
                if k == count { return true }
                start += 1
            }
        }
        return false
    }

    @inline(__always) private static func isUpper(_ c: UInt8) -> Bool { c &- UInt8(ascii: "A") < 26 }
    @inline(__always) private static func isLower(_ c: UInt8) -> Bool { c &- UInt8(ascii: "a") < 26 }
    @inline(__always) private static func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }
}
