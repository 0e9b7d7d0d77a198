/// Unique tokens for inbox subjects and consumer names: 22 base-62 characters.
public enum NUID {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    public static func next() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 22)
        for index in bytes.indices {
            bytes[index] = alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
