#if canImport(IOKit)
import Foundation
import IOKit

/// Reads Apple Silicon GPUs without root: each `IOAccelerator` entry's `PerformanceStatistics` (see
/// ``IORegistryParser`` for the keys and their meaning), through `IOServiceMatching` and
/// `IORegistryEntryCreateCFProperties`.
public struct AppleIOKitSource: GPUSource {
    public let vendor = GPUVendor.apple
    public let name = "iokit"

    public init() {}

    public func sample() throws(GPUSourceError) -> GPUSample {
        var iterator: io_iterator_t = 0
        guard IOServiceGetMatchingServices(kIOMainPortDefault, IOServiceMatching("IOAccelerator"), &iterator) == KERN_SUCCESS else {
            throw GPUSourceError("no IOAccelerator in the I/O registry: is this an Apple Silicon Mac?")
        }
        defer { IOObjectRelease(iterator) }
        var readings: [GPUReading] = []
        while case let entry = IOIteratorNext(iterator), entry != 0 {
            defer { IOObjectRelease(entry) }
            var properties: Unmanaged<CFMutableDictionary>?
            guard IORegistryEntryCreateCFProperties(entry, &properties, kCFAllocatorDefault, 0) == KERN_SUCCESS,
                let dictionary = properties?.takeRetainedValue() as? [String: Any]
            else { continue }
            var className = [CChar](repeating: 0, count: 128)
            IOObjectGetClass(entry, &className)
            let statistics = (dictionary["PerformanceStatistics"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.int64Value }
            var text = "+-o \(String(cString: className))\n"
            if let model = dictionary["model"] as? String { text += "  \"model\" = \"\(model)\"\n" }
            text += "  \"PerformanceStatistics\" = {" + statistics.map { "\"\($0.key)\"=\($0.value)" }.joined(separator: ",") + "}\n"
            readings.append(
                contentsOf: IORegistryParser.parse(text).map { accelerator in
                    var reading = accelerator.reading
                    reading.index = readings.count
                    return reading
                }
            )
        }
        guard !readings.isEmpty else { throw GPUSourceError("no Apple GPU found in the I/O registry") }
        return GPUSample(vendor: .apple, driver: nil, readings: readings)
    }
}
#endif
