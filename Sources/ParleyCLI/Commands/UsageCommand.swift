import ArgumentParser
import ParleyWire

/// `parley usage`: the general question, grouped and bucketed as asked.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Ask the general usage question: group by any dimensions, bucket by time, order and cut.",
        discussion: """
        Examples:
          parley usage --group-by model --granularity day --since 7d
          parley usage --group-by device,model --order-by cost --top 10
          parley usage --granularity hour-of-day --tz Asia/Tokyo --persona p-sales
        """)

    enum Granularity: String, ExpressibleByArgument, CaseIterable {
        case none, hour, day, week, month, hourOfDay = "hour-of-day"
        var protoValue: Int32 {
            switch self {
            case .none: return 0
            case .hour: return 1
            case .day: return 2
            case .week: return 3
            case .month: return 4
            case .hourOfDay: return 5
            }
        }
    }

    enum Measure: String, ExpressibleByArgument, CaseIterable {
        case count, inputTokens = "input-tokens", outputTokens = "output-tokens", totalTokens = "total-tokens",
             cost, lastActivity = "last-activity", avgResponseTime = "avg-response-time"
        var protoValue: Int32 {
            switch self {
            case .count: return 0
            case .inputTokens: return 1
            case .outputTokens: return 2
            case .totalTokens: return 3
            case .cost: return 4
            case .lastActivity: return 5
            case .avgResponseTime: return 6
            }
        }
    }

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var scope: ScopeOptions
    @OptionGroup var filters: FilterOptions

    @Option(help: ArgumentHelp("Dimensions to group by, comma separated: \(DimensionName.allCases.map(\.rawValue).joined(separator: ", ")).",
                               valueName: "dims"))
    var groupBy: String = ""

    @Option(help: "Time buckets: none, hour, day, week, month, hour-of-day.")
    var granularity: Granularity = .none

    @Option(help: "Order rows by: count, input-tokens, output-tokens, total-tokens, cost, last-activity, avg-response-time.")
    var orderBy: Measure = .count

    @Flag(help: "Smallest first (default: largest first).")
    var ascending = false

    @Option(help: "At most this many groups (0: all).")
    var top: UInt32 = 0

    @OptionGroup var output: OutputOptions

    func dimensions() throws -> [DimensionName] {
        try groupBy.split(separator: ",").map { raw in
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard let d = DimensionName(rawValue: name) else {
                throw CLIError.usage("--group-by: \"\(name)\" is not a dimension; use \(DimensionName.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return d
        }
    }

    func request() throws -> ProtoMessage {
        var r = ProtoMessage(Method.usage.requestType)
        r.set("organization_id", try scope.organization())
        r.set("window", try scope.windowMessage())
        r.set("time_zone", scope.tz)
        r.set("granularity", granularity.protoValue)
        let dims = try dimensions()
        r["group_by"] = dims.isEmpty ? nil : .list(dims.map { .int(Int64($0.protoValue)) })
        r.set("filters", messages: try filters.messages())
        r.set("order_by", orderBy.protoValue)
        if ascending { r.set("ascending", true) }
        if top > 0 { r.set("top", top) }
        return r
    }

    func run() async throws {
        let request = try request()
        let view = UsageView.view(groupBy: try dimensions().map(\.rawValue), bucketed: granularity != .none)
        let context = RenderContext.terminal(zone: try scope.zone())
        try await CLIRun.withClient(connection) { client in
            let answer = try await client.dynamicCall(.usage, request)
            Terminal.current.write(view.render(answer, format: output.format, context: context))
        }
    }
}
