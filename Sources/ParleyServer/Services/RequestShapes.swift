import ParleyWire

/// Requests that name the organization they act for.
protocol OrganizationScoped {
    var organizationID: String? { get }
}

/// Requests that carry a time window.
protocol Windowed {
    var window: V1.TimeWindow? { get }
}

extension V1.UsageRequest: OrganizationScoped, Windowed {}
extension V1.ReportRequest: OrganizationScoped, Windowed {}
extension V1.ExportRequest: OrganizationScoped, Windowed {}
extension V1.ThreadRequest: OrganizationScoped {}
extension V1.RetainRequest: OrganizationScoped {}
extension V1.RepairTokensRequest: OrganizationScoped {}
extension V1.BackfillRequest: OrganizationScoped {}
