#if canImport(IOKit)
import CoreFoundation
import Foundation
import IOKit

/// Apple Silicon GPU activity, clock and power without root, from IOReport (`/usr/lib/libIOReport.dylib`, a
/// private library without headers, loaded with `dlopen`; the signatures below are the ones macmon and mactop
/// declare). It subscribes to the `GPU Stats` / `GPU Performance States` channels and the `Energy Model` group,
/// keeps the previous sample, and turns each delta into an ``IOReportGPUReading`` with the GPU DVFS table read once
/// from the `pmgr` registry entry (``PMGRVoltageStatesParser``).
///
/// Only the CoreFoundation plumbing lives here — copying each channel into an ``IOReportChannel`` — and all the
/// arithmetic is in the pure, tested ``IOReportGPUReading``. This file is compiled on macOS only.
final class AppleIOReportSource: @unchecked Sendable {
    // Safe to share: the handle, function pointers, channel dictionary, subscription and table are set once in init;
    // the previous sample and its time change only under `lock`. (A lock around plain properties rather than a
    // `Mutex`: CoreFoundation objects are not `Sendable`, and `Mutex.withLock`'s `sending` closure would not hold
    // them.)

    typealias CopyChannelsInGroup = @convention(c) (CFString?, CFString?, UInt64, UInt64, UInt64) -> Unmanaged<CFMutableDictionary>?
    typealias MergeChannels = @convention(c) (CFMutableDictionary, CFMutableDictionary, UnsafeRawPointer?) -> Void
    typealias CreateSubscription =
        @convention(c) (UnsafeRawPointer?, CFMutableDictionary, UnsafeMutablePointer<Unmanaged<CFMutableDictionary>?>, UInt64, UnsafeRawPointer?) ->
        OpaquePointer?
    typealias CreateSamples = @convention(c) (OpaquePointer, CFMutableDictionary, UnsafeRawPointer?) -> Unmanaged<CFDictionary>?
    typealias CreateSamplesDelta = @convention(c) (CFDictionary, CFDictionary, UnsafeRawPointer?) -> Unmanaged<CFDictionary>?
    typealias ChannelGetString = @convention(c) (CFDictionary) -> Unmanaged<CFString>?
    typealias SimpleGetIntegerValue = @convention(c) (CFDictionary, Int32) -> Int64
    typealias StateGetCount = @convention(c) (CFDictionary) -> Int32
    typealias StateGetNameForIndex = @convention(c) (CFDictionary, Int32) -> Unmanaged<CFString>?
    typealias StateGetResidency = @convention(c) (CFDictionary, Int32) -> Int64

    static let libraryPath = "/usr/lib/libIOReport.dylib"

    private let handle: UnsafeMutableRawPointer
    private let createSamples: CreateSamples
    private let createSamplesDelta: CreateSamplesDelta
    private let channelGetGroup: ChannelGetString
    private let channelGetSubGroup: ChannelGetString
    private let channelGetChannelName: ChannelGetString
    private let channelGetUnitLabel: ChannelGetString
    private let simpleGetIntegerValue: SimpleGetIntegerValue
    private let stateGetCount: StateGetCount
    private let stateGetNameForIndex: StateGetNameForIndex
    private let stateGetResidency: StateGetResidency
    private let channels: CFMutableDictionary
    private let subscription: OpaquePointer
    /// The GPU DVFS table in hertz; empty when the registry has none (the clock is then absent).
    let frequenciesHertz: [UInt32]

    private let lock = NSLock()
    private var previous: CFDictionary
    private var previousTime: ContinuousClock.Instant

