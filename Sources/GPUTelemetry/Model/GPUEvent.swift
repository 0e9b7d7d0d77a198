/// One GPU event in CIM's envelope, as the agent publishes it on `cim.gpu.<node>.<event_type>` and the fold reads it.
///
/// The envelope: `event_id` (UUIDv7, also the `Nats-Msg-Id`), `event_type`, `aggregate_type` (`gpu_node` for
/// `sampled`, `driver_unavailable` and `recovered`; `gpu` for events about one GPU), `aggregate_id` (the node, or
/// the GPU's stable id), `occurred_at` (RFC 3339, UTC, milliseconds), `node` and `vendor`. The rest depends on the
/// type; fields that do not apply are left out.
public struct GPUEvent: Sendable, Equatable, Codable {
    public var eventID: String
    public var eventType: GPUEventType
    public var aggregateType: String
    public var aggregateID: String
    public var occurredAt: String
    public var node: String
    public var vendor: GPUVendor
    /// `sampled`: the agent's interval in seconds (the fold calls a GPU down after 3 of them without a sample).
    public var intervalSeconds: Double?
    /// `sampled`: the driver version.
    public var driver: String?
    /// `sampled`: every GPU's and MIG instance's reading.
    public var gpus: [GPUReading]?
    /// `sampled`: events the agent dropped so far because NATS was unreachable and its buffer was full.
    public var droppedEvents: UInt64?
    /// Events about one GPU: which.
    public var gpu: String?
    public var index: Int?
    public var model: String?
    public var migInstance: String?
    /// `xid_error`: the Xid code.
    public var xid: Int?
    /// `ecc_error`: `single` (corrected) or `double` (uncorrected).
    public var bit: String?
    /// `ecc_error`: `volatile` or `aggregate`.
    public var scope: String?
    /// `ecc_error`: how many new errors.
    public var count: UInt64?
    /// `throttled`, `throttle_cleared`: the reason.
    public var reason: GPUThrottleReason?
    /// `driver_unavailable`, `gpu_lost`: what failed.
    public var error: String?
    /// `xid_error` (`xid_<code>`) and `ecc_error` (`ecc_single`, `ecc_double`): the error type CIM's mapper reads, so
    /// these failures count in `cim_events_failed_total{error_type}` like every failure event.
    public var errorType: String?

    public init(
        eventID: String,
        eventType: GPUEventType,
        occurredAt: String,
        node: String,
        vendor: GPUVendor,
        about reading: GPUReading? = nil
    ) {
        self.eventID = eventID
        self.eventType = eventType
        self.occurredAt = occurredAt
        self.node = node
        self.vendor = vendor
        if let reading {
            aggregateType = "gpu"
            aggregateID = reading.migInstance ?? reading.gpu
            gpu = reading.gpu
            index = reading.index
            model = reading.model
            migInstance = reading.migInstance
        } else {
            aggregateType = "gpu_node"
            aggregateID = node
        }
    }

    /// The subject the event is published on: `cim.gpu.<node>.<event_type>`.
    public var subject: String { "cim.gpu.\(GPUSubject.token(node)).\(eventType.rawValue)" }

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id"
        case eventType = "event_type"
        case aggregateType = "aggregate_type"
        case aggregateID = "aggregate_id"
        case occurredAt = "occurred_at"
        case node, vendor
        case intervalSeconds = "interval_seconds"
        case driver, gpus
        case droppedEvents = "dropped_events"
        case gpu, index, model
        case migInstance = "mig_instance"
        case xid, bit, scope, count, reason, error
        case errorType = "error_type"
    }
}
