import ParleyWire

/// What a method needs of the caller's role, checked by the connection before any
/// handler runs. The organization a request names is checked by the handler
/// (`CallContext.authorize`), so a call needs both. docs/SECURITY.md shows this table.
public enum Permission: String, Sendable, CaseIterable {
    /// Any authenticated key: facts about the server, pure computation.
    case anyKey
    /// Writing an organization's turns, messages, leads, feedback, directory rows.
    case ingest
    /// Reading an organization's reports, threads, sessions, exports.
    case read
    /// Maintaining an organization: rebuilding metrics, retention, keys of its own.
    case organizationAdmin
    /// The whole server: prices, statistics, integrity check, backups.
    case globalAdmin

    /// The one place that says who may call what: a new method does not compile until it
    /// is given a permission here.
    public static func required(for method: Method) -> Permission {
        switch method {
        case .serverInfo, .countTokens, .listPrices:
            return .anyKey
        case .logTurn, .logTurns, .logMessage, .logMessages, .captureLead, .recordFeedback,
             .upsertDevice, .upsertContact, .upsertPersona, .upsertWidget, .upsertDirectory,
             .captureLeads, .recordFeedbackBatch:
            return .ingest
        case .getDevice, .getContact, .getPersona, .getWidget, .getTurn, .getSessionMetrics,
             .listSessionMetrics, .countSessionMetrics, .usage, .reportDevices, .reportModels,
             .reportDaily, .reportPersonas, .reportContacts, .reportHourly, .contactThread,
             .reportSessions, .reportConversion, .exportTurns, .exportMessages:
            return .read
        case .backfillSessionMetrics, .retainDetail, .repairTokens, .createKey, .listKeys, .revokeKey:
            return .organizationAdmin
        case .setPrice, .deletePrice, .check, .stats, .backup, .streamBackup:
            return .globalAdmin
        }
    }

    /// Whether a key of `principal`'s role and binding holds this permission.
    public func isGranted(to principal: Principal) -> Bool {
        switch self {
        case .anyKey: return true
        case .ingest: return principal.role == .ingest || principal.role == .admin
        case .read: return principal.role == .read || principal.role == .admin
        case .organizationAdmin: return principal.role == .admin
        case .globalAdmin: return principal.isGlobalAdmin
        }
    }

    /// The refusal, naming the method and the role only: never an organization or key id.
    func refusal(_ method: Method, for principal: Principal) -> RPCError {
        let needs: String
        switch self {
        case .anyKey: needs = "any key"
        case .ingest: needs = "an ingest or admin key"
        case .read: needs = "a read or admin key"
        case .organizationAdmin: needs = "an admin key"
        case .globalAdmin: needs = "a global admin key (one bound to no organization)"
        }
        return RPCError(.permissionDenied, "\(method.name) needs \(needs); this is \(principal.isGlobalAdmin ? "a global admin" : "an \(principal.role.rawValue)") key")
    }
}
