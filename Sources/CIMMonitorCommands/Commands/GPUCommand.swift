import ArgumentParser
import GPUNode

struct GPUCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpu",
        abstract: "GPU telemetry as events: the node agent, and one-off readings for operators.",
        discussion: """
            Sources, in order: NVML loaded with dlopen (libnvidia-ml.so.1, or CIM_NVML_LIBRARY), then nvidia-smi \
            (CIM_NVIDIA_SMI, else PATH), then when running as root powermetrics (CIM_POWERMETRICS, else \
            /usr/bin/powermetrics), then on macOS the IOAccelerator statistics. Exit status 2 when no GPU or driver \
            is found.
            """,
        subcommands: [GPUAgentCommand.self, GPUListCommand.self, GPUSampleCommand.self]
    )
}
