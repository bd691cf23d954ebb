import ParleyCore

/// Key builders for every tree in `TreeLayout`. Each key starts with the organization,
/// so one organization's data is one contiguous range of each tree.
enum Keys {
    static let schemaVersion: [UInt8] = Array("schema_version".utf8)

    static func entity(_ organization: String, _ id: String) -> [UInt8] {
        var key = KeyEncoder()
        key.append(organization)
        key.append(id)
        return key.bytes
    }

    /// A key of string components only, e.g. (org, message, turn).
    static func strings(_ parts: String...) -> [UInt8] {
        var key = KeyEncoder()
        for part in parts { key.append(part) }
        return key.bytes
    }

    static func organization(_ organization: String) -> [UInt8] {
        var key = KeyEncoder()
        key.append(organization)
        return key.bytes
    }

    /// (org, time[, suffix...]) for a time-ordered index.
    static func timed(_ organization: String, _ time: Millis, _ tail: String...) -> [UInt8] {
        var key = KeyEncoder()
        key.append(organization)
        key.append(time)
        for part in tail { key.append(part) }
        return key.bytes
    }

    /// (org, group, time[, suffix...]) for an index of one device, contact or session.
    static func grouped(_ organization: String, _ group: String, _ time: Millis, _ tail: String...) -> [UInt8] {
        var key = KeyEncoder()
        key.append(organization)
        key.append(group)
        key.append(time)
        for part in tail { key.append(part) }
        return key.bytes
    }

    /// (org, group, sequence) for leads and feedback of a session, kept in arrival order.
    static func sequenced(_ organization: String, _ session: String, _ sequence: UInt64) -> [UInt8] {
        var key = KeyEncoder()
        key.append(organization)
        key.append(session)
        key.append(sequence)
        return key.bytes
    }

    static func price(_ pattern: String, _ effectiveFrom: Millis) -> [UInt8] {
        var key = KeyEncoder()
        key.append(pattern)
        key.append(effectiveFrom)
        return key.bytes
    }

    /// rollups.by_time: (org, dimension, cell start, value, model): time-major.
    static func rollupByTime(_ organization: String, _ dimension: Dimension, _ start: Millis, _ value: String, _ model: String) -> [UInt8] {
        var key = KeyEncoder()
        key.append(organization)
        key.append(UInt8(truncatingIfNeeded: dimension.rawValue))
        key.append(start)
        key.append(value)
        key.append(model)
        return key.bytes
    }

    /// rollups.by_value: (org, dimension, value, cell start, model): value-major.
    static func rollupByValue(_ organization: String, _ dimension: Dimension, _ value: String, _ start: Millis, _ model: String) -> [UInt8] {
        var key = KeyEncoder()
        key.append(organization)
        key.append(UInt8(truncatingIfNeeded: dimension.rawValue))
        key.append(value)
        key.append(start)
        key.append(model)
        return key.bytes
    }

    /// Prefix (org, dimension[, value]) of the rollup trees.
    static func rollupPrefix(_ organization: String, _ dimension: Dimension, value: String? = nil) -> [UInt8] {
        var key = KeyEncoder()
        key.append(organization)
        key.append(UInt8(truncatingIfNeeded: dimension.rawValue))
        if let value { key.append(value) }
        return key.bytes
    }

    /// sessions.start_cells: (org, cell level, cell start).
    static func sessionStartCell(_ organization: String, _ level: CellLevel, _ start: Millis) -> [UInt8] {
        appending(sessionStartCellPrefix(organization, level), time: start)
    }

    /// Prefix (org, cell level) of `sessions.start_cells`.
    static func sessionStartCellPrefix(_ organization: String, _ level: CellLevel) -> [UInt8] {
        var key = KeyEncoder()
        key.append(organization)
        key.append(UInt8(truncatingIfNeeded: level.rawValue))
        return key.bytes
    }

    /// sessions.conversion_cells: (org, cell level, cell start, scope), the scope a kind
    /// byte (0 for the session scope, 1 for a persona) then the persona's id. The prefix
    /// (org, cell level) is `sessionStartCellPrefix`'s.
    static func conversionCell(_ organization: String, _ level: CellLevel, _ start: Millis, _ scope: ConversionScope) -> [UInt8] {
        var key = KeyEncoder()
        key.append(start)
        switch scope {
        case .session:
            key.append(UInt8(0))
        case .persona(let id):
            key.append(UInt8(1))
            key.append(id)
        }
        return sessionStartCellPrefix(organization, level) + key.bytes
    }

    /// Key bytes of a prefix followed by a time: the bound of a window scan.
    static func appending(_ prefix: [UInt8], time: Millis) -> [UInt8] {
        var key = KeyEncoder()
        key.append(time)
        return prefix + key.bytes
    }

    /// The exclusive end of everything under `prefix`. Encoded strings end in 0x00 0x01,
    /// never in 0xFF, so a successor always exists.
    static func end(of prefix: [UInt8]) -> [UInt8] {
        KeyEncoder.prefixEnd(prefix) ?? prefix + [0xFF]
    }

    /// The time a turn is indexed and bucketed by: its reply time, which intake always sets.
    static func time(of turn: Turn) -> Millis {
        turn.endedAt ?? 0
    }
}
