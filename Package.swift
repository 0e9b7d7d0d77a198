// swift-tools-version: 6.1
import PackageDescription

// One set of Swift settings for every target.
let swiftSettings: [SwiftSetting] = [
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0335-existential-any.md
    .enableUpcomingFeature("ExistentialAny"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0444-member-import-visibility.md
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "cim-monitor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cim-monitor", targets: ["cim-monitor"]),
        .executable(name: "cim-gpu-agent", targets: ["cim-gpu-agent"]),
        .library(name: "NATS", targets: ["NATS"]),
        .library(name: "CIMEvents", targets: ["CIMEvents"]),
        .library(name: "EventMetrics", targets: ["EventMetrics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // The NATS wire protocol: parser, encoder, headers, state machines, auth. No I/O.
        .target(
            name: "NATSCore",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The NATS client on SwiftNIO: connection, TLS, reconnect, subscriptions, request/reply.
        .target(
            name: "NATS",
            dependencies: [
                "NATSCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // CIM events: the event model and the mapping from NATS messages to events.
        .target(name: "CIMEvents", swiftSettings: swiftSettings),
        // GPU telemetry: the GPU event model and codec, nvidia-smi / powermetrics / ioreg parsers, NVML through dlopen,
        // the nvidia-smi exec source, Apple sources (IOKit, macOS only) and the change detector. No NIO.
        .target(name: "GPUTelemetry", dependencies: ["CIMEvents"], swiftSettings: swiftSettings),
        // Events to metrics: the fold, cardinality guard, snapshot codec and exposition encoders.
        .target(name: "EventMetrics", dependencies: ["CIMEvents", "GPUTelemetry"], swiftSettings: swiftSettings),
        // The simulated CIM workload: a deterministic generator of events, workflows and GPU samples. No I/O.
        .target(name: "CIMSimulation", dependencies: ["CIMEvents", "GPUTelemetry"], swiftSettings: swiftSettings),
        // NATS cluster and JetStream health: monitoring JSON parsers, the $SYS and HTTP sources, the merged state, the
        // exporter-compatible and cim_nats_* families.
        .target(
            name: "NATSHealth",
            dependencies: [
                "NATS", "NATSCore", "CIMEvents", "EventMetrics",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The pipeline: configuration, stream consumption, mapping and folding, as `scan` and `serve` run it.
        .target(
            name: "Monitor",
            dependencies: [
                "NATS", "NATSCore", "CIMEvents", "EventMetrics", "CIMSimulation", "NATSHealth", "GPUTelemetry",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP side of `serve`: /metrics, /healthz, /readyz, TLS and basic auth.
        .target(
            name: "MonitorServer",
            dependencies: [
                "Monitor", "EventMetrics", "NATSHealth",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                "NATS",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdBasicAuth", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // Operations: replay, backup and restore over the snapshot API, and the health check. I/O at the edges,
        // the selection, manifest and check verdicts pure.
        .target(
            name: "Operations",
            dependencies: [
                "NATS", "NATSCore", "CIMEvents", "EventMetrics", "Monitor", "NATSHealth",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // What every executable's command line shares: the NATS connection flags, durations, stderr/stdout lines.
        .target(
            name: "CommandSupport",
            dependencies: ["NATS", "NATSCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        // What runs on a GPU node: the agent service and its command, without the monitor, HTTP or operations.
        .target(
            name: "GPUNode",
            dependencies: [
                "CommandSupport", "GPUTelemetry", "NATS", "NATSCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // The lean GPU node executable: `cim-monitor gpu agent` hands over to it when it is installed beside it.
        // Release builds on Linux link it as a position-dependent executable, which the loader maps without
        // relocating: 2.5 MB of relocations and the pages they would dirty are not part of its resident memory. Built
        // with `--static-swift-stdlib`, it also holds the Swift runtime and Foundation, and a GPU node needs no Swift
        // toolchain (that flag must be given to `swift build`: as a linker flag alone, static Foundation's own
        // libraries are not linked).
        .executableTarget(
            name: "cim-gpu-agent",
            dependencies: ["GPUNode", "CommandSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings,
            linkerSettings: [.unsafeFlags(["-Xlinker", "-no-pie"], .when(platforms: [.linux], configuration: .release))]
        ),
        // The command line: ArgumentParser commands that parse and call the libraries (a library, so tests can
        // parse every documented command line).
        .target(
            name: "CIMMonitorCommands",
            dependencies: [
                "NATS", "NATSCore", "CIMEvents", "EventMetrics", "CIMSimulation", "Monitor", "MonitorServer", "NATSHealth", "Operations",
                "GPUTelemetry", "CommandSupport", "GPUNode",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // The executable: runs `CIMMonitor`.
        .executableTarget(
            name: "cim-monitor",
            dependencies: ["CIMMonitorCommands", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        // Shared by the test targets: free ports, a nats-server launcher, a manual clock.
        .target(name: "NATSTestSupport", dependencies: ["NATSCore", "CIMEvents"], path: "Tests/NATSTestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "NATSCoreTests",
            dependencies: ["NATSCore", "NATSTestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NATSTests",
            dependencies: ["NATS", "NATSCore", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CIMEventsTests", dependencies: ["CIMEvents", "CIMSimulation", "NATSTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "GPUTelemetryTests", dependencies: ["GPUTelemetry", "NATSTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CIMSimulationTests", dependencies: ["CIMSimulation", "CIMEvents", "GPUTelemetry"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MonitorTests",
            dependencies: ["Monitor", "CIMEvents", "CIMSimulation", "EventMetrics", "NATSHealth", "NATSTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NATSHealthTests",
            dependencies: ["NATSHealth", "CIMEvents", "EventMetrics", "NATSTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EventMetricsTests",
            dependencies: ["EventMetrics", "CIMEvents", "CIMSimulation", "NATSTestSupport", "GPUTelemetry"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MonitorServerTests",
            dependencies: [
                "MonitorServer", "Monitor", "EventMetrics", "CIMEvents",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdBasicAuth", package: "hummingbird-auth"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The deployment under deploy/ (rules, routing, dashboards, Nix) checked by the real tools and on live data.
        .testTarget(
            name: "DeployTests",
            dependencies: ["NATSTestSupport", "CIMSimulation", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OperationsTests",
            dependencies: [
                "Operations", "CIMMonitorCommands", "NATS", "NATSCore", "CIMEvents",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "NATS", "NATSCore", "NATSTestSupport", "CIMEvents", "EventMetrics", "CIMSimulation", "Monitor", "Operations",
                "GPUTelemetry", "GPUNode",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
