extension NKeyPair: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `NKeyPair(user: U…)`: the type and public key, never the seed.
    public var description: String {
        "NKeyPair(\(type): \(publicKey))"
    }

    /// Same as ``description``: the seed is never printed.
    public var debugDescription: String {
        description
    }

    /// Shows `type` and `publicKey` only, so `dump` and debuggers do not reveal the seed.
    public var customMirror: Mirror {
        Mirror(self, children: ["type": type, "publicKey": publicKey], displayStyle: .struct)
    }
}
