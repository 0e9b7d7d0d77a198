import Testing

@testable import CIMEvents

@Suite("Label normalisation")
struct LabelNormaliserTests {
    @Test(
        "turns raw values into bounded snake_case",
        arguments: [
            ("node_added", "node_added"),
            ("NodeAdded", "node_added"),
            ("AgentGPUAllocationFailed", "agent_gpu_allocation_failed"),
            ("HTTPServer", "http_server"),
            ("getHTTPResponseCode", "get_http_response_code"),
            ("ABCdEFg", "ab_cd_e_fg"),
            ("Ver2Beta", "ver2_beta"),
            ("v2Release", "v2_release"),
            ("2FA", "2_fa"),
            ("ALLCAPS", "allcaps"),
            ("already_snake", "already_snake"),
            ("kebab-case-name", "kebab_case_name"),
            ("dotted.name", "dotted_name"),
            ("  spaced  out  ", "spaced_out"),
            ("__lead__and__trail__", "lead_and_trail"),
            ("a___b", "a_b"),
            ("Person_NameChanged", "person_name_changed"),
            ("gra\"ph", "gra_ph"),
            ("struc\\ture", "struc_ture"),
            ("größe", "gr_e"),
            ("maß", "ma"),
            ("geändert", "ge_ndert"),
            ("émoji🙂Event", "moji_event"),
            ("E_TIMEOUT", "e_timeout"),
            ("x", "x"),
        ]
    )
    func normalises(_ raw: String, _ expected: String) {
        #expect(LabelNormaliser.normalise(raw) == expected)
    }

    @Test("an empty or symbol-only value becomes unknown", arguments: ["", "_", "___", "...", "-", " ", "🙂", "ü"])
    func emptyBecomesUnknown(_ raw: String) {
        #expect(LabelNormaliser.normalise(raw) == "unknown")
    }

    @Test(
        "an identifier is never a label",
        arguments: [
            "6f1c2d3e-0000-4000-8000-00000000abcd",
            "6F1C2D3E-0000-4000-8000-00000000ABCD",
            "{6f1c2d3e-0000-4000-8000-00000000abcd}",
            "6f1c2d3e_0000_4000_8000_00000000abcd",
            "deadbeefcafe",
            "DEADBEEFCAFE",
            "0123456789abcdef0123",
            "123456789012",
            "AbcDefAbcDef",  // all hex letters: an id, even though it reads as camel case
        ]
    )
    func identifierBecomesUnknown(_ raw: String) {
        #expect(LabelNormaliser.normalise(raw) == "unknown")
    }

    @Test(
        "short hex and words made of hex letters stay labels",
        arguments: [("deadbeef", "deadbeef"), ("added", "added"), ("face_bad_cafe", "face_bad_cafe"), ("12345678901", "12345678901")]
    )
    func shortHexStays(_ raw: String, _ expected: String) {
        #expect(LabelNormaliser.normalise(raw) == expected)
    }

    @Test("a long value is cut to 64 characters")
    func longValueIsCut() {
        #expect(LabelNormaliser.normalise(String(repeating: "x", count: 300)) == String(repeating: "x", count: 64))
        let normalised = LabelNormaliser.normalise(String(repeating: "NodeAdded", count: 10))
        #expect(normalised.utf8.count == 64)
        #expect(normalised.hasPrefix("node_added_node_added"))
    }

    // Found by Fuzz/EventMapperFuzzer.swift: a separator falling on the 64th character was kept, leaving a trailing `_`.
    @Test(
        "a value cut at 64 characters does not end in '_'",
        arguments: [
            (String(repeating: "x", count: 63) + "-y", String(repeating: "x", count: 63)),
            (String(repeating: "x", count: 63) + "Yz", String(repeating: "x", count: 63)),
            ("c\u{14}d" + String(repeating: "t", count: 60) + "\u{94}tt", "c_d" + String(repeating: "t", count: 60)),
            (String(repeating: "ab-", count: 30), String(repeating: "ab_", count: 21) + "a"),
        ]
    )
    func cutValueHasNoTrailingUnderscore(_ raw: String, _ expected: String) {
        #expect(LabelNormaliser.normalise(raw) == expected)
    }

    @Test("a label the mapper cuts does not end in '_'")
    func mappedLabelHasNoTrailingUnderscore() {
        var mapper = EventMapper()
        let domain = String(repeating: "s", count: 63)
        let event = mapper.map(subject: "cim.\(domain)-x.events.order.order_placed", headers: [], payload: Array("{}".utf8))
        #expect(event.domain == domain)
    }

    @Test(
        "event types that name a failure are failures",
        arguments: [
            ("registration_failed", true), ("node_failure", true), ("agent_error_event", true), ("request_rejected", true),
            ("step_timedout", true), ("step_timed_out", true), ("job_aborted", true), ("worker_crashed", true),
            ("node_added", false), ("completed", false), ("unknown", false), ("errand_run", false), ("fail", false),
        ]
    )
    func failureWords(_ eventType: String, _ isFailure: Bool) {
        var label = eventType
        let names = label.withUTF8 { LabelNormaliser.namesFailure(UnsafeRawBufferPointer($0)) }
        #expect(names == isFailure)
    }
}
