/// The four answers the product gives about a message. Raw values are the `X-GiftCard-Verdict` values.
public enum VerdictKind: String, Sendable, CaseIterable, Codable {
    /// Nothing to worry about: not gift-card mail, or not a scam.
    case none
    /// A real, personal confirmation from the brand.
    case genuine
    /// From the brand, but evidence says the recipient did not make this purchase.
    case erroneous
    /// Looks like a brand's confirmation but the brand did not send it.
    case suspicious
}

/// A reason token: lower-case and hyphenated, listed in docs/contracts.md's header contract.
public struct Reason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The message reads as a gift-card purchase or order confirmation.
    public static let giftCardConfirmation = Reason(rawValue: "gift-card-confirmation")
    /// A trusted DKIM or DMARC pass aligned with the brand's own domain.
    public static let brandAuthenticated = Reason(rawValue: "brand-authenticated")
    /// The From domain is the brand's, but no trusted authentication result vouches for it.
    public static let brandNotAuthenticated = Reason(rawValue: "brand-not-authenticated")
    /// The message names a brand (display name, subject or text) but comes from another domain.
    public static let brandDomainMismatch = Reason(rawValue: "brand-domain-mismatch")
    /// The From domain imitates a brand's: the brand's name inside a foreign domain, or its look-alike.
    public static let lookalikeDomain = Reason(rawValue: "lookalike-domain")
    /// "If you did not make this purchase, call …" together with a phone number.
    public static let callbackPhone = Reason(rawValue: "callback-phone")
    /// A confirmation whose brand is not in the registry and whose sender is not authenticated.
    public static let unknownBrand = Reason(rawValue: "unknown-brand")
    /// The sender's own domain authenticated (for a shop outside the brand registry).
    public static let senderAuthenticated = Reason(rawValue: "sender-authenticated")
    /// No order number, no amount and no recipient name: nothing in it is personal to the reader.
    public static let noOrderDetails = Reason(rawValue: "no-order-details")
    /// "Dear customer", "Dear Amazon customer", "عزيزي العميل": a greeting that could go to anyone.
    public static let genericSalutation = Reason(rawValue: "generic-salutation")
    /// A link whose text shows one domain while it leads to another.
    public static let linkMismatch = Reason(rawValue: "link-mismatch")
    /// Links that lead to hosts that are not the claimed brand's.
    public static let offBrandLinks = Reason(rawValue: "off-brand-links")
    /// Replies go to a free mailbox (gmail.com, outlook.com…) while the mail claims to be a brand's.
    public static let freemailReplyTo = Reason(rawValue: "freemail-reply-to")
    /// The same confirmation, word for word apart from greeting and dates, reached many recipients within
    /// a short time: a purchase confirmation is personal, so most of them did not buy.
    public static let bulkIdentical = Reason(rawValue: "bulk-identical")
    /// Someone asks the reader to buy gift cards and pass on their codes: the "boss needs gift cards" fraud.
    public static let giftCardRequest = Reason(rawValue: "gift-card-request")
    /// A fee, fine or charge demanded in gift cards ("pay the customs fee with 5 x $100 Google Play cards").
    public static let giftCardPayment = Reason(rawValue: "gift-card-payment")
    /// A prize, voucher or survey reward offered as bait, usually in a brand's name by someone else.
    public static let rewardLure = Reason(rawValue: "reward-lure")
    /// A purchase, renewal or invoice confirmation, not sent by the brand it names, that wants a call back.
    public static let callbackPurchase = Reason(rawValue: "callback-purchase")
    /// A parsing limit cut what was read (body bytes, MIME depth or parts, headers): the verdict covers
    /// only the part within the limits, so a `none` is no all-clear. The limits are named in the audit log.
    public static let limitReached = Reason(rawValue: "limit-reached")
    /// An Authentication-Results header with a trusted authserv-id that this host cannot have written (below
    /// the message's own headers, a DKIM pass no DKIM-Signature stands for, DMARC results that contradict
    /// each other): it was not believed. Noted beside the verdict; it does not decide it.
    public static let forgedAuthentication = Reason(rawValue: "forged-authentication")
    /// A security notice that quotes scam wording to warn about it.
    public static let securityNotice = Reason(rawValue: "security-notice")
    /// A warning about gift-card scams from anyone that quotes a scam and asks nothing itself.
    public static let scamAwareness = Reason(rawValue: "scam-awareness")
    /// Words hidden from filters: invisible characters inside words, mixed scripts, hidden HTML text.
    public static let obfuscatedText = Reason(rawValue: "obfuscated-text")
}

/// What detection concludes about one message.
public struct Verdict: Sendable, Equatable {
    public var kind: VerdictKind
    /// 0–100: how much the recipient should worry. Suspicious ≥ 60, erroneous 30–59, genuine ≤ 20, none 0.
    public var score: Int
    public var reasons: [Reason]
    /// The registry id of the brand the message claims, if any.
    public var brand: String?
    /// ISO 639-1 code of the message's language, or `und`.
    public var language: String
    /// One sentence for the log and the banner.
    public var explanation: String

    public init(kind: VerdictKind, score: Int, reasons: [Reason], brand: String?, language: String, explanation: String) {
        self.kind = kind
        self.score = max(0, min(100, score))
        self.reasons = reasons
        self.brand = brand
        self.language = language
        self.explanation = explanation
    }
}

extension Verdict {
    /// The reason tokens joined by commas, `none` when there are none: the one text form of the list
    /// (the log line, the quarantine reason).
    public var reasonList: String { reasons.isEmpty ? "none" : reasons.map(\.rawValue).joined(separator: ",") }
}
