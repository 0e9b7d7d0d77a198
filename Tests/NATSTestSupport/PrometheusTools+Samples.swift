extension PrometheusTools {
    /// The samples of a Prometheus text or OpenMetrics exposition, read in process: the one exposition reader of the
    /// tests, quick enough to poll `/metrics` with (`parse` runs the Python client, the reference to check it against).
    ///
    /// Comments (`# HELP`, `# TYPE`, `# EOF`) are skipped; label values are unescaped (`\\`, `\"`, `\n`); a sample's
    /// timestamp is ignored; `le` is spelt as Swift spells the bound's `Double`, as `parse` spells it. Lines that are
    /// not samples are skipped.
    public static func samples(_ text: String) -> [Sample] {
        var samples: [Sample] = []
        for line in Array(text.utf8).split(separator: UInt8(ascii: "\n")) where line.first != UInt8(ascii: "#") {
            guard var sample = sample(line) else { continue }
            if let le = sample.labels["le"] { sample.labels["le"] = Double(le)?.description ?? "unreadable \(le)" }
            samples.append(sample)
        }
        return samples
    }

    /// One sample line: `name value`, or `name{key="value",…} value`, either with an optional timestamp.
    private static func sample(_ line: ArraySlice<UInt8>) -> Sample? {
        var labels: [String: String] = [:]
        var rest: ArraySlice<UInt8>
        let name: ArraySlice<UInt8>
        if let brace = line.firstIndex(of: UInt8(ascii: "{")) {
            name = line[..<brace]
            rest = line[(brace + 1)...]
            while let (key, value, after) = label(rest) {
                labels[key] = value
                rest = after
            }
            guard rest.first == UInt8(ascii: "}") else { return nil }
            rest = rest.dropFirst()
        } else {
            guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return nil }
            name = line[..<space]
            rest = line[space...]
        }
        guard let text = rest.split(separator: UInt8(ascii: " ")).first, let value = Double(String(decoding: text, as: UTF8.self)) else {
            return nil
        }
        return Sample(name: String(decoding: name, as: UTF8.self), labels: labels, value: value)
    }

    /// The label at the start of `text` (after a comma) and the text after it, or `nil` at the closing brace.
    private static func label(_ text: ArraySlice<UInt8>) -> (key: String, value: String, rest: ArraySlice<UInt8>)? {
        var rest = text.drop { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: " ") }
        guard rest.first != UInt8(ascii: "}"), let equals = rest.firstIndex(of: UInt8(ascii: "=")),
            rest[(equals + 1)...].first == UInt8(ascii: "\"")
        else { return nil }
        let key = String(decoding: rest[..<equals], as: UTF8.self)
        rest = rest[(equals + 2)...]
        var value: [UInt8] = []
        while let byte = rest.first, byte != UInt8(ascii: "\"") {
            rest = rest.dropFirst()
            if byte == UInt8(ascii: "\\"), let escaped = rest.first {
                rest = rest.dropFirst()
                value.append(escaped == UInt8(ascii: "n") ? UInt8(ascii: "\n") : escaped)
            } else {
                value.append(byte)
            }
        }
        guard rest.first == UInt8(ascii: "\"") else { return nil }
        return (key, String(decoding: value, as: UTF8.self), rest.dropFirst())
    }
}
