import NATSTestSupport
import Testing

extension CorpusLine: CustomTestStringConvertible {
    /// Every line of the corpus, in file order.
    static let all: [CorpusLine] = {
        do {
            return try CorpusLine.load()
        } catch {
            fatalError("the corpus does not read: \(error)")
        }
    }()

    public var testDescription: String { name }

    /// The header block as NATS puts it on the wire.
    var headerBlock: [UInt8] {
        guard !headers.isEmpty else { return [] }
        return Array(("NATS/1.0\r\n" + headers.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n").utf8)
    }
}
