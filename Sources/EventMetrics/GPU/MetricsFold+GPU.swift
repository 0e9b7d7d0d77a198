import Foundation
import GPUTelemetry

extension MetricsFold {
    /// Folds a GPU event's payload into the `cim_gpu_*` families, in addition to ``fold(_:storedAt:sequence:)``
    /// (which counts it in `cim_events_total` like every event). Call it only for subjects under `cim.gpu.`
    /// (``GPUSubject/isGPUSubject(_:)``): ordinary domain events never pay for it.
    public mutating func foldGPU(payload: UnsafeRawBufferPointer, storedAt: Double?) {
        gpu.fold(payload: payload, storedAt: storedAt)
    }

    /// The wall clock in unix seconds (only for `families()` without a time).
    static func wallClock() -> Double { Date().timeIntervalSince1970 }
}
