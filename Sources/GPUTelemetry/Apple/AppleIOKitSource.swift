#if canImport(IOKit)
import Foundation
import IOKit

/// Reads Apple Silicon GPUs without root: each `IOAccelerator` entry's `PerformanceStatistics` (see
/// ``IORegistryParser`` for the keys and their meaning), through `IOServiceMatching` and
/// `IORegistryEntryCreateCFProperties`, merged with IOReport's GPU activity, clock and power
/// (``AppleIOReportSource``, ``IOReportGPUReading/merged(into:)``) when IOReport can be loaded.
///
/// IOReport's channels are for the whole SoC, so they are merged only when there is exactly one accelerator;
/// otherwise, and when IOReport is unavailable, each reading notes why in its errors.
public struct AppleIOKitSource: GPUSource {
    public let vendor = GPUVendor.apple
    public let name = "iokit"
    private let ioReport: Result<AppleIOReportSource, GPUSourceError>

    public init() {
        do {
            ioReport = .success(try AppleIOReportSource())
        } catch {
            ioReport = .failure(error)
        }
    }

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
            var className = [CChar](repeating: 0, count: 128)  // io_name_t
            IOObjectGetClass(entry, &className)
            let statistics = (dictionary["PerformanceStatistics"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.int64Value }
            let accelerator = IORegistryParser.accelerator(
                index: readings.count,
                className: Self.string(className),
                model: dictionary["model"] as? String ?? dictionary["IONameMatched"] as? String,
                coreCount: (dictionary["gpu-core-count"] as? NSNumber)?.intValue,
                statistics: statistics
            )
            readings.append(accelerator.reading)
        }
        guard !readings.isEmpty else { throw GPUSourceError("no Apple GPU found in the I/O registry") }
        switch ioReport {
        case .failure(let error):
            for index in readings.indices { readings[index].recordError("ioreport", error.message) }
        case .success(let source):
            guard let gpu = source.sample() else {
                for index in readings.indices { readings[index].recordError("ioreport", "no sample") }
                break
            }
            guard readings.count == 1 else {
                for index in readings.indices { readings[index].recordError("ioreport", "\(readings.count) accelerators share the SoC's channels") }
                break
            }
            readings[0] = gpu.merged(into: readings[0])
        }
        return GPUSample(vendor: .apple, driver: nil, readings: readings)
    }

    /// A NUL-terminated C string in a fixed buffer (`io_name_t`) as a `String`.
    static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
#endif
