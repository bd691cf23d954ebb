import ArgumentParser
import Foundation
import ParleyClient
import ParleyWire

/// `parley prices list|set|delete`: the price table that turns tokens into money.
struct PricesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prices",
        abstract: "List, set and delete model prices (USD per 1M tokens, with effective dates).",
        discussion: """
        Changing a price re-prices history from its effective date. A pattern ending in '*'
        prices every model that starts with it.
        Examples:
          parley prices list
          parley prices set gpt-4o --input 2.50 --output 10 --effective-from 2026-01-01
          parley prices set 'claude-3-5-haiku*' --input 0.25 --output 1.25
          parley prices delete gpt-4o --effective-from 2026-01-01
          parley prices import model_prices_and_context_window.json --effective-from 2026-01-01
        """,
        subcommands: [ListPrices.self, SetPrice.self, DeletePrice.self, PricesImport.self])

    struct ListPrices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Show every price entry.", discussion: "Example: parley prices list --format json")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLIRun.withClient(connection) { client in
                let list = try await client.listPrices(V1.Empty())
                Terminal.current.write(PricesCommand.view.render(list, format: output.format, context: .terminal()))
            }
        }
    }

    struct SetPrice: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set a model's price in USD per 1M tokens.",
            discussion: "Example: parley prices set gpt-4o --input 2.50 --output 10 --cached-read 1.25")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Model name, or a prefix ending in '*'.")
        var model: String
        @Option(help: ArgumentHelp("USD per 1M input tokens.", valueName: "usd"))
        var input: String
        @Option(help: ArgumentHelp("USD per 1M output tokens.", valueName: "usd"))
        var output: String
        @Option(help: ArgumentHelp("USD per 1M cached input tokens read.", valueName: "usd"))
        var cachedRead: String?
        @Option(help: ArgumentHelp("USD per 1M cached input tokens written.", valueName: "usd"))
        var cacheWrite: String?
        @Option(help: ArgumentHelp("From when the price applies (default: always). A date or time, UTC unless it says otherwise.",
                                   valueName: "time"))
        var effectiveFrom: String?
        @OptionGroup var format: OutputOptions

        func price() throws -> V1.Price {
            V1.Price(modelPattern: model,
                     inputNanosPerMtok: try PricesCommand.nanos(input, flag: "--input"),
                     outputNanosPerMtok: try PricesCommand.nanos(output, flag: "--output"),
                     cachedReadNanosPerMtok: try cachedRead.map { try PricesCommand.nanos($0, flag: "--cached-read") },
                     cacheWriteNanosPerMtok: try cacheWrite.map { try PricesCommand.nanos($0, flag: "--cache-write") },
                     effectiveFromMs: try PricesCommand.effective(effectiveFrom))
        }

        func run() async throws {
            let price = try price()
            try await CLIRun.withClient(connection) { client in
                let stored = try await client.setPrice(price)
                Terminal.current.write(format.format == .json
                    ? JSONRender.object(stored) + "\n"
                    : PricesCommand.view.render(V1.PriceList(prices: [stored]), format: format.format, context: .terminal()))
            }
        }
    }

    struct DeletePrice: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete one price entry (a model pattern and its effective date).",
            discussion: "Example: parley prices delete gpt-4o --effective-from 2026-01-01")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Model name or pattern, as listed.")
        var model: String
        @Option(help: ArgumentHelp("The entry's effective date (default: the entry that applies always).", valueName: "time"))
        var effectiveFrom: String?

        func run() async throws {
            let request = V1.DeletePriceRequest(modelPattern: model, effectiveFromMs: try PricesCommand.effective(effectiveFrom))
            try await CLIRun.withClient(connection) { client in
                _ = try await client.deletePrice(request)
                Terminal.current.line("deleted the price of \(model)" + (effectiveFrom.map { " effective from \($0)" } ?? ""))
            }
        }
    }

    static let view = AnswerView<V1.PriceList>(rows: \.prices) { list, _ in
        var t = Table(columns: ["model", "input", "output", "cached read", "cache write", "effective from", "source"], rightAligned: [1, 2, 3, 4])
        for p in list.prices {
            let from = p.effectiveFromMs ?? 0
            t.add([p.modelPattern ?? "", usd(p.inputNanosPerMtok), usd(p.outputNanosPerMtok),
                   usd(p.cachedReadNanosPerMtok), usd(p.cacheWriteNanosPerMtok),
                   from == 0 ? "always" : TimeDisplay.minute(from, zone: TimeZone(identifier: "UTC") ?? .current) + " UTC",
                   p.source.flatMap { $0.isEmpty ? nil : $0 } ?? "set by hand"])
        }
        return t.render() + "\n\nprices are USD per 1M tokens"
    }

    static func usd(_ nanos: Int64?) -> String {
        guard let nanos else { return "" }
        return "$" + DollarAmount.text(nanos: nanos)
    }

    static func nanos(_ text: String, flag: String) throws -> Int64 {
        do { return try DollarAmount.nanos(text) } catch { throw CLIError.usage("\(flag): \(error.description)") }
    }

    static func effective(_ text: String?) throws -> Int64 {
        guard let text else { return 0 }
        do {
            return try TimeExpression.absolute(text, timeZone: TimeZone(identifier: "UTC") ?? .current)
        } catch {
            throw CLIError.usage("--effective-from: \(error.description)")
        }
    }
}
