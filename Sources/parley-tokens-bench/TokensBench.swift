import Foundation
import ParleyTokenizer

/// `Tools/bench tokens`: counting tokens of chat text, Parley's tokenizer against Python
/// tiktoken (the peer's figures come from Tools/tokens-bench.py on the same text).
///   parley-tokens-bench --vocab PATH --text FILE --peer JSON --json OUT
@main
struct TokensBench {
    struct PeerFigures: Decodable {
        var bytes: Int
        var tokens: Int
        var seconds: Double
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
        let parleyRate = Double(bytes) / best / 1e6
        let peerRate = Double(peer.bytes) / peer.seconds / 1e6
        let report = [
            Result(name: "count_chat_text", unit: "MB/s", parley: parleyRate, peer: "tiktoken (python)", peerValue: peerRate),
        ]
        print("benchmark        unit  parley  peer               peer value  ratio")
        for r in report {
            print("\(r.name)  \(r.unit)  \(String(format: "%.2f", r.parley))  \(r.peer)  \(String(format: "%.2f", r.peerValue))  \(String(format: "%.2fx", r.ratio))")
        }
        print("(\(messages.count) messages, \(bytes) bytes, \(tokens) tokens, equal counts)")
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
