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
        var wire: V1.Granularity {
            switch self {
            case .none: return .granularityNone
            case .hour: return .hour
            case .day: return .day
            case .week: return .week
            case .month: return .month
            case .hourOfDay: return .hourOfDay
            }
        }
    }

    enum Measure: String, ExpressibleByArgument, CaseIterable {
        case count, inputTokens = "input-tokens", outputTokens = "output-tokens", totalTokens = "total-tokens",
             cost, lastActivity = "last-activity", avgResponseTime = "avg-response-time"
        var wire: V1.Measure {
            switch self {
            case .count: return .measureCount
            case .inputTokens: return .inputTokens
            case .outputTokens: return .outputTokens
            case .totalTokens: return .totalTokens
            case .cost: return .cost
            case .lastActivity: return .lastActivity
            case .avgResponseTime: return .avgResponseTime
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

    func request() throws -> V1.UsageRequest {
        V1.UsageRequest(organizationID: try scope.organization(), window: try scope.windowMessage(), timeZone: scope.tz,
                        granularity: granularity.wire, groupBy: try dimensions().map(\.wire), filters: filters.messages(),
                        orderBy: orderBy.wire, ascending: ascending ? true : nil, top: top > 0 ? top : nil)
    }

    func run() async throws {
        let request = try request()
        let view = UsageView.view(groupBy: try dimensions().map(\.rawValue), bucketed: granularity != .none)
        let context = RenderContext.terminal(zone: try scope.zone())
        try await CLIRun.withClient(connection) { client in
            let answer = try await client.usage(request)
            Terminal.current.write(view.render(answer, format: output.format, context: context))
        }
    }
}
