#if canImport(Glibc)
import Glibc
#endif

extension MonitorApplication {
    /// With the health collector, large buffers come and go every poll and every `/metrics` (a `/jsz` body of
    /// megabytes, the parts of a large exposition). glibc keeps freed buffers of that size in its per-thread arenas
    /// once it has raised its mapping threshold after the first such free, so the resident size grows with each;
    /// a fixed threshold (`mallopt(M_MMAP_THRESHOLD, 256 KiB)`) maps and unmaps them on their own, returning them to
    /// the system. Small allocations (the event fold) are not affected.
    static func returnLargeBuffersToTheSystem() {
        #if canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not export.
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MallocOption.self)(mmapThreshold, 256 * 1024)
        #endif
    }
}
