/// Families whose producers are other issues' work, by name prefix. Until `serve` exposes (or docs/ARCHITECTURE.md
/// documents) one family of a prefix, the deploy tests report what reads them as pending instead of failing; once one
/// exists, every name of the prefix is checked.
enum PendingFamilies {
    static let prefixes = [
        ("cim_nats_", "the NATS health collector (issue 12)"), ("nats_", "the NATS health collector (issue 12)"),
        ("cim_gpu_", "the GPU families (issue 13)"),
    ]

    /// The prefixes of which no name in `known` exists yet, with the reason.
    static func pending(known: Set<String>) -> [(prefix: String, reason: String)] {
        prefixes.filter { prefix in !known.contains { $0.hasPrefix(prefix.0) } }.map { ($0.0, $0.1) }
    }

    /// Why a name is pending, or `nil` when it is to be checked.
    static func reason(for names: some Sequence<String>, pending: [(prefix: String, reason: String)]) -> String? {
        pending.first { prefix in names.contains { $0.hasPrefix(prefix.prefix) } }?.reason
    }
}
