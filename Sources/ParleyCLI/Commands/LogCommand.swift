import ArgumentParser
import Foundation
import ParleyClient
import ParleyWire

/// `parley log turn|message|lead|feedback`: record one event by hand, a flag per field.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Record one event by hand: a turn, a message, a lead or feedback.",
        discussion: """
        Times take the same forms as --since (2026-11-02T14:05:09Z, 2026-11-02 14:05, epoch ms); absent: now.
        Examples:
          parley log turn --org acme --session s-1 --model gpt-4o --user-message "Hi" --ai-response "Hello!" --input-tokens 12 --output-tokens 30
          parley log message --org acme --id m-1 --contact c-1 --direction inbound --content "Hi"
          parley log lead --org acme --session s-1 --name "Ada" --email ada@example.com
          parley log feedback --org acme --session s-1 --score 5
        """,
        subcommands: [LogTurn.self, LogMessage.self, LogLead.self, LogFeedback.self])

    /// A time flag's value in ms, or nil when the flag was not given.
    static func time(_ text: String?, flag: String) throws -> Int64? {
        guard let text else { return nil }
        do {
            return try TimeExpression.absolute(text, timeZone: TimeZone(identifier: "UTC") ?? .current)
        } catch {
            throw CLIError.usage("\(flag): \(error.description)")
        }
    }

    static func organization(_ org: String?) throws -> String {
        var scope = ScopeOptions()
        scope.org = org
        return try scope.organization()
    }

    struct LogTurn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "turn",
            abstract: "Record one AI reply. Without --turn-id a new id is made and printed.",
            discussion: "Example: parley log turn --org acme --session s-1 --device d-1 --contact c-1 --model gpt-4o --input-tokens 120 --output-tokens 80")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Organization id.") var org: String?
        @Option(help: "Turn id: the idempotency key; sending it again is safe.") var turnId: String?
        @Option(help: "Session id.") var session: String
        @Option(help: "WhatsApp device id.") var device: String?
        @Option(help: "Id of the inbound message this turn answers.") var messageId: String?
        @Option(help: "Contact id.") var contact: String?
        @Option(help: "Persona id.") var persona: String?
        @Option(help: "Widget id.") var widget: String?
        @Option(help: "Widget owner's user id.") var user: String?
        @Option(help: "Model name (default: the persona's model).") var model: String?
        @Option(help: "What the user wrote.") var userMessage: String?
        @Option(help: "What the AI answered.") var aiResponse: String?
        @Option(help: "Input tokens (leave all token flags out to let the server estimate).") var inputTokens: Int64?
        @Option(help: "Output tokens.") var outputTokens: Int64?
        @Option(help: "Cached input tokens read.") var cachedReadTokens: Int64?
        @Option(help: "Cached input tokens written.") var cacheWriteTokens: Int64?
        @Option(help: "tokens_used (default: input + output).") var totalTokens: Int64?
        @Option(help: ArgumentHelp("When the user's message arrived.", valueName: "time")) var askedAt: String?
        @Option(help: ArgumentHelp("When the reply was sent (default: now).", valueName: "time")) var repliedAt: String?
        @Option(help: "Response time in ms (default: replied-at minus asked-at).") var responseTimeMs: Int64?
        @Option(help: "Language code.") var language: String?
        @Option(help: "Sentiment, -1 to 1.") var sentiment: Double?
        @Option(help: "Retries before this reply.") var errorCount: Int32?
        @Option(help: "Feedback score, 1 to 5.") var feedbackScore: Int32?
        @OptionGroup var output: OutputOptions

        func turn() throws -> V1.Turn {
            var t = V1.Turn(
                turnID: turnId ?? "cli-" + UUID().uuidString.lowercased(), organizationID: try LogCommand.organization(org),
                sessionID: session, deviceID: device, messageID: messageId, contactID: contact, personaID: persona,
                widgetID: widget, userID: user, model: model, userMessage: userMessage, aiResponse: aiResponse,
                userMessageAtMs: try LogCommand.time(askedAt, flag: "--asked-at"),
                repliedAtMs: try LogCommand.time(repliedAt, flag: "--replied-at"), responseTimeMs: responseTimeMs,
                language: language, sentimentScore: sentiment, errorCount: errorCount, feedbackScore: feedbackScore)
            if [inputTokens, outputTokens, cachedReadTokens, cacheWriteTokens, totalTokens].contains(where: { $0 != nil }) {
                t.tokens = V1.TokenCounts(input: inputTokens ?? 0, output: outputTokens ?? 0, cachedRead: cachedReadTokens,
                                          cacheWrite: cacheWriteTokens, total: totalTokens)
            }
            return t
        }

        func run() async throws {
            let request = try turn()
            try await CLIRun.withClient(connection) { client in
                let answer = try await client.logTurn(request)
                let stored = answer.turn ?? request
                Terminal.current.write(try AdminCommand.single(answer, format: output.format) {
                    [("turn", stored.turnID ?? ""), ("outcome", answer.outcome == .duplicate ? "duplicate (already stored)" : "stored"),
                     ("model", stored.model ?? ""),
                     ("tokens", Format.integer(stored.tokens?.total ?? 0) + (stored.tokensEstimated == true ? " (estimated)" : "")),
                     ("session turns", Format.integer(answer.session?.turnCount ?? 0)),
                     ("session tokens", Format.integer(answer.session?.totalTokens ?? 0))]
                })
            }
        }
    }

    enum DirectionName: String, ExpressibleByArgument, CaseIterable {
        case inbound, outbound
        var wire: V1.Direction { self == .inbound ? .inbound : .outbound }
    }

    struct LogMessage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "message",
            abstract: "Record one raw channel message (inbound from a contact, or outbound).",
            discussion: "Example: parley log message --org acme --id m-1 --contact c-1 --device d-1 --direction inbound --content \"Hi\"")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Organization id.") var org: String?
        @Option(help: "Message id.") var id: String
        @Option(help: "Contact id.") var contact: String?
        @Option(help: "Device id.") var device: String?
        @Option(help: "Session id.") var session: String?
        @Option(help: "inbound or outbound.") var direction: DirectionName
        @Option(help: "The text.") var content: String?
        @Option(help: ArgumentHelp("When it was sent (default: now).", valueName: "time")) var at: String?

        func run() async throws {
            let m = V1.Message(messageID: id, organizationID: try LogCommand.organization(org), contactID: contact,
                               deviceID: device, sessionID: session, direction: direction.wire, content: content,
                               createdAtMs: try LogCommand.time(at, flag: "--at"))
            try await CLIRun.withClient(connection) { client in
                let answer = try await client.logMessage(m)
                Terminal.current.line("message \(id): " + (answer.outcome == .duplicate ? "duplicate (already stored)" : "stored"))
            }
        }
    }

    struct LogLead: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lead",
            abstract: "Record a lead captured in a session.",
            discussion: "Example: parley log lead --org acme --session s-1 --name Ada --email ada@example.com --company Acme")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Organization id.") var org: String?
        @Option(help: "Session id.") var session: String
        @Option(help: "Lead's name.") var name: String?
        @Option(help: "Lead's email.") var email: String?
        @Option(help: "Lead's company.") var company: String?
        @Option(help: ArgumentHelp("When it was captured (default: now).", valueName: "time")) var at: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let lead = V1.Lead(organizationID: try LogCommand.organization(org), sessionID: session, name: name,
                               email: email, company: company, capturedAtMs: try LogCommand.time(at, flag: "--at"))
            try await CLIRun.withClient(connection) { client in
                let metrics = try await client.captureLead(lead)
                Terminal.current.write(SessionViews.session.render(metrics, format: output.format,
                                                                   context: .terminal()))
            }
        }
    }

    struct LogFeedback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "feedback",
            abstract: "Record a satisfaction score (1 to 5) for a session or one of its turns.",
            discussion: "Example: parley log feedback --org acme --session s-1 --score 4")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Organization id.") var org: String?
        @Option(help: "Session id.") var session: String
        @Option(help: "Turn id (default: the feedback is for the whole session).") var turn: String?
        @Option(help: "Score, 1 to 5.") var score: Int32
        @Option(help: ArgumentHelp("When it was given (default: now).", valueName: "time")) var at: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let feedback = V1.Feedback(organizationID: try LogCommand.organization(org), sessionID: session, turnID: turn,
                                       score: score, givenAtMs: try LogCommand.time(at, flag: "--at"))
            try await CLIRun.withClient(connection) { client in
                let metrics = try await client.recordFeedback(feedback)
                Terminal.current.write(SessionViews.session.render(metrics, format: output.format,
                                                                   context: .terminal()))
            }
        }
    }
}
