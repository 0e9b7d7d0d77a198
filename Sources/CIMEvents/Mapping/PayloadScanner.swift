/// Validates a whole JSON document and collects the `PayloadFields` of a CIM payload in one pass,
/// without building a tree or allocating: an iterative walk with an explicit container stack
/// (bounded by `JSONScanner.maximumDepth`), driven by `JSONScanner`.
struct PayloadScanner {
    /// How a payload scanned.
    enum Outcome {
        /// Valid JSON whose top level is an object.
        case object
        /// Valid JSON, but not an object.
        case notObject
        /// Not valid JSON (this includes invalid UTF-8; `EventMapper` tells the two apart).
        case invalid
    }

    /// An open `error` object: where its key is, and the `kind`/`type`/`code` strings seen in it.
    private struct ErrorFrame {
        var keyOffset: Int32
        var kind: JSONString?
        var type: JSONString?
        var code: JSONString?
    }

    /// `error` objects open only at depths 2…7, one per depth.
    private static let errorFrameCapacity = PayloadSlot.errorSearchDepth + 2

    private let bytes: UnsafeRawBufferPointer
    private let stack: UnsafeMutablePointer<PayloadSlot>
    private let errorFrames: UnsafeMutablePointer<ErrorFrame>
    private var errorFrameCount = 0
    private let fields: UnsafeMutablePointer<PayloadFields>

    /// Scans `bytes` (a whole payload) and fills `fields` (which must be empty); when the payload is
    /// not an object, `fields` is left empty.
    static func scan(_ bytes: UnsafeRawBufferPointer, into fields: inout PayloadFields) -> Outcome {
        let outcome = withUnsafeMutablePointer(to: &fields) { fields in
            withUnsafeTemporaryAllocation(of: PayloadSlot.self, capacity: JSONScanner.maximumDepth) { stack in
                withUnsafeTemporaryAllocation(of: ErrorFrame.self, capacity: errorFrameCapacity) { errorFrames in
                    var scanner = PayloadScanner(bytes: bytes, stack: stack.baseAddress!, errorFrames: errorFrames.baseAddress!, fields: fields)
                    return scanner.run()
                }
            }
        }
        if case .invalid = outcome { fields = PayloadFields() }
        return outcome
    }

    private init(
        bytes: UnsafeRawBufferPointer,
        stack: UnsafeMutablePointer<PayloadSlot>,
        errorFrames: UnsafeMutablePointer<ErrorFrame>,
        fields: UnsafeMutablePointer<PayloadFields>
    ) {
        self.bytes = bytes
        self.stack = stack
        self.errorFrames = errorFrames
        self.fields = fields
    }

