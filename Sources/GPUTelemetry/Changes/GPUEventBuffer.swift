/// The agent's bounded window of events not yet published: oldest dropped first when full, drops counted.
public struct GPUEventBuffer: Sendable {
    public let capacity: Int
    private var storage: [GPUEvent] = []
    private var head = 0
    /// Events dropped because the buffer was full, since the agent started.
    public private(set) var dropped: UInt64 = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { storage.count - head }
    public var isEmpty: Bool { count == 0 }

    /// Adds an event, dropping the oldest when full.
    public mutating func append(_ event: GPUEvent) {
        if count == capacity {
            head += 1
            dropped &+= 1
        }
        storage.append(event)
        if head > 64 && head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }

    /// The oldest event, if any.
    public var first: GPUEvent? { isEmpty ? nil : storage[head] }

    /// Removes the oldest event (after it was published).
    public mutating func removeFirst() {
        guard !isEmpty else { return }
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        }
    }
}
