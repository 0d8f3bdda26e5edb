import Actions
import Correlation
import Logging
import MailView

/// The settings a reload can change, built from one configuration; the correlation store and the
/// banner key are the running daemon's and carry over. `check` builds the same, so its sessions are
/// the daemon's.
public struct LiveSettings: Sendable {
    public var scanner: MessageScanner
    public var banner: BannerSettings
    public var policies: PolicySettings
    public var limits: MessageLimits

    public init(_ configuration: Configuration, store: (any CorrelationStore)?, stateFallback: String?, key: [UInt8]) {
        scanner = MessageScanner(configuration: configuration, store: store, stateFallback: stateFallback)
        banner = BannerSettings(templates: configuration.bannerTemplates, helpURL: configuration.bannerHelpURL,
                                maximumBytes: configuration.maximumBannerBytes, key: key)
        policies = PolicySettings(policies: configuration.policies, internalNetworks: configuration.internalNetworks,
                                  exemptAuthenticated: configuration.exemptAuthenticated)
        limits = configuration.limits
    }

    /// A session for one connection with these settings.
    public func session(logger: Logger, audit: AuditLog? = nil, hashRecipients: Bool = false, metrics: MessageMetrics? = nil,
                        version: String) -> GiftCardSession {
        GiftCardSession(scanner: scanner, limits: limits, logger: logger, audit: audit, hashRecipients: hashRecipients,
                        policies: policies, banner: banner, metrics: metrics, version: version)
    }
}
