import Foundation
import ParleyTokenizer

/// `Tools/bench tokens`: counting tokens of chat text, Parley's tokenizer against Python
/// tiktoken (the peer's figures come from Benchmarks/Scripts/tokens-bench.py on the same text).
///   parley-tokens-bench --vocab PATH --text FILE --peer JSON --json OUT
@main
struct TokensBench {
    struct PeerFigures: Decodable {
        var bytes: Int
        var tokens: Int
        var seconds: Double
        var document_tokens: Int
        var document_seconds: Double
    }

    static func main() {
        do {
            try run(arguments: Array(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("parley-tokens-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static func run(arguments: [String]) throws {
        var options: [String: String] = [:]
        var index = 0
        while index + 1 < arguments.count, arguments[index].hasPrefix("--") {
            options[String(arguments[index].dropFirst(2))] = arguments[index + 1]
            index += 2
        }
        guard index == arguments.count, let vocab = options["vocab"], let textPath = options["text"],
              let peerJSON = options["peer"], let jsonPath = options["json"] else {
            throw UsageError(description: "usage: parley-tokens-bench --vocab PATH --text FILE --peer JSON --json OUT")
        }
        let peer = try JSONDecoder().decode(PeerFigures.self, from: Data(peerJSON.utf8))
        guard let data = FileManager.default.contents(atPath: textPath) else {
            throw UsageError(description: "cannot read \(textPath)")
        }
        let messages = data.split(separator: 0x1E, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let bytes = messages.reduce(0) { $0 + $1.utf8.count }
        let tokenizer = try Tokenizer(contentsOf: vocab)

        var encoder = TokenEncoder(tokenizer)
        var tokens = 0
        var best = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            tokens = 0
            for message in messages { tokens += encoder.count(message) }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        guard tokens == peer.tokens, bytes == peer.bytes else {
            throw UsageError(description: "counted \(tokens) tokens of \(bytes) bytes; tiktoken counted \(peer.tokens) of \(peer.bytes)")
        }

        // The same messages as one document, as the peer also counted them.
        let document = messages.joined(separator: "\n")
        var documentTokens = 0
        var bestDocument = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            documentTokens = encoder.count(document)
            bestDocument = min(bestDocument, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        guard documentTokens == peer.document_tokens else {
            throw UsageError(description: "counted \(documentTokens) tokens in the document; tiktoken counted \(peer.document_tokens)")
        }
        let documentBytes = Double(document.utf8.count)
        let report = [
            Result(name: "count_chat_text", unit: "MB/s", parley: Double(bytes) / best / 1e6,
                   peer: "tiktoken (python)", peerValue: Double(peer.bytes) / peer.seconds / 1e6),
            Result(name: "count_one_document", unit: "MB/s", parley: documentBytes / bestDocument / 1e6,
                   peer: "tiktoken (python)", peerValue: documentBytes / peer.document_seconds / 1e6),
        ]
        let rows = [["benchmark", "unit", "parley", "peer", "peer value", "ratio"]] + report.map {
            [$0.name, $0.unit, String(format: "%.2f", $0.parley), $0.peer, String(format: "%.2f", $0.peerValue), String(format: "%.2fx", $0.ratio)]
        }
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        print("(\(messages.count) messages, \(bytes) bytes, \(tokens) tokens; the document \(documentTokens) tokens; counts equal to tiktoken's)")
        try write(report, to: jsonPath)
    }

    struct Result {
        var name: String
        var unit: String
        var parley: Double
        var peer: String
        var peerValue: Double
        var ratio: Double { parley / peerValue }
    }

    /// The same JSON as the other suites' .bench/SUITE.json, keys in the documented order.
    static func write(_ results: [Result], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        func number(_ v: Double) -> String { v.isFinite ? String(v) : "null" }
        let lines = results.map {
            "    {\"name\": \"\($0.name)\", \"unit\": \"\($0.unit)\", \"parley\": \(number($0.parley)), "
                + "\"peer\": \"\($0.peer)\", \"peer_value\": \(number($0.peerValue)), \"ratio\": \(number($0.ratio))}"
        }
        let text = "{\"suite\": \"tokens\", \"results\": [\n" + lines.joined(separator: ",\n") + "\n]}\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
}
