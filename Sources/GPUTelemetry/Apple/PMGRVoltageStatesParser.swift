/// Parses the GPU's DVFS table: the data bytes of the `voltage-states9` property of the I/O registry's
/// `AppleARMIODevice` entry named `pmgr` (readable without root; ``AppleIOReportSource`` reads it once).
///
/// Layout, as macmon reads it (`get_dvfs_mhz`): consecutive 8-byte records, one per performance state in
/// ascending order, each two little-endian `UInt32`s — the frequency in hertz, then the voltage in millivolts.
/// The first record of the GPU table is the powered-off state, frequency 0; the records after it line up with the
/// active states of IOReport's `GPUPH` channel (see ``IOReportGPUReading``). The GPU table is in hertz on every
/// M-series chip (macmon divides it by 10⁶ on all of them; only the CPU tables changed unit, to kHz, with M4).
public enum PMGRVoltageStatesParser {
    /// The frequency of every record, in hertz, in table order (zero entries kept); `nil` when the bytes are empty
    /// or not whole records — a truncated table would shift every state after the cut.
    public static func frequenciesHertz(_ bytes: [UInt8]) -> [UInt32]? {
        guard !bytes.isEmpty, bytes.count % 8 == 0 else { return nil }
        return stride(from: 0, to: bytes.count, by: 8).map { offset in
            UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
        }
    }
}
