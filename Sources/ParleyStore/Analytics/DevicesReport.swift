import ParleyCore

extension ParleyStore {
    /// Most conversations first (ties by device id). Turns without a device (web chat)
    /// are left out, as the seed's join leaves them out.
    public func reportDevices(_ query: ReportQuery) throws -> [DeviceUsage] {
        let rows = try usage(organization: query.organization, query: query.usage(groupBy: [.device]))
            .rows.filter { $0.group.first?.isEmpty == false }
        let kept = query.top > 0 ? Array(rows.prefix(query.top)) : rows
        return try kept.map { row in
            let id = row.group[0] // safe: grouped by exactly one dimension
            let device = try device(organization: query.organization, id: id)
            return DeviceUsage(deviceId: id, deviceName: device.map { $0.name.isEmpty ? id : $0.name } ?? id,
                               phoneNumber: device?.phoneNumber ?? "", conversations: row.count, totalTokens: row.tokens.total,
                               avgTokens: row.avgTokens, lastConversation: row.lastActivity).withParts(of: row.tokens)
        }
    }
}
