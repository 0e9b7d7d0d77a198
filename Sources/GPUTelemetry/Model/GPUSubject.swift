/// GPU subjects: `cim.gpu.<node>.<event>`.
public enum GPUSubject {
    /// The prefix every GPU event's subject starts with.
    public static let prefix = "cim.gpu."

    /// Makes a node name safe as one subject token: characters other than ASCII letters, digits, `-` and `_`
    /// become `_`; an empty name becomes `node`.
    public static func token(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            let ok = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
            out.unicodeScalars.append(ok ? scalar : "_")
        }
        return out.isEmpty ? "node" : out
    }

    /// Whether a subject starts with `cim.gpu.` and has a token after it.
    @inlinable
    public static func isGPUSubject(_ subject: String) -> Bool {
        var subject = subject
        return subject.withUTF8 { isGPUSubject(UnsafeRawBufferPointer($0)) }
    }

    /// Whether a subject's UTF-8 bytes start with `cim.gpu.` (the fold's cheap test before it decodes anything).
    @inlinable
    public static func isGPUSubject(_ subject: UnsafeRawBufferPointer) -> Bool {
        subject.count > 8 && subject[4] == UInt8(ascii: "g") && subject[5] == UInt8(ascii: "p") && subject[6] == UInt8(ascii: "u")
            && subject[7] == UInt8(ascii: ".") && subject[0] == UInt8(ascii: "c") && subject[1] == UInt8(ascii: "i")
            && subject[2] == UInt8(ascii: "m") && subject[3] == UInt8(ascii: ".")
    }
}
