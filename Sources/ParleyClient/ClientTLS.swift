import NIOCore
import NIOSSL

/// How a client speaks TLS to the server: the certificate authorities it trusts, and the
/// full verification of the server's certificate against them and against the host it
/// dialled (a DNS name, or the IP address for an address).
public struct ClientTLS: Sendable, Equatable {
    /// PEM file of the CA (or CAs) that signed the server's certificate; nil: the
    /// system's trust roots.
    public var caFile: String?

    public init(caFile: String? = nil) {
        self.caFile = caFile
    }

    /// What the handshake trusted, for error messages.
    var trustDescription: String {
        caFile.map { "the CA in \($0)" } ?? "the system's trust roots"
    }

    func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile {
            let roots: [NIOSSLCertificate]
            do {
                roots = try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw ClientError.tls("the CA file \(caFile) is not a readable PEM certificate: \(error)")
            }
            guard !roots.isEmpty else { throw ClientError.tls("the CA file \(caFile) holds no PEM certificate") }
            configuration.trustRoots = .certificates(roots)
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ClientError.tls("cannot set up TLS with \(trustDescription): \(error)")
        }
    }

    /// The TLS handler for one connection. SNI carries a host name only; an IP address is
    /// checked against the certificate's IP entries instead.
    static func handler(context: NIOSSLContext, host: String) throws -> NIOSSLClientHandler {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
    }

    /// A failed handshake as a sentence that says what to change.
    func failure(_ error: Error, host: String, port: Int) -> ClientError {
        let detail = "\(error)"
        let reason: String
        if detail.contains("CERTIFICATE_VERIFY_FAILED") {
            reason = "the server's certificate is not signed by \(trustDescription); pass the CA that signed it (--ca, PARLEY_CA)"
        } else if error is NIOSSLExtraError, detail.contains("hostname") || detail.contains("Hostname") {
            reason = "the server's certificate does not name \(host); connect with a name or address it lists"
        } else if detail.contains("WRONG_VERSION_NUMBER") || detail.contains("PACKET_LENGTH_TOO_LONG")
                    || detail.contains("HTTP_REQUEST") || detail.contains("BAD_PACKET") {
            reason = "the server did not answer in TLS; is it started with --tls-cert and --tls-key, or should this client connect without TLS?"
        } else if case NIOSSLError.uncleanShutdown = error {
            reason = "the server did not answer in TLS: it closed the connection during the handshake; is it started with --tls-cert and --tls-key?"
        } else {
            reason = "the TLS handshake failed"
        }
        return .tls("\(host):\(port): \(reason) (\(detail))")
    }

    /// Whether `error` came from the TLS layer rather than the connection or the protocol.
    static func isTLSError(_ error: Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }
}
