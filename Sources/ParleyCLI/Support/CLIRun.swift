import ArgumentParser
import Foundation
import ParleyClient
import ParleyWire

enum CLIRun {
    /// Runs `body` with a connected client and turns every failure into one line on
    /// standard error and a distinct exit code.
    static func withClient(_ options: ConnectionOptions, _ body: (ParleyClient) async throws -> Void) async throws {
        let client: ParleyClient
        do {
            client = ParleyClient(configuration: try options.resolve())
        } catch {
            throw fail(CLIError(error))
        }
        do {
            try await body(client)
            await client.close()
        } catch let exit as ExitCode {
            await client.close()
            throw exit
        } catch {
            await client.close()
            throw fail(CLIError(error))
        }
    }

    static func fail(_ error: CLIError) -> ExitCode {
        Terminal.current.note(error.description)
        return ExitCode(error.exitCode)
    }
}
