import CIMEvents
import Foundation
import NATSCore

extension ReplayRecord {
    /// Fields of a block kept on the stack; a block with more is read a second time into a larger buffer.
    static let stackFields = 16

    /// `,"headers":{"Name":["v",…],…}` straight from a header block's bytes: names in order of first appearance,
    /// each with all its values in order, exactly as the ``NATSHeaders`` path writes them (names compared as
    /// strings, text that is not UTF-8 repaired). Nothing when the block is malformed or has neither fields nor a
    /// status.
    static func appendHeaders(block: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: NATSHeaderBlock.Field.self, capacity: stackFields) { small in
            var count = 0
            let scanned = NATSHeaderBlock.scan(block) { field in
                if count < stackFields { small.initializeElement(at: count, to: field) }
                count += 1
            }
            guard case .success(let status) = scanned, count > 0 || status.code != nil else { return }
            guard count > stackFields else {
                appendFields(UnsafeBufferPointer(rebasing: small[0..<count]), of: block, to: &output)
                return
            }
            withUnsafeTemporaryAllocation(of: NATSHeaderBlock.Field.self, capacity: count) { large in
                var found = 0
                _ = NATSHeaderBlock.scan(block) { field in
                    if found < count { large.initializeElement(at: found, to: field) }
                    found += 1
                }
                appendFields(UnsafeBufferPointer(large), of: block, to: &output)
            }
        }
    }

    private static func appendFields(_ fields: UnsafeBufferPointer<NATSHeaderBlock.Field>, of block: UnsafeRawBufferPointer, to output: inout [UInt8])
    {
        func text(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: block[range]) }
        let ascii = isASCII(block)
        func sameName(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
            guard ascii else { return Self.sameName(text(a), text(b)) }
            return a.count == b.count && (a.isEmpty || memcmp(block.baseAddress! + a.lowerBound, block.baseAddress! + b.lowerBound, a.count) == 0)
        }
        output.append(contentsOf: #","headers":{"#.utf8)
        var wroteName = false
        for index in fields.indices {
            let name = fields[index].name
            guard !(0..<index).contains(where: { sameName(fields[$0].name, name) }) else { continue }
            if wroteName { output.append(UInt8(ascii: ",")) }
            wroteName = true
            JSONStringEscaper.append(utf8: text(name), to: &output)
            output.append(contentsOf: ":[".utf8)
            var wroteValue = false
            for other in index..<fields.count where sameName(fields[other].name, name) {
                if wroteValue { output.append(UInt8(ascii: ",")) }
                wroteValue = true
                JSONStringEscaper.append(utf8: text(fields[other].value), to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Whether every byte is below 0x80 (eight at a time).
    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= bytes.count {
            high |= base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            high |= UInt64(bytes[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// Whether two names are the same `String`: equal bytes are; different ASCII bytes are not; anything else
    /// (canonically equivalent Unicode, repaired invalid UTF-8) is decided by `String`'s own comparison.
    static func sameName(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        if a.count == b.count && a.elementsEqual(b) { return true }
        if a.allSatisfy({ $0 < 0x80 }) && b.allSatisfy({ $0 < 0x80 }) { return false }
        return String(decoding: a, as: UTF8.self) == String(decoding: b, as: UTF8.self)
    }
}
