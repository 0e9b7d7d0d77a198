/// The snapshot format, version 3 (all integers little-endian):
///
/// ```
/// header   "CIMF" | version: u16 = 3 | reserved: u16 = 0 | body length: u64
/// body     limits (5 × u64) | duplicate window capacity: u64
///          publish delay bounds, lag bounds (each: u32 count, f64 each)
///          events processed: u64 | last sequence: u64 | overflow counters (u32 count = 7, u64 each)
///          label values: domain, aggregate_type, event_type, error_type (each: u32 count, strings)
///          events series (u32 count; domain, aggregate_type, event_type ids: u32; count: u64)
///          failures series (u32 count; events series: u32, 0xFFFFFFFF = all __overflow__; error_type id: u32; count: u64)
///          per domain, in id order: folded: u8, duplicates: u64, last timestamp: f64 (-inf = none)
///          violations (u32 count; domain: u32, bit: u8, count: u64)
///          publish delay, lag histograms (each: u32 count; domain: u32, sum: f64, bucket counts: u64 each)
///          duplicate window (u32 count; id fingerprints, MurmurHash64A seed 0 with 0 mapped to 1: u64, oldest first)
///          stream identity: string (empty = unknown)
///          stream resets (u32 count; reason: string, count: u64; sorted by reason)
///          GPU state: string, the JSON of ``GPUFold`` (last readings and counters, sorted; see `GPUFold+Codable.swift`)
/// trailer  FNV-1a 64 of header and body: u64
/// ```
///
/// Strings are a u32 byte length and UTF-8 bytes; ids are positions in their label-value list.
///
/// Version 2 is version 3 without the GPU state (it reads with no GPU state); version 1 is version 2 without the
/// last two sections (unknown identity, no resets). Both still read.
enum SnapshotFormat {
    static let magic: [UInt8] = Array("CIMF".utf8)
    static let version: UInt16 = 3
    static let readableVersions: ClosedRange<UInt16> = 1...3
    static let headerSize = 16
    static let trailerSize = 8
}

extension MetricsFold {
    /// The whole state as a compact, versioned, checksummed byte string; ``init(snapshot:)`` restores it exactly.
    ///
    /// It holds every label value and series with its value, histogram buckets, the duplicate window, the
    /// limits, bucket bounds and ``lastSequence``, so folding on after a restore gives the same state as
    /// never stopping. Series and values are written in creation order, so equal folds give equal bytes.
    public func snapshot() -> [UInt8] {
        var body = SnapshotWriter()
        for limit in [limits.domain, limits.aggregateType, limits.eventType, limits.errorType, limits.seriesPerFamily] {
            body.write(UInt64(limit))
        }
        body.write(UInt64(duplicateWindow.capacity))
        for bounds in [publishDelay.bounds, lag.bounds] {
            body.write(count: bounds.count)
            for bound in bounds { body.write(bound) }
        }
        body.write(eventsProcessed)
        body.write(lastSequence)
        body.write(count: overflows.count)
        for value in overflows { body.write(value) }
        for table in [domains, aggregateTypes, eventTypes, errorTypes] {
            body.write(count: table.count)
            for value in table.values { body.write(value) }
        }
        body.write(count: eventsSeries.count)
        for record in eventsSeries {
            body.write(UInt32(record.domain))
            body.write(UInt32(record.aggregateType))
            body.write(UInt32(record.eventType))
            body.write(record.count)
        }
        body.write(count: failuresSeries.count)
        for record in failuresSeries {
            body.write(UInt32(bitPattern: record.eventsSeries))
            body.write(UInt32(record.errorType))
            body.write(record.count)
        }
        for state in domainStates {
            body.write(UInt8(state.folded ? 1 : 0))
            body.write(state.duplicates)
            body.write(state.lastTimestamp)
        }
        let cells = violations.indices.filter { violations[$0] > 0 }
        body.write(count: cells.count)
        for cell in cells {
            body.write(UInt32(cell / Self.violationBits))
            body.write(UInt8(cell % Self.violationBits))
            body.write(violations[cell])
        }
        for histogram in [publishDelay, lag] {
            let observed = (0..<domains.count).compactMap { id in histogram.value(domain: id).map { (id, $0) } }
            body.write(count: observed.count)
            for (id, value) in observed {
                body.write(UInt32(id))
                body.write(value.sum)
                for count in value.bucketCounts { body.write(count) }
            }
        }
        let fingerprints = duplicateWindow.fingerprints
        body.write(count: fingerprints.count)
        for fingerprint in fingerprints { body.write(fingerprint) }
        body.write(streamIdentity)
        body.write(count: streamResets.count)
        for (reason, count) in streamResets.sorted(by: { $0.key < $1.key }) {
            body.write(reason)
            body.write(count)
        }
        body.write(gpu.encoded())

        var out = SnapshotWriter()
        for byte in SnapshotFormat.magic { out.write(byte) }
        out.write(SnapshotFormat.version)
        out.write(UInt16(0))
        out.write(UInt64(body.bytes.count))
        var bytes = out.bytes + body.bytes
        var trailer = SnapshotWriter()
        trailer.write(FNV1a.hash(bytes))
        bytes += trailer.bytes
        return bytes
    }

