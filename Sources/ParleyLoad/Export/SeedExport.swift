import Foundation

/// Generated rows in the layout of the seed's MySQL tables exported as CSV (a header line,
/// `\N` for NULL, DATETIME in UTC), as `parley import` reads them: for the import tests
/// and `Tools/bench import`. Row `i` of every table is a pure function of `i`, so a test
/// can check any row it wrote. Turn `i` is the one turn of session `s-<i>`, and lead and
/// conversation-metrics row `i` name that session, so every one of them finds its
/// session once the same number of turns is imported.
public enum SeedExport {
    public enum Table: String, CaseIterable, Sendable {
        case aiConversations = "ai_conversations"
        case messages
        case whatsappConnections = "whatsapp_connections"
        case contacts
        case personas
        case leads
        case conversationMetrics = "conversation_metrics"

        public var header: String {
            switch self {
            case .aiConversations:
                return "id,organization_id,session_id,device_id,message_id,contact_id,persona_id,model,user_message,ai_response,input_tokens,output_tokens,tokens_used,created_at"
            case .messages: return "id,organization_id,contact_id,device_id,session_id,direction,content,created_at"
            case .whatsappConnections: return "id,organization_id,device_name,phone_number"
            case .contacts: return "id,organization_id,name,phone_number"
            case .personas: return "id,organization_id,name,model"
            case .leads: return "session_id,organization_id,name,email,company,created_at"
            case .conversationMetrics: return "session_id,organization_id,total_messages,has_lead,lead_name,lead_email,lead_company,user_satisfaction"
            }
        }
    }

    /// 2026-11-01 00:00:00 UTC: the first generated row's time.
    public static let startMs: Int64 = 1_793_491_200_000
    private static let models = ["gpt-4o", "gpt-4o-mini", "claude-3-5-haiku", "gemini-1.5-flash"]

    /// The time of row `i`: one row every 3 s.
    public static func timeMs(_ i: Int) -> Int64 { startMs + Int64(i) * 3_000 }

    public static func session(_ i: Int) -> String { "s-\(i)" }

    /// Row `i` of `table` without its line break; its id (or session) is unique per `i`
    /// where the table has one.
    public static func row(_ table: Table, _ i: Int, organization: String) -> String {
        let time = datetime(timeMs(i))
        switch table {
        case .aiConversations:
            let input = 20 + i % 400, output = 10 + i % 300
            // Every seventh row quotes a comma, a doubled quote and a line break.
            let question = i % 7 == 0 ? "\"Hi, is the \"\"premium\"\" plan\nstill \(i)?\"" : "What are your opening hours on day \(i % 31)?"
            return "t-\(i),\(organization),\(session(i)),d-\(i % 50),m-\(i),c-\(i % 5_000),p-\(i % 20),\(models[i % models.count]),"
                + "\(question),We are open from 9am to 6pm; the premium plan costs $49 a month (ref \(i)).,\(input),\(output),\(input + output),\(time)"
        case .messages:
            return "m-\(i),\(organization),c-\(i % 5_000),d-\(i % 50),\(session(i)),\(i % 2 == 0 ? "inbound" : "outbound"),"
                + (i % 7 == 0 ? "\"Hello, \"\"there\"\" \(i)\"" : "Hello there - message number \(i)") + ",\(time)"
        case .whatsappConnections: return "d-\(i),\(organization),Line \(i),+1555\(String(format: "%07d", i % 10_000_000))"
        case .contacts: return "c-\(i),\(organization),Contact \(i),+1666\(String(format: "%07d", i % 10_000_000))"
        case .personas: return "p-\(i),\(organization),Persona \(i),\(models[i % models.count])"
        case .leads: return "s-\(i),\(organization),Lead \(i),lead\(i)@example.com,Company \(i % 900),\(time)"
        case .conversationMetrics:
            return "s-\(i),\(organization),2,\(i % 3 == 0 ? 1 : 0),Lead \(i),lead\(i)@example.com,\\N,\(1 + i % 5).0"
        }
    }

    /// Writes the header and rows `0..<rows` to `path`, then `extraLines` as they are
    /// (a test's bad rows); returns the 1-based line each extra line lands on.
    @discardableResult
    public static func write(_ table: Table, rows: Int, organization: String, to path: String, extraLines: [String] = []) throws -> [Int] {
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? out.close() }
        var text = table.header + "\n"
        var line = 1
        for i in 0..<rows {
            let row = row(table, i, organization: organization)
            text += row
            text += "\n"
            line += 1 + row.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            if text.utf8.count >= 1 << 20 {
                try out.write(contentsOf: Data(text.utf8))
                text = ""
            }
        }
        var extra: [Int] = []
        for l in extraLines {
            extra.append(line + 1)
            text += l + "\n"
            line += 1 + l.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        try out.write(contentsOf: Data(text.utf8))
        return extra
    }

    /// MySQL DATETIME in UTC: "2026-11-03 10:00:00".
    public static func datetime(_ ms: Int64) -> String {
        let seconds = ms / 1_000
        let days = seconds / 86_400, rest = seconds % 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, rest / 3_600, rest % 3_600 / 60, rest % 60)
    }
}
