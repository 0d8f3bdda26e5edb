import CMilter

/// What a callback tells the MTA to do next (libmilter's `SMFIS_*`).
public enum MilterStatus: Sendable, Equatable {
    /// Go on with the next step.
    case proceed
    /// Reject the message (or the connection, from `connect`).
    case reject
    /// Accept the message but throw it away.
    case discard
    /// Accept the message without calling this milter again for it.
    case accept
    /// Answer with a temporary failure (4xx).
    case tempfail
    /// Skip the rest of the same kind of callback (the body, usually).
    case skip

    var raw: sfsistat {
        switch self {
        case .proceed: return sfsistat(SMFIS_CONTINUE)
        case .reject: return sfsistat(SMFIS_REJECT)
        case .discard: return sfsistat(SMFIS_DISCARD)
        case .accept: return sfsistat(SMFIS_ACCEPT)
        case .tempfail: return sfsistat(SMFIS_TEMPFAIL)
        case .skip: return sfsistat(SMFIS_SKIP)
        }
    }
}

/// Which modifications a milter asks the MTA to allow (libmilter's `SMFIF_*`).
public struct MilterActions: OptionSet, Sendable {
    public let rawValue: UInt
    public init(rawValue: UInt) { self.rawValue = rawValue }

    public static let addHeaders = MilterActions(rawValue: UInt(SMFIF_ADDHDRS))
    public static let changeHeaders = MilterActions(rawValue: UInt(SMFIF_CHGHDRS))
    public static let changeBody = MilterActions(rawValue: UInt(SMFIF_CHGBODY))
    public static let quarantine = MilterActions(rawValue: UInt(SMFIF_QUARANTINE))
    public static let setSymbolList = MilterActions(rawValue: UInt(SMFIF_SETSYMLIST))
}

/// The protocol stages at which the MTA sends macros (libmilter's `SMFIM_*`).
public enum MacroStage: Int32, Sendable, CaseIterable {
    case connect = 0, helo = 1, envelopeFrom = 2, envelopeRecipient = 3, data = 4, endOfMessage = 5,
        endOfHeaders = 6
}

/// Protocol steps that can go without a reply (see `MilterRegistration.silentSteps`).
public enum MilterStep: Sendable, Hashable, CaseIterable {
    case connect, envelopeFrom, envelopeRecipient, header, endOfHeaders

    var noReplyFlag: UInt {
        switch self {
        case .connect: UInt(SMFIP_NR_CONN)
        case .envelopeFrom: UInt(SMFIP_NR_MAIL)
        case .envelopeRecipient: UInt(SMFIP_NR_RCPT)
        case .header: UInt(SMFIP_NR_HDR)
        case .endOfHeaders: UInt(SMFIP_NR_EOH)
        }
    }
}
