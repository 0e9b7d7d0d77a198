import ArgumentParser
import CommandSupport
import GPUNode

/// `cim-gpu-agent`: the GPU node agent alone, the same flags as `cim-monitor gpu agent`, in a binary that holds only
/// the NATS client and the GPU sources.
@main
struct CIMGPUAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: LeanAgentExecutable.name,
        abstract: GPUAgentCommand.configuration.abstract,
        discussion: GPUAgentCommand.configuration.discussion,
        version: ToolVersion.current
    )

    @OptionGroup var agent: GPUAgentCommand

    func run() async throws {
        try await agent.runHere()
    }
}
