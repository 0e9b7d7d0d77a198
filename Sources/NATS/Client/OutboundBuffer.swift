import NATSCore
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes queued for the socket, in order; held while disconnected.
///
/// A growable byte array written through a raw pointer. `ByteBuffer` checks uniqueness, capacity and (dynamically,
/// on its storage object) exclusive access on every write, and a publishing loop writes once per message; so the
/// client encodes into this buffer under its lock and moves its bytes into a `ByteBuffer` once per socket write.
struct OutboundBuffer {
    /// The hot path reads only constant properties, which need no exclusivity check.
    private final class Storage {
        let bytes: UnsafeMutableRawPointer
        let capacity: Int
        /// Set when a larger storage took over `bytes` (by `realloc`).
        private var handedOver = false

        init(capacity: Int) {
            guard let bytes = malloc(capacity) else { fatalError("out of memory: \(capacity) bytes for outbound messages") }
            self.bytes = UnsafeMutableRawPointer(bytes)
            self.capacity = capacity
        }

        /// Takes over `old`'s bytes, grown to `capacity`: `realloc` moves large blocks by remapping pages, without
        /// copying what is queued.
        init(growing old: Storage, to capacity: Int) {
            guard let bytes = realloc(old.bytes, capacity) else { fatalError("out of memory: \(capacity) bytes for outbound messages") }
            old.handedOver = true
            self.bytes = UnsafeMutableRawPointer(bytes)
            self.capacity = capacity
        }

        deinit { if !handedOver { free(bytes) } }
    }

    private var storage: Storage
    private(set) var count = 0

    init(capacity: Int = 4096) {
        storage = Storage(capacity: max(capacity, 64))
    }

    /// Appends a `PUB` frame (see `PublishFrame`).
    mutating func writePublish(subject: String, replyTo: String?, payload: ByteBuffer) {
        let length = PublishFrame.length(subject: subject, replyTo: replyTo, payloadBytes: payload.readableBytes)
        reserve(length)
        count += PublishFrame.write(to: storage.bytes + count, subject: subject, replyTo: replyTo, payload: payload)
    }

    /// Appends an `HPUB` frame (see `PublishFrame`).
    mutating func writePublish(subject: String, replyTo: String?, headers: NATSHeaders, payload: ByteBuffer) {
        let headerBytes = headers.encodedLength
        reserve(PublishFrame.length(subject: subject, replyTo: replyTo, headerBytes: headerBytes, payloadBytes: payload.readableBytes))
        count += PublishFrame.write(
            to: storage.bytes + count,
            subject: subject,
            replyTo: replyTo,
            headers: headers,
            headerBytes: headerBytes,
            payload: payload
        )
    }

    /// Appends the readable bytes of `buffer`.
    mutating func write(_ buffer: ByteBuffer) {
        let length = buffer.readableBytes
        guard length > 0 else { return }
        reserve(length)
        buffer.withUnsafeReadableBytes { (storage.bytes + count).copyMemory(from: $0.baseAddress!, byteCount: length) }
        count += length
    }

    /// Appends another outbound buffer's bytes.
    mutating func write(_ other: OutboundBuffer) {
        guard other.count > 0 else { return }
        reserve(other.count)
        (storage.bytes + count).copyMemory(from: other.storage.bytes, byteCount: other.count)
        count += other.count
    }

    /// Drops everything after the first `count` bytes (undoes appends).
    mutating func truncate(to count: Int) {
        precondition(count >= 0 && count <= self.count, "truncating an outbound buffer beyond its bytes")
        self.count = count
    }

    /// Memory an empty buffer keeps: enough for every write while publishing flat out (the client's high
    /// watermark), without holding on to what a burst of publishes while disconnected needed.
    static let retainedCapacity = 1 << 20

    var capacity: Int { storage.capacity }

    /// Appends the bytes to `buffer` and empties this one, which keeps its memory for the next bytes (up to
    /// `retainedCapacity`).
    mutating func moveAll(to buffer: inout ByteBuffer) {
        buffer.writeBytes(UnsafeRawBufferPointer(start: storage.bytes, count: count))
        count = 0
        if storage.capacity > Self.retainedCapacity { storage = Storage(capacity: 64 << 10) }
    }

    /// Room for `length` more bytes in storage this value owns alone (copied on write, like every value type).
    @inline(__always)
    private mutating func reserve(_ length: Int) {
        if count + length > storage.capacity || !isKnownUniquelyReferenced(&storage) { grow(to: count + length) }
    }

    private mutating func grow(to needed: Int) {
        var capacity = storage.capacity
        while capacity < needed { capacity *= 2 }
        if isKnownUniquelyReferenced(&storage) {
            storage = Storage(growing: storage, to: capacity)
        } else {
            let copy = Storage(capacity: capacity)
            if count > 0 { copy.bytes.copyMemory(from: storage.bytes, byteCount: count) }
            storage = copy
        }
    }
}
