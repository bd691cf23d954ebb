import ArgumentParser
import Foundation

/// The whole of a command-line program except `exit`: parse, run with output going to
/// `terminal`, and answer the exit code. Help, usage errors and failures are written to
/// the terminal, never thrown, so tests take exactly the executable's path.
enum CommandRunner {
    static func run<Root: ParsableCommand>(_ root: Root.Type, arguments: [String], terminal: Terminal) async -> Int32 {
        await Terminal.$current.withValue(terminal) {
            do {
                var command = try Root.parseAsRoot(arguments)
                if var asyncCommand = command as? AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
                return 0
            } catch let error as CLIError {
                terminal.note(error.description)
                return error.exitCode
            } catch {
                let code = Root.exitCode(for: error).rawValue
                let message = Root.fullMessage(for: error)
                if !message.isEmpty {
                    if code == 0 { terminal.line(message) } else { terminal.note(message) }
                }
                return code
            }
        }
    }
}
