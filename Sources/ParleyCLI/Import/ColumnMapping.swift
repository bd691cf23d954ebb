/// How a file's columns become Parley fields: the user's --map first, then the seed's
/// known names, then the column's own name when it already is a field.
struct ColumnMapping {
    let table: SourceTable
    /// The user's --map: nil drops the column.
    private let user: [String: ImportField?]

    /// Parses "source=target,source=target"; a target of "-" drops the column.
    init(table: SourceTable, spec: [String]) throws {
        self.table = table
        var user: [String: ImportField?] = [:]
        for pair in spec.flatMap({ $0.split(separator: ",") }) {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw CLIError.usage("--map: \"\(pair)\" is not source=target")
            }
            if parts[1] == "-" {
                user[parts[0]] = .some(nil)
                continue
            }
            guard let field = ImportField(name: parts[1]), table.fields.contains(field) else {
                throw CLIError.usage("--map: \(table.rawValue) has no field \"\(parts[1])\"; its fields are \(table.fields.map(\.name).joined(separator: ", "))")
            }
            user[parts[0]] = field
        }
        self.user = user
    }

    func target(of column: String) -> ImportField? {
        if let mapped = user[column] { return mapped }
        if let known = table.defaultMap[column] { return known }
        guard let own = ImportField(name: column), table.fields.contains(own) else { return nil }
        return own
    }

    func isUserMapped(_ column: String) -> Bool { user[column] != nil }

    /// Which field each of `columns` feeds, decided once per file: when two columns feed
    /// one field, a --map entry wins, else the first column.
    func plan(_ columns: [String]) -> ColumnPlan {
        var byColumn = [ImportField?](repeating: nil, count: columns.count)
        var feeder: [ImportField: Int] = [:]
        for (i, column) in columns.enumerated() {
            guard let field = target(of: column) else { continue }
            if let earlier = feeder[field] {
                guard isUserMapped(column), !isUserMapped(columns[earlier]) else { continue }
                byColumn[earlier] = nil
            }
            feeder[field] = i
            byColumn[i] = field
        }
        return ColumnPlan(byColumn: byColumn, mapping: self)
    }

    /// Columns of the file that feed no field, so the user can see what was left out.
    func ignored(_ columns: [String]) -> [String] {
        columns.filter { target(of: $0) == nil }.sorted()
    }
}

/// The field of each column position of one file (CSV), or by name (JSON lines, whose
/// rows may order and omit keys freely).
struct ColumnPlan {
    let byColumn: [ImportField?]
    let mapping: ColumnMapping

    /// A row given by column name, as JSON lines are.
    func row(_ values: [String: String]) -> MappedRow {
        var row = MappedRow()
        var userSet = Set<ImportField>()
        for (column, value) in values {
            guard let field = mapping.target(of: column) else { continue }
            let user = mapping.isUserMapped(column)
            if row[field] == nil || (user && !userSet.contains(field)) {
                row[field] = value
                if user { userSet.insert(field) }
            }
        }
        return row
    }
}
