import NATSCore

extension Credentials {
    /// The credentials as a `.creds` file, in the layout `nsc` writes: the JWT block, a warning banner, the seed block.
    ///
    /// The text contains the seed: write it to a file only readable by the test, never to a log.
    public var credsFileContents: String { Self.credsFile(jwt: jwt, seed: seed) }

    /// A `.creds` file of any JWT and seed text (valid or not, for tests of the parser), in the layout `nsc` writes.
    public static func credsFile(jwt: String, seed: String) -> String {
        """
        -----BEGIN NATS USER JWT-----
        \(jwt)
        ------END NATS USER JWT------

        ************************* IMPORTANT *************************
        NKEY Seed printed below can be used to sign and prove identity.
        NKEYs are sensitive and should be treated as secrets.

        -----BEGIN USER NKEY SEED-----
        \(seed)
        ------END USER NKEY SEED------

        *************************************************************

        """
    }
}
