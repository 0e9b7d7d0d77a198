/// The `.`-separated tokens of a subject, as spans: the first five (all the built-in profile looks
/// at), the last, and how many there are. Empty tokens count (`a..b` has three).
struct SubjectTokens {
    private(set) var count = 0
    private var first: (ByteSpan, ByteSpan, ByteSpan, ByteSpan, ByteSpan)
    private(set) var last: ByteSpan

    static let stored = 5

    init(_ subject: UnsafeRawBufferPointer) {
        let none = ByteSpan(start: 0, end: 0)
        first = (none, none, none, none, none)
        last = none
        var start = 0
        var i = 0
        let n = subject.count
        while i < n {
            if subject[i] == UInt8(ascii: ".") {
                append(ByteSpan(start: start, end: i))
                start = i + 1
            }
            i += 1
        }
        append(ByteSpan(start: start, end: n))
    }

    @inline(__always)
    private mutating func append(_ span: ByteSpan) {
        switch count {
        case 0: first.0 = span
        case 1: first.1 = span
        case 2: first.2 = span
        case 3: first.3 = span
        case 4: first.4 = span
        default: break
        }
        last = span
        count += 1
    }

    /// Token `index` (`0..<min(count, 5)`).
    subscript(index: Int) -> ByteSpan {
        switch index {
        case 0: first.0
        case 1: first.1
        case 2: first.2
        case 3: first.3
        default: first.4
        }
    }
}