    /// Restores a fold from ``snapshot()``, limits and bucket bounds included.
    ///
    /// - Throws: ``SnapshotError``: ``SnapshotError/Code/badMagic`` for bytes that are not a snapshot,
    ///   ``SnapshotError/Code/unsupportedVersion``, ``SnapshotError/Code/truncated`` when bytes are
    ///   missing, ``SnapshotError/Code/checksumMismatch`` when bytes were changed, and
    ///   ``SnapshotError/Code/malformed`` for a consistent checksum over inconsistent content. Never traps.
    public init(snapshot bytes: [UInt8]) throws(SnapshotError) {
        let (version, body) = try Self.verifiedBody(bytes)
        var reader = SnapshotReader(body)
        try self.init(reading: &reader, version: version)
        guard reader.remaining == 0 else { throw SnapshotError(.malformed, "\(reader.remaining) bytes after the last section") }
    }

    /// Checks magic, version, length and checksum; returns the version and the body.
    private static func verifiedBody(_ bytes: [UInt8]) throws(SnapshotError) -> (version: UInt16, body: ArraySlice<UInt8>) {
        let magicLength = min(bytes.count, SnapshotFormat.magic.count)
        guard bytes[..<magicLength].elementsEqual(SnapshotFormat.magic[..<magicLength]) else {
            throw SnapshotError(.badMagic, "the bytes do not start with CIMF")
        }
        guard bytes.count >= SnapshotFormat.headerSize else {
            throw SnapshotError(.truncated, "\(bytes.count) bytes, a header needs \(SnapshotFormat.headerSize)")
        }
        var header = SnapshotReader(bytes[4..<SnapshotFormat.headerSize])
        let version = try header.readUInt16()
        guard SnapshotFormat.readableVersions.contains(version) else {
            throw SnapshotError(.unsupportedVersion, "version \(version); this build reads versions 1 to 3")
        }
        let reserved = try header.readUInt16()
        let length = try header.readUInt64()
        let available = UInt64(bytes.count - SnapshotFormat.headerSize)
        guard length <= available, available - length >= UInt64(SnapshotFormat.trailerSize) else {
            throw SnapshotError(.truncated, "\(bytes.count) bytes, the header announces a \(length)-byte body and an 8-byte checksum")
        }
        let end = SnapshotFormat.headerSize + Int(length)
        guard bytes.count == end + SnapshotFormat.trailerSize else {
            throw SnapshotError(.malformed, "\(bytes.count - end - SnapshotFormat.trailerSize) bytes after the checksum")
        }
        var trailer = SnapshotReader(bytes[end...])
        let checksum = try trailer.readUInt64()
        guard checksum == FNV1a.hash(bytes[..<end]) else {
            throw SnapshotError(.checksumMismatch, "the checksum does not match the content")
        }
        guard reserved == 0 else { throw SnapshotError(.malformed, "reserved header field is \(reserved)") }
        return (version, bytes[SnapshotFormat.headerSize..<end])
    }
}
