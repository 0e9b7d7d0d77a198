import Testing

@testable import NATSCore

/// Known answers produced by the Go `nkeys` package (`nkeys.FromRawSeed`, `kp.PublicKey`, `kp.Sign`).
struct GoVector: Sendable, CustomTestStringConvertible {
    let type: NKeyType
    let rawSeedHex: String
    let seed: String
    let publicKey: String
    let nonce: String
    let signature: String

    var testDescription: String { "\(type)" }

    var rawSeed: [UInt8] {
        stride(from: 0, to: rawSeedHex.count, by: 2).map { offset in
            let start = rawSeedHex.index(rawSeedHex.startIndex, offsetBy: offset)
            return UInt8(rawSeedHex[start..<rawSeedHex.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    static let all = [
        GoVector(
            type: .user,
            rawSeedHex: "01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3da",
            seed: "SUAACCAPCYOSIKZSHFAEOTSVLRRWU4LYP6DI3FE3UKU3BN56YXGNHWVCJA",
            publicKey: "UDSAGCMYZ7K22FZDYFU7SVVKBOPLQYM3LGJL2YJMFL2CR26HT6G7AGME",
            nonce: "Hx2mQ1-nonce_0",
            signature: "owB4UVJZ3cFI0C1QT70N8ECVLfDJSwQi2r0jw5mbT7cBF_SrAgMTdBLyMxPmxce456gJCh8mUG7_fDZaQDnNAQ"
        ),
        GoVector(
            type: .account,
            rawSeedHex: "20272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f9",
            seed: "SAACAJZOGU6EGSSRLBPWM3LUPOBITEEXT2S2ZM52YHEM7VW54TV7F6K76E",
            publicKey: "AABWB3PRUB6CSJO7AP3Y35EOKRPW2EXWJZ3KBFL32OGQQCJODICP4OYF",
            nonce: "Hx2mQ1-nonce_1",
            signature: "dFQS0Go6iLyf9ZAOCEwvhoFd9R2ThIsrImu0WQFY2cWeFxdhow6zibSq4vx4QLJtduuCmyOcHg0P2T7gml49Ag"
        ),
        GoVector(
            type: .operator,
            rawSeedHex: "3f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9e0e7eef5fc030a1118",
            seed: "SOAD6RSNKRNWE2LQO57ILDETTKQ2RL5WXXCMXUWZ4DT655P4AMFBCGA5QA",
            publicKey: "OC7VGCZCHDDCWXZK6D373EYVGIHSQF7XBP6U6GZJ4D25S23I2QQMGPXE",
            nonce: "Hx2mQ1-nonce_2",
            signature: "kkraI_ojNOOH7emwfy33olW9Q3J-QF5v-y44QJK9oqiPQ0pI5sNx7ECnW33AEP29b-mr8gGpMTYJBlEc9OHLAQ"
        ),
    ]
}

/// Replaces the character at `offset` with another valid base32 character.
func corrupt(_ text: String, at offset: Int) -> String {
    var characters = Array(text)
    characters[offset] = characters[offset] == "A" ? "B" : "A"
    return String(characters)
}
