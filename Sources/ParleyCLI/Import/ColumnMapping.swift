/// How a file's columns become Parley fields: the user's --map first, then the seed's
/// known names, then the column's own name when it already is a field.
struct ColumnMapping {
    let table: SourceTable
    private let user: [String: String]

    /// Parses "source=target,source=target"; a target of "-" drops the column.
    init(table: SourceTable, spec: [String]) throws {
        self.table = table
        var user: [String: String] = [:]
        for pair in spec.flatMap({ $0.split(separator: ",") }) {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw CLIError.usage("--map: \"\(pair)\" is not source=target")
            }
            guard parts[1] == "-" || table.fields.contains(parts[1]) else {
                throw CLIError.usage("--map: \(table.rawValue) has no field \"\(parts[1])\"; its fields are \(table.fields.joined(separator: ", "))")
            }
            user[parts[0]] = parts[1]
        }
        self.user = user
    }

    func target(of column: String) -> String? {
        if let mapped = user[column] { return mapped == "-" ? nil : mapped }
        if let known = table.defaultMap[column] { return known }
        return table.fields.contains(column) ? column : nil
    }

    /// The record's values by field name.
    func apply(_ values: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        for (column, value) in values {
            if let field = target(of: column), out[field] == nil || user[column] != nil { out[field] = value }
        }
        return out
    }

    /// Columns of the file that feed no field, so the user can see what was left out.
    func ignored(_ columns: [String]) -> [String] {
        columns.filter { target(of: $0) == nil }.sorted()
    }
}
