import Foundation
import NATSCore
import NIOCore
import NIOPosix
import NIOSSL

/// One-line reasons for connection and TLS failures, in the user's terms: what went wrong and which flag fixes it,
/// never the internals of NIO or BoringSSL (whose messages carry build paths).
enum ConnectionFailure {
    /// Why a TCP connection could not be made: "connection refused", "timed out", "cannot resolve host …".
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve the host name \(error.host)" }
            if let first = error.connectionErrors.first { return reason(first.error) }
            return "no address to connect to for \(error.host)"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as ChannelError:
            if case .connectTimeout = error { return "timed out" }
            return "\(error)"
        default:
            return "\(error)"
        }
    }

    /// What a failed TLS handshake means, and the flag that fixes it.
    static func tlsReason(_ error: any Error, url: ServerURL, options: NATSTLSOptions?) -> String {
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return "the server's certificate does not name \(url.host); connect by a name the certificate holds"
        }
        let text = String(describing: error)
        let codes = tlsErrorCodes(text)
        if codes.contains(where: { $0.contains("CERTIFICATE_REQUIRED") }) || codes.contains("SSLV3_ALERT_HANDSHAKE_FAILURE") {
            return "the server requires a client certificate (--tls-cert, --tls-key)"
        }
        if codes.contains("CERTIFICATE_VERIFY_FAILED") {
            if let ca = options?.caFile { return "the server's certificate is not signed by --tls-ca \(ca)" }
            return "the server's certificate is not signed by a trusted CA; give its CA with --tls-ca"
        }
        if codes.contains(where: { $0.contains("UNKNOWN_CA") || $0.contains("BAD_CERTIFICATE") }) {
            return "the server does not accept the client certificate (--tls-cert is not signed by a CA it trusts)"
        }
        if codes.contains("WRONG_VERSION_NUMBER") || codes.contains("PACKET_LENGTH_TOO_LONG") {
            return "the server does not speak TLS on this port"
        }
        if let first = codes.first { return "TLS error \(first)" }
        if case .uncleanShutdown = error as? NIOSSLError { return "the server closed the connection during the TLS handshake" }
        return "TLS error"
    }

    /// The upper-case reason codes in a BoringSSL error text (`…:TLSV1_ALERT_CERTIFICATE_REQUIRED at /path…`).
    static func tlsErrorCodes(_ text: String) -> [String] {
        var codes: [String] = []
        var current = ""
        for character in text + " " {
            if character.isASCII && (character.isUppercase || character.isNumber || character == "_") {
                current.append(character)
            } else {
                if current.count >= 8 && current.contains("_") { codes.append(current) }
                current = ""
            }
        }
        return codes
    }
}
