/// Something that can read a node's GPUs: NVML, nvidia-smi, or Apple's IOKit / powermetrics.
public protocol GPUSource: Sendable {
    /// The vendor of the GPUs this source reads.
    var vendor: GPUVendor { get }
    /// A short name of the source (`nvml`, `nvidia-smi`, `iokit`, `powermetrics`).
    var name: String { get }
    /// Reads every GPU now.
    ///
    /// - Throws: ``GPUSourceError`` when no reading at all can be made (driver gone); a single GPU's failure is a
    ///   partial reading or a lost GPU in the sample, not an error.
    func sample() throws(GPUSourceError) -> GPUSample
}

/// Why a source could not read any GPU; the message says what failed and what to do.
public struct GPUSourceError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
