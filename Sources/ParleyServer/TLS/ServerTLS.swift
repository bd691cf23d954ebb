import NIOSSL

/// The certificate and private key parleyd serves TLS with, both PEM files. They are read
/// once, when the server starts: a renewed certificate takes effect at the next restart.
public struct ServerTLS: Sendable, Equatable {
    /// The server's certificate, followed by any intermediates, in PEM.
    public var certificatePath: String
    /// The private key of that certificate, in PEM. Only its path is ever logged.
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    /// Loads both files into a context for the listener. Each failure names the file to
    /// fix; BoringSSL's detail follows, never the key's bytes.
    func makeContext() throws -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw ServerError.configuration("--tls-cert \(certificatePath): not a readable PEM certificate (\(error))")
        }
        guard !chain.isEmpty else {
            throw ServerError.configuration("--tls-cert \(certificatePath): the file holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw ServerError.configuration("--tls-key \(keyPath): not a readable, unencrypted PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ServerError.configuration(
                "--tls-cert \(certificatePath) and --tls-key \(keyPath) do not make a TLS identity (is the key that certificate's?): \(error)")
        }
    }
}
