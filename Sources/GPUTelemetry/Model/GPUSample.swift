/// What one look at a node's GPUs found: every reading, and the GPUs that stopped answering.
public struct GPUSample: Sendable, Equatable {
    public var vendor: GPUVendor
    public var driver: String?
    /// Whole GPUs and MIG instances (`migInstance` set), in index order.
    public var readings: [GPUReading]
    /// GPUs known to the source that answered with an error that means they are gone, by stable id.
    public var lost: [String: String]
    /// Xid errors reported since the last sample: the GPU's reading and the code.
    public var xids: [(gpu: String, xid: Int)]

    public init(vendor: GPUVendor, driver: String?, readings: [GPUReading], lost: [String: String] = [:], xids: [(gpu: String, xid: Int)] = []) {
        self.vendor = vendor
        self.driver = driver
        self.readings = readings
        self.lost = lost
        self.xids = xids
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.vendor == rhs.vendor && lhs.driver == rhs.driver && lhs.readings == rhs.readings && lhs.lost == rhs.lost
            && lhs.xids.map(\.gpu) == rhs.xids.map(\.gpu) && lhs.xids.map(\.xid) == rhs.xids.map(\.xid)
    }
}
