import Detection
import Foundation
import MailView

/// One thing to ask of the MTA, in the order of the plan. The MTA takes header changes before a body
/// replacement, and milter header indices count from 1 per name.
public enum ActionStep: Sendable, Equatable {
    case deleteHeader(name: String, index: Int32)
    case insertHeader(index: Int32, name: String, value: String)
    case changeHeader(name: String, index: Int32, value: String)
    case addHeader(name: String, value: String)
    case replaceBody([UInt8])
    case quarantine(reason: String)
    case setReply(code: String, extended: String, text: String)
}

/// Everything to do with one judged message: the MTA steps, how the message leaves, and what is
/// logged and audited. Made by `ActionPlanner` without side effects; the milter session carries it out.
public struct ActionPlan: Sendable {
    /// How the message leaves once the steps are done.
    public enum Disposition: Sendable, Equatable {
        case deliver, reject, tempfail
    }

    public var policy: VerdictPolicy
    /// Why the verdict's policy was lowered to `header`, if it was (`authenticated`, `internal-network`).
    public var exemption: String?
    public var steps: [ActionStep]
    public var disposition: Disposition
    /// The banner placed or why not; nil when the policy is not `banner`.
    public var banner: BannerOutcome?
    /// The one log line for the message, after the queue id.
    public var logLine: String
    public var audit: AuditRecord
}

extension BannerOutcome {
    /// `placed` or the reason it was not, for the log line and the audit record.
    public var summary: String {
        switch self {
        case .placed: "placed"
        case .skipped(let why): why.rawValue
        }
    }
}

extension Verdict {
    /// `verdict=…, score=…, brand=…, lang=…, reasons=…`: the Postfix-style key=value summary.
    public var summary: String {
        "verdict=\(kind.rawValue), score=\(score), brand=\(brand ?? "none"), lang=\(language), reasons=\(reasonList)"
    }
}
