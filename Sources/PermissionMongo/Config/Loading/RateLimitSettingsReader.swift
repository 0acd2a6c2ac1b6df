import PMConfigFiles

/// `server.rate_limits:` → `RateLimitSettings`. Rates must be above 0, bursts at least 1;
/// a bucket without `burst` holds one second's worth (at least 1).
enum RateLimitSettingsReader {
    static let keys = ["per_tenant", "per_user"]

    static func read(_ node: ConfigNode) -> RateLimitSettings {
        var settings = RateLimitSettings()
        for entry in node.entries(allowed: keys) ?? [] {
            switch entry.name {
            case "per_tenant": settings.perTenant = bucket(entry.value, rateKey: "documents_per_second")
            case "per_user": settings.perUser = bucket(entry.value, rateKey: "requests_per_second")
            default: break
            }
        }
        return settings
    }

    private static func bucket(_ node: ConfigNode, rateKey: String) -> RateLimitSettings.Bucket? {
        guard let entries = node.entries(allowed: [rateKey, "burst"]) else { return nil }
        var rate: Double?
        var burst: Int?
        var valid = true
        for entry in entries {
            switch entry.name {
            case "burst":
                burst = entry.value.int(atLeast: 1)
                if burst == nil { valid = false }
            default:
                rate = entry.value.number()
                if let value = rate, value <= 0 {
                    entry.value.report("must be greater than 0")
                    rate = nil
                }
                if rate == nil { valid = false }
            }
        }
        guard valid else { return nil }
        guard let rate else {
            node.report("\(rateKey) is required")
            return nil
        }
        return RateLimitSettings.Bucket(perSecond: rate, burst: burst ?? max(1, Int(rate.rounded(.up))))
    }
}
