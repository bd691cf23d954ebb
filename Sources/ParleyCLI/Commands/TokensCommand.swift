import ArgumentParser
import Foundation
import ParleyClient
import ParleyWire

/// `parley tokens count`: what the server counts for a text, exactly as it would for a
/// turn logged without counts (cl100k_base when its vocabulary is installed).
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Count tokens the way the server counts turns logged without counts.",
        subcommands: [Count.self])

    struct Count: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "count",
            abstract: "Count the tokens of each text (cl100k_base, or an estimate when the server has no vocabulary).",
            discussion: """
            Examples:
              parley tokens count "Hello, world"
              parley tokens count --file prompt.txt
              echo "some text" | parley tokens count
            """)
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Texts to count; none: read standard input (or --file) as one text.")
        var texts: [String] = []
        @Option(help: ArgumentHelp("Count this file's contents as one text.", valueName: "path"))
        var file: String?

        func inputs() throws -> [String] {
            if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIError.usage("--file: cannot read \(file)")
                }
                return texts + [String(decoding: data, as: UTF8.self)]
            }
            if !texts.isEmpty { return texts }
            return [String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)]
        }

        func run() async throws {
            let texts = try inputs()
            try await CLIRun.withClient(connection) { client in
                let answer = try await client.countTokens(V1.CountTokensRequest(texts: texts))
                let method = TokensCommand.methodName(answer.method)
                let total = answer.counts.reduce(0, +)
                switch output.format {
                case .json:
                    let object: [String: Any] = ["counts": answer.counts, "total": total, "method": method,
                                                 "encoding": answer.encoding ?? ""]
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                    Terminal.current.line(String(decoding: data, as: UTF8.self))
                case .csv, .table:
                    var t = Table(columns: ["text", "tokens"], rightAligned: [1])
                    for (text, count) in zip(texts, answer.counts) {
                        t.add([TokensCommand.preview(text), Format.integer(count)])
                    }
                    if output.format == .csv {
                        Terminal.current.write(t.csv())
                    } else {
                        Terminal.current.line(t.render())
                        Terminal.current.line()
                        Terminal.current.line("\(Format.integer(total)) tokens, \(method) (\(answer.encoding ?? ""))")
                    }
                }
            }
        }
    }

    /// "counted", "estimated" or "given", as ServerInfo and stored turns say it.
    static func methodName(_ method: V1.TokenCountMethod?) -> String {
        switch method {
        case .given: return "given"
        case .counted: return "counted"
        case .estimated: return "estimated (no vocabulary on the server)"
        case .tokenCountMethodUnspecified, nil: return "unknown"
        }
    }

    /// The text's first line, shortened for a table cell.
    static func preview(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 40 ? String(line.prefix(39)) + "…" : line
    }
}
