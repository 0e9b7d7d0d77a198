import Testing

@testable import GPUTelemetry

/// `nvidia-smi -L`: the MIG instances of the H100 capture, and lines that name nothing.
@Suite struct NvidiaSMIListParserTests {
    @Test func readsTheFourMIGInstancesOfTheH100Capture() throws {
        let instances = NvidiaSMIListParser.parse(try GPUFixtures.list(GPUFixtures.h100MIG))
        let parent = "GPU-00000000-0000-0000-0000-000000000000"
        #expect(
            instances == [
                .init(gpu: parent, uuid: "MIG-00000000-0000-0000-0000-000000000000", profile: "3g.40gb"),
                .init(gpu: parent, uuid: "MIG-00000001-0000-0000-0000-000000000001", profile: "2g.20gb"),
                .init(gpu: parent, uuid: "MIG-00000002-0000-0000-0000-000000000002", profile: "1g.10gb"),
                .init(gpu: parent, uuid: "MIG-00000003-0000-0000-0000-000000000003", profile: "1g.10gb"),
            ]
        )
    }

    @Test func aGPUWithoutMIGHasNoInstances() {
        #expect(NvidiaSMIListParser.parse("GPU 0: NVIDIA H200 (UUID: GPU-00000000-0000-0000-0000-000000000000)\n").isEmpty)
    }

    @Test func instancesBelongToTheGPUAboveThem() {
        let text = """
            GPU 0: NVIDIA H100 (UUID: GPU-a)
              MIG 7g.80gb     Device  0: (UUID: MIG-a0)
            GPU 1: NVIDIA H100 (UUID: GPU-b)
              MIG 1g.10gb     Device  0: (UUID: MIG-b0)
            """
        #expect(NvidiaSMIListParser.parse(text).map(\.gpu) == ["GPU-a", "GPU-b"])
        #expect(NvidiaSMIListParser.parse(text).map(\.uuid) == ["MIG-a0", "MIG-b0"])
    }

    @Test func linesThatNameNothingAreSkippedNotGuessed() {
        let text = """
              MIG 3g.40gb     Device  0: (UUID: MIG-orphan)
            No devices were found
            GPU 0: NVIDIA H100 (UUID: GPU-a)
              MIG 3g.40gb     Device  0: (UUID: MIG-unterminated
              MIG 3g.40gb     Device  1: (UUID: GPU-not-a-mig)
              MIG 3g.40gb     Device  2: (UUID: )
              MIG Device  3: (UUID: MIG-no-profile)
            \u{FF}\u{FE} garbage (UUID: MIG-x)
            """
        let instances = NvidiaSMIListParser.parse(text)
        #expect(instances == [.init(gpu: "GPU-a", uuid: "MIG-no-profile", profile: nil)])
    }

    @Test func aGPULineWithoutAGPUUUIDEndsThePreviousGPU() {
        let text = """
            GPU 0: NVIDIA H100 (UUID: GPU-a)
            GPU 1: broken (UUID: nonsense)
              MIG 1g.10gb     Device  0: (UUID: MIG-b0)
            """
        #expect(NvidiaSMIListParser.parse(text).isEmpty)
    }
}
