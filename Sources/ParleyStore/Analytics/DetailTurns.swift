import ParleyCore

extension ParleyStore {
    /// Every turn of a window, live and archived (`archived` tells which), in no
    /// particular order across the two: for aggregates that must not change when
    /// retention moves detail into the archive.
    func detailTurns(organization: String, window: TimeWindow, _ body: (Turn, _ archived: Bool) throws -> Void) throws {
        try turns(organization: organization, window: window) { turn in
            try body(turn, false)
            return true
        }
        try archive.current?.turns(organization: organization, window: window) { turn in
            try body(turn, true)
            return true
        }
    }

    /// A session's turns, live and archived, in time order.
    func detailTurns(organization: String, session: String) throws -> [Turn] {
        var all = try read { txn in try SessionTurns(txn: txn).all(organization: organization, session: session) }
        if let archived = archive.current {
            all += try archived.read { txn in try SessionTurns(txn: txn).all(organization: organization, session: session) }
            all.sort { (Keys.time(of: $0), $0.turnId) < (Keys.time(of: $1), $1.turnId) }
        }
        return all
    }
}