    private mutating func run() -> Outcome {
        let end = bytes.count
        var i = JSONScanner.skipWhitespace(bytes, 0)
        var depth = 0
        var slot = PayloadSlot.root
        var keyOffset = 0
        let isObject = i < end && bytes[i] == UInt8(ascii: "{")
        value: while true {
            // A value starts at `i`; `slot` says what it is for.
            guard i < end else { return .invalid }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                guard depth < JSONScanner.maximumDepth else { return .invalid }
                stack[depth] = slot
                depth += 1
                opened(slot, keyOffset: keyOffset)
                i = JSONScanner.skipWhitespace(bytes, i + 1)
                if i < end, bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    depth -= 1
                    closed(slot)
                } else {
                    guard readKey(&i, depth: depth, slot: &slot, keyOffset: &keyOffset) else { return .invalid }
                    continue value
                }
            case UInt8(ascii: "["):
                guard depth < JSONScanner.maximumDepth else { return .invalid }
                foundUnreadable(slot)
                stack[depth] = .array
                depth += 1
                i = JSONScanner.skipWhitespace(bytes, i + 1)
                if i < end, bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    depth -= 1
                } else {
                    slot = .ignored
                    continue value
                }
            case UInt8(ascii: "\""):
                guard let string = JSONScanner.string(in: bytes, quote: i) else { return .invalid }
                i = string.span.end + 1
                if slot != .ignored { found(string, slot: slot, parent: parent(depth), keyOffset: keyOffset) }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard let number = JSONScanner.number(in: bytes, at: i) else { return .invalid }
                i = number.end
                if slot != .ignored { found(number: number, slot: slot, parent: parent(depth)) }
            case UInt8(ascii: "t"):
                guard JSONScanner.literal(bytes, at: i, "true") else { return .invalid }
                i += 4
                foundUnreadable(slot)
            case UInt8(ascii: "f"):
                guard JSONScanner.literal(bytes, at: i, "false") else { return .invalid }
                i += 5
                foundUnreadable(slot)
            case UInt8(ascii: "n"):
                guard JSONScanner.literal(bytes, at: i, "null") else { return .invalid }
                i += 4
                foundNull(slot)
            default:
                return .invalid
            }
            // After a value: close containers until a `,` starts the next member or element.
            while true {
                i = JSONScanner.skipWhitespace(bytes, i)
                guard depth > 0 else { return i == end ? (isObject ? .object : .notObject) : .invalid }
                guard i < end else { return .invalid }
                let top = stack[depth - 1]
                let c = bytes[i]
                i += 1
                if c == UInt8(ascii: ",") {
                    i = JSONScanner.skipWhitespace(bytes, i)
                    if top == .array {
                        slot = .ignored
                    } else {
                        guard readKey(&i, depth: depth, slot: &slot, keyOffset: &keyOffset) else { return .invalid }
                    }
                    continue value
                } else if c == (top == .array ? UInt8(ascii: "]") : UInt8(ascii: "}")) {
                    depth -= 1
                    closed(top)
                } else {
                    return .invalid
                }
            }
        }
    }

    /// Reads `"key" :` at `i` in an object at `depth`, and leaves `i` at the value and `slot` set to its role.
    @inline(__always)
    private mutating func readKey(_ i: inout Int, depth: Int, slot: inout PayloadSlot, keyOffset: inout Int) -> Bool {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), let key = JSONScanner.string(in: bytes, quote: i) else { return false }
        keyOffset = i
        i = JSONScanner.skipWhitespace(bytes, key.span.end + 1)
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
        i = JSONScanner.skipWhitespace(bytes, i + 1)
        let object = stack[depth - 1]
        if object.isTagged {
            track(key, in: object, valueIsObject: i < bytes.count && bytes[i] == UInt8(ascii: "{"))
        }
        // In an object of no interest only `error` and `error_type` matter, and only up to the search depth.
        if object == .ignored {
            let length = key.span.count
            guard depth <= PayloadSlot.errorSearchDepth, length == 5 || length == 10 || key.hasEscapes else {
                slot = .ignored
                return true
            }
        }
        let name = key.hasEscapes ? key.withBytes(in: bytes) { PayloadKey($0) } : PayloadKey(bytes.slice(key.span))
        slot = object.child(name, depth: depth)
        return true
    }

    @inline(__always)
    private func parent(_ depth: Int) -> PayloadSlot {
        depth > 0 ? stack[depth - 1] : .ignored
    }

    private mutating func track(_ key: JSONString, in object: PayloadSlot, valueIsObject: Bool) {
        switch object {
        case .root: fields.pointee.rootTag.key(key, valueIsObject: valueIsObject)
        case .event: fields.pointee.eventTag.key(key, valueIsObject: valueIsObject)
        default: fields.pointee.storedEventTag.key(key, valueIsObject: valueIsObject)
        }
    }

    // MARK: Values found

    @inline(__always)
    private mutating func opened(_ slot: PayloadSlot, keyOffset: Int) {
        switch slot {
        case .ignored, .root: break
        case .event: fields.pointee.eventTag.reset()
        case .storedEventEvent: fields.pointee.storedEventTag.reset()
        case .errorObject:
            guard errorFrameCount < Self.errorFrameCapacity else { return }
            (errorFrames + errorFrameCount).initialize(to: ErrorFrame(keyOffset: Int32(truncatingIfNeeded: keyOffset)))
            errorFrameCount += 1
        default:
            if slot.isTime {
                fields.pointee.times[slot] = .object(secs: nil, nanos: nil)
            } else if slot.isID {
                fields.pointee.setString(nil, for: slot)
            }
        }
    }

    @inline(__always)
    private mutating func closed(_ slot: PayloadSlot) {
        guard slot == .errorObject, errorFrameCount > 0 else { return }
        errorFrameCount -= 1
        let frame = errorFrames[errorFrameCount]
        if let value = frame.kind ?? frame.type ?? frame.code {
            candidate(ErrorCandidate(keyOffset: frame.keyOffset, value: value))
        }
    }

    @inline(__always)
    private mutating func found(_ string: JSONString, slot: PayloadSlot, parent: PayloadSlot, keyOffset: Int) {
        guard slot != .ignored else { return }
        switch slot {
        case .ignored, .root, .timeSecs, .timeNanos: break
        case .idValue: if parent.isID { fields.pointee.setString(string, for: parent) }
        case .errorTypeField: candidate(ErrorCandidate(keyOffset: Int32(truncatingIfNeeded: keyOffset), value: string))
        case .errorKind, .errorTypeName, .errorCode:
            guard parent == .errorObject, errorFrameCount > 0 else { return }
            let top = errorFrameCount - 1
            switch slot {
            case .errorKind: errorFrames[top].kind = string
            case .errorTypeName: errorFrames[top].type = string
            default: errorFrames[top].code = string
            }
        default:
            if slot.isTime {
                fields.pointee.times[slot] = .string(string)
            } else {
                fields.pointee.setString(string, for: slot)
            }
        }
    }

    @inline(__always)
    private mutating func found(number span: ByteSpan, slot: PayloadSlot, parent: PayloadSlot) {
        guard slot != .ignored else { return }
        let number = JSONString(span: span, hasEscapes: false)
        if slot.isTime {
            fields.pointee.times[slot] = .number(number)
        } else if slot == .timeSecs || slot == .timeNanos, parent.isTime, case .object(let secs, let nanos) = fields.pointee.times[parent] {
            fields.pointee.times[parent] = slot == .timeSecs ? .object(secs: number, nanos: nanos) : .object(secs: secs, nanos: number)
        }
    }

    @inline(__always)
    private mutating func foundUnreadable(_ slot: PayloadSlot) {
        if slot.isTime { fields.pointee.times[slot] = .unreadable }
    }

    @inline(__always)
    private mutating func foundNull(_ slot: PayloadSlot) {
        if slot.isTime {
            fields.pointee.times[slot] = .absent
        } else {
            fields.pointee.setString(nil, for: slot)
        }
    }

    @inline(__always)
    private mutating func candidate(_ candidate: ErrorCandidate) {
        if let current = fields.pointee.error, current.keyOffset <= candidate.keyOffset { return }
        fields.pointee.error = candidate
    }
}
