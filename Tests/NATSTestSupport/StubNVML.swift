import Foundation

/// A small C library with NVML's function names and signatures, built by the tests with `cc`, that serves readings
/// from the H200 capture (`Tests/Fixtures/gpu/…nvidia-h200…`, load state) so the agent's `dlopen` path runs for real.
///
/// Behaviour from the environment of the process that loads it:
/// - `CIM_TEST_NVML_GPUS`: how many GPUs (default 1); GPU `i` has the UUID `GPU-00000000-0000-0000-0000-00000000000i`.
/// - `CIM_TEST_NVML_MIG_GPU`: the index of a GPU in MIG mode, with two instances (`MIG-…-0`, `MIG-…-1`).
/// - `CIM_TEST_NVML_CONTROL`: a directory; while a file `lost-<i>` exists GPU `i` answers `GPU_IS_LOST`; while
///   `error-<i>` exists its power reading fails with `NVML_ERROR_UNKNOWN`; a file `xid-<i>` holding a number is
///   delivered once as an Xid event of GPU `i`, then removed; a file `remapped-<i>` holding `<correctable>
///   <uncorrectable>` is GPU `i`'s remapped-row counts for one read (else 0 and 0, as the capture), then removed.
/// - Memory: `nvmlDeviceGetMemoryInfo_v2` with the capture's 614 MiB reserved; memory temperature (field 82) 40 °C;
///   retired pages NOT_SUPPORTED (Hopper remaps rows instead).
/// - `CIM_TEST_NVML_MEMORY_V1_ONLY`: `nvmlDeviceGetMemoryInfo_v2` answers `ARGUMENT_VERSION_MISMATCH`, as an older driver.
/// - `CIM_TEST_NVML_INIT_FAIL`: `nvmlInit_v2` answers `DRIVER_NOT_LOADED`.
public enum StubNVML {
    /// The one place test processes keep the built library: reused while the source is unchanged, so runs leave
    /// one small folder behind instead of one per process.
    public static let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cim-monitor-stub-nvml")

    /// Compiles the library (unless the one in ``directory`` was built from the same source) and returns its path.
    public static func build() throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let text = try Self.cSource
        let source = directory.appendingPathComponent("stub_nvml.c")
        let library = directory.appendingPathComponent("libnvidia-ml-stub.so")
        if (try? String(contentsOf: source, encoding: .utf8)) == text, FileManager.default.fileExists(atPath: library.path) {
            return library.path
        }
        // Built under names of its own, then renamed into place: concurrent builds never see half a file.
        let own = UUID().uuidString
        let ownSource = directory.appendingPathComponent("stub_nvml-\(own).c")
        let ownLibrary = directory.appendingPathComponent("libnvidia-ml-stub-\(own).so")
        try text.write(to: ownSource, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-shared", "-fPIC", "-O2", "-o", ownLibrary.path, ownSource.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
        guard rename(ownLibrary.path, library.path) == 0, rename(ownSource.path, source.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        return library.path
    }

    /// The C source, `Tests/Fixtures/gpu/stub_nvml.c` (the benchmark builds the same file).
    static var cSource: String {
        get throws {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/gpu/stub_nvml.c")
            return try String(contentsOf: url, encoding: .utf8)
        }
    }
}