    /// Loads IOReport, subscribes and takes the first sample.
    ///
    /// - Throws: ``GPUSourceError`` when the library, one of its functions, the channels or the subscription is
    ///   missing; the caller then reads the GPU without IOReport.
    init() throws(GPUSourceError) {
        guard let handle = dlopen(Self.libraryPath, RTLD_NOW | RTLD_LOCAL) else {
            throw GPUSourceError("\(Self.libraryPath) could not be loaded")
        }
        func symbol<T>(_ name: String, _ type: T.Type) throws(GPUSourceError) -> T {
            guard let pointer = dlsym(handle, name) else {
                dlclose(handle)
                throw GPUSourceError("\(Self.libraryPath) has no \(name)")
            }
            return unsafeBitCast(pointer, to: type)
        }
        let copyChannelsInGroup = try symbol("IOReportCopyChannelsInGroup", CopyChannelsInGroup.self)
        let mergeChannels = try symbol("IOReportMergeChannels", MergeChannels.self)
        let createSubscription = try symbol("IOReportCreateSubscription", CreateSubscription.self)
        createSamples = try symbol("IOReportCreateSamples", CreateSamples.self)
        createSamplesDelta = try symbol("IOReportCreateSamplesDelta", CreateSamplesDelta.self)
        channelGetGroup = try symbol("IOReportChannelGetGroup", ChannelGetString.self)
        channelGetSubGroup = try symbol("IOReportChannelGetSubGroup", ChannelGetString.self)
        channelGetChannelName = try symbol("IOReportChannelGetChannelName", ChannelGetString.self)
        channelGetUnitLabel = try symbol("IOReportChannelGetUnitLabel", ChannelGetString.self)
        simpleGetIntegerValue = try symbol("IOReportSimpleGetIntegerValue", SimpleGetIntegerValue.self)
        stateGetCount = try symbol("IOReportStateGetCount", StateGetCount.self)
        stateGetNameForIndex = try symbol("IOReportStateGetNameForIndex", StateGetNameForIndex.self)
        stateGetResidency = try symbol("IOReportStateGetResidency", StateGetResidency.self)

        guard let states = copyChannelsInGroup("GPU Stats" as CFString, "GPU Performance States" as CFString, 0, 0, 0)?.takeRetainedValue(),
            let energy = copyChannelsInGroup("Energy Model" as CFString, nil, 0, 0, 0)?.takeRetainedValue()
        else {
            dlclose(handle)
            throw GPUSourceError("IOReport has no GPU Stats or Energy Model channels: is this an Apple Silicon Mac?")
        }
        mergeChannels(states, energy, nil)
        // The subscribed-channels out value is left alone: whether it is retained is undocumented, and releasing it
        // wrongly would crash where leaving it costs one dictionary for the life of the process.
        var subscribed: Unmanaged<CFMutableDictionary>?
        guard let subscription = createSubscription(nil, states, &subscribed, 0, nil),
            let first = createSamples(subscription, states, nil)?.takeRetainedValue()
        else {
            dlclose(handle)
            throw GPUSourceError("IOReport refused the GPU subscription")
        }
        self.handle = handle
        self.channels = states
        self.subscription = subscription
        self.previous = first
        self.previousTime = .now
        self.frequenciesHertz = Self.gpuFrequenciesHertz()
    }

    deinit {
        Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(subscription)).release()
        dlclose(handle)
    }

    /// The GPU over the time since the previous call (or since init); `nil` when IOReport gave no sample.
    func sample() -> IOReportGPUReading? {
        let (delta, elapsed): (CFDictionary?, Duration) = lock.withLock {
            guard let current = createSamples(subscription, channels, nil)?.takeRetainedValue() else { return (nil, .zero) }
            let now = ContinuousClock.now
            defer { (previous, previousTime) = (current, now) }
            return (createSamplesDelta(previous, current, nil)?.takeRetainedValue(), now - previousTime)
        }
        guard let delta, let items = (delta as NSDictionary)["IOReportChannels"] as? [NSDictionary] else { return nil }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return IOReportGPUReading(
            channels: items.compactMap { channel($0 as CFDictionary) },
            elapsedSeconds: seconds,
            frequenciesHertz: frequenciesHertz
        )
    }

    /// One GPU channel as plain values; `nil` for channels ``IOReportGPUReading`` does not use.
    private func channel(_ item: CFDictionary) -> IOReportChannel? {
        let group = string(channelGetGroup(item))
        let subgroup = string(channelGetSubGroup(item))
        let name = string(channelGetChannelName(item))
        if group == "Energy Model", name == "GPU Energy" || name.hasPrefix("GPU SRAM") {
            let unit = string(channelGetUnitLabel(item)).trimmingCharacters(in: .whitespaces)
            return IOReportChannel(group: group, subgroup: subgroup, name: name, unit: unit, value: .integer(simpleGetIntegerValue(item, 0)))
        }
        guard group == "GPU Stats", subgroup == "GPU Performance States" else { return nil }
        let count = max(0, stateGetCount(item))
        let states = (0..<count).map { IOReportChannel.State(string(stateGetNameForIndex(item, $0)), stateGetResidency(item, $0)) }
        return IOReportChannel(group: group, subgroup: subgroup, name: name, value: .states(states))
    }

    /// A `Get` function's string (not retained by the caller); empty when there is none.
    private func string(_ value: Unmanaged<CFString>?) -> String {
        value.map { $0.takeUnretainedValue() as String } ?? ""
    }

    /// The GPU DVFS table: `voltage-states9` of the `AppleARMIODevice` named `pmgr` (or `voltage-states9-sram`,
    /// which mactop also accepts); empty when neither is there or parses.
    static func gpuFrequenciesHertz() -> [UInt32] {
        var iterator: io_iterator_t = 0
        guard IOServiceGetMatchingServices(kIOMainPortDefault, IOServiceMatching("AppleARMIODevice"), &iterator) == KERN_SUCCESS else { return [] }
        defer { IOObjectRelease(iterator) }
        while case let entry = IOIteratorNext(iterator), entry != 0 {
            defer { IOObjectRelease(entry) }
            var name = [CChar](repeating: 0, count: 128)  // io_name_t
            guard IORegistryEntryGetName(entry, &name) == KERN_SUCCESS, AppleIOKitSource.string(name) == "pmgr" else { continue }
            for key in ["voltage-states9", "voltage-states9-sram"] {
                if let data = IORegistryEntryCreateCFProperty(entry, key as CFString, kCFAllocatorDefault, 0)?.takeRetainedValue() as? Data,
                    let table = PMGRVoltageStatesParser.frequenciesHertz([UInt8](data))
                {
                    return table
                }
            }
        }
        return []
    }
}
#endif
