import ParleyStore

/// Every service a full parleyd serves, on one store. ServerInfo is added by ParleyServer.
public enum ServiceCatalog {
    public static func registry(store: ParleyStore, tokenCounting: TokenCounting = .estimating) -> ServiceRegistry {
        var r = ServiceRegistry()
        RecordingService(store: store).register(in: &r)
        DirectoryService(store: store).register(in: &r)
        BulkService(store: store).register(in: &r)
        SessionService(store: store).register(in: &r)
        PriceService(store: store).register(in: &r)
        AdminService(store: store).register(in: &r)
        BackupStreamService(store: store).register(in: &r)
        AnalyticsService(store: store).register(in: &r)
        TokenService(counting: tokenCounting).register(in: &r)
        return r
    }
}
