import ArgumentParser
import Foundation
import ParleyClient
import ParleyWire

enum CLIRun {
    /// Runs `body` with a connected client and turns every failure into one line on
    /// standard error and a distinct exit code. Answers what `body` answers.
    @discardableResult
    static func withClient<Result>(_ options: ConnectionOptions, _ body: (ParleyClient) async throws -> Result) async throws -> Result {
        let client: ParleyClient
        do {
            client = ParleyClient(configuration: try options.resolve())
        } catch {
            throw fail(CLIError(error))
        }
        do {
            let result = try await body(client)
            await client.close()
            return result
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
