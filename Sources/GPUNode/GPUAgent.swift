import Foundation
import GPUTelemetry
import NATS
import NATSCore
import NIOCore
import ServiceLifecycle
import Synchronization

/// `cim-monitor gpu agent`: samples the node's GPUs every interval and publishes the readings as events.
///
/// Each interval: one `sampled` event on `cim.gpu.<node>.sampled` with every reading, then the discrete events the
/// ``GPUChangeDetector`` finds (or `driver_unavailable` when sampling fails). Every event has `Nats-Msg-Id` set to
/// its id, so a retried publish is stored once. While NATS is unreachable events wait in a bounded buffer
/// (``GPUEventBuffer``; oldest dropped first, the drops reported in the next `sampled` event's `dropped_events`).
/// It prints nothing; on graceful shutdown (SIGTERM) it publishes what it holds, flushes and closes.
public final class GPUAgent: Service {
    public struct Settings: Sendable {
        public var node: String
        public var interval: Duration
        public var bufferCapacity: Int

        public init(node: String, interval: Duration = .seconds(10), bufferCapacity: Int = 4096) {
            self.node = node
            self.interval = interval
            self.bufferCapacity = bufferCapacity
        }
    }

    let client: NATSClient
    let source: any GPUSource
    let settings: Settings
    private let state: Mutex<(detector: GPUChangeDetector, buffer: GPUEventBuffer, connected: Bool)>

    public init(client: NATSClient, source: any GPUSource, settings: Settings) {
        self.client = client
        self.source = source
        self.settings = settings
        self.state = Mutex((GPUChangeDetector(), GPUEventBuffer(capacity: settings.bufferCapacity), false))
    }

    /// Events dropped so far because the buffer was full.
    public var droppedEvents: UInt64 { state.withLock { $0.buffer.dropped } }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let started = ContinuousClock.now
                await self.tick()
                try? await Task.sleep(until: started + self.settings.interval, clock: .continuous)
            }
        }
        // graceful shutdown: publish what is held while a connection is there, then close
        await publishBuffered()
        try? await client.flush()
        await client.close()
    }

    /// One interval: sample, detect, buffer, publish.
    func tick() async {
        let now = Date().timeIntervalSince1970
        let occurredAt = GPUEventClock.timestamp(now)
        let node = settings.node
        let result = Result { () throws(GPUSourceError) in try source.sample() }
        let interval = Double(settings.interval.components.seconds) + Double(settings.interval.components.attoseconds) / 1e18
        state.withLock { state in
            switch result {
            case .success(let sample):
                var sampled = GPUEvent(
                    eventID: GPUEventClock.eventID(at: now),
                    eventType: .sampled,
                    occurredAt: occurredAt,
                    node: node,
                    vendor: sample.vendor
                )
                sampled.intervalSeconds = interval
                sampled.driver = sample.driver
                sampled.gpus = sample.readings
                sampled.droppedEvents = state.buffer.dropped
                state.buffer.append(sampled)
                for event in state.detector.sampled(sample, node: node, at: occurredAt, newID: { GPUEventClock.eventID(at: now) }) {
                    state.buffer.append(event)
                }
            case .failure(let error):
                for event in state.detector.failed(
                    error.message,
                    vendor: source.vendor,
                    node: node,
                    at: occurredAt,
                    newID: { GPUEventClock.eventID(at: now) }
                ) {
                    state.buffer.append(event)
                }
            }
        }
        // Until the first connection the agent retries each interval; after it, the client reconnects on its own.
        if !state.withLock({ $0.connected }), (try? await client.connect()) != nil {
            state.withLock { $0.connected = true }
        }
        await publishBuffered()
    }

    /// Publishes buffered events, oldest first, while connected.
    func publishBuffered() async {
        while client.isConnected, let event = state.withLock({ $0.buffer.first }) {
            var headers = NATSHeaders()
            headers.append("Nats-Msg-Id", event.eventID)
            headers.append("X-Event-Type", event.eventType.rawValue)
            do {
                try await client.publish(ByteBuffer(bytes: GPUEventCodec.encode(event)), to: event.subject, headers: headers)
            } catch {
                return
            }
            state.withLock { state in
                if state.buffer.first?.eventID == event.eventID { state.buffer.removeFirst() }
            }
        }
        try? await client.flush()
    }
}
