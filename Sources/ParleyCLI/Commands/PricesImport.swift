import ArgumentParser
import Foundation
import ParleyClient
import ParleyCore
import ParleyWire

/// `parley prices import FILE`: LiteLLM's model_prices_and_context_window.json into
/// dated prices, converted exactly (`LiteLLMCatalog`), each marked with its source, and
/// every entry left out listed with its reason.
struct PricesImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import LiteLLM's price catalog (model_prices_and_context_window.json) as dated prices.",
        discussion: """
        Each entry with per-token costs becomes the price of that exact model name from
        --effective-from on (default: now, so earlier turns keep the prices they had).
        Costs are converted from the JSON text to nano-dollars exactly. A missing cache
        cost is priced as input. Entries priced per image or second, bad numbers and
        repeated names are skipped and listed.
        Examples:
          parley prices import model_prices_and_context_window.json
          parley prices import catalog.json --effective-from 2026-01-01 --dry-run
        """)
    /// Prices sent at once: the server commits concurrent writes together.
    static let concurrentWrites = 64

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The catalog file.")
    var file: String
    @Option(help: ArgumentHelp("From when the prices apply (default: now). A date or time, UTC unless it says otherwise.",
                               valueName: "time"))
    var effectiveFrom: String?
    @Flag(help: "Read and check the catalog and report, but store nothing.")
    var dryRun = false
    @Flag(help: "Also list the entries skipped for having no per-token costs.")
    var listSkipped = false

    func catalog(effectiveFrom: Millis) throws -> CatalogImport {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIError.usage("cannot read \(file)")
        }
        do {
            return try LiteLLMCatalog.read([UInt8](data), effectiveFrom: effectiveFrom)
        } catch {
            throw CLIError.local("\(file): \(error)")
        }
    }

    func run() async throws {
        let from = try effectiveFrom.map { try PricesCommand.effective($0) } ?? Int64(Date().timeIntervalSince1970 * 1000)
        let read = try catalog(effectiveFrom: from)
        let source = "litellm catalog \((file as NSString).lastPathComponent)"
        let prices = read.prices.map { imported -> V1.Price in
            var price = imported.price
            price.source = source
            return price.wire
        }
        if !dryRun {
            try await CLIRun.withClient(connection) { client in
                for start in stride(from: 0, to: prices.count, by: Self.concurrentWrites) {
                    let chunk = prices[start..<min(start + Self.concurrentWrites, prices.count)]
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for price in chunk {
                            group.addTask { _ = try await client.setPrice(price) }
                        }
                        try await group.waitForAll()
                    }
                }
            }
        }
        let terminal = Terminal.current
        terminal.line("\(dryRun ? "would import" : "imported") \(Format.integer(Int64(prices.count))) prices from \(file), effective from "
                      + TimeDisplay.minute(from, zone: TimeZone(identifier: "UTC") ?? .current) + " UTC")
        let noted = read.prices.filter { !$0.notes.isEmpty }
        if !noted.isEmpty {
            terminal.line("\(noted.count) read with a note:")
            for entry in noted.sorted(by: { $0.price.modelPattern < $1.price.modelPattern }) {
                terminal.line("  \(entry.price.modelPattern): \(entry.notes.joined(separator: "; "))")
            }
        }
        // Entries without per-token costs are most of a real catalog and no error: counted,
        // listed only on request; every other skip is listed with its reason.
        let untokenised = read.skipped.filter { $0.reason == .noTokenPrices || $0.reason == .documentationEntry }
        let listed = listSkipped ? read.skipped : read.skipped.filter { $0.reason != .noTokenPrices && $0.reason != .documentationEntry }
        if !read.skipped.isEmpty {
            terminal.line("skipped \(Format.integer(Int64(read.skipped.count))) entries"
                          + (untokenised.isEmpty || listSkipped ? ":" : " (\(untokenised.count) without per-token costs; --list-skipped lists them)\(listed.isEmpty ? "" : ":")"))
            for entry in listed.sorted(by: { $0.model < $1.model }) {
                terminal.line("  \(entry)")
            }
        }
    }
}
