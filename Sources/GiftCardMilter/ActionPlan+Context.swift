import Actions
import MailView
import Milter

extension ActionStep {
    /// One step against a message context: through libmilter in the daemon, on an `InMemoryContext` for
    /// `check` and the tests. A refusal is thrown to the runner's failure policy.
    public func perform(on context: any MessageContext) throws(MilterError) {
        switch self {
        case .deleteHeader(let name, let index): try context.deleteHeader(name, index: index)
        case .insertHeader(let index, let name, let value): try context.insertHeader(at: index, name, value)
        case .changeHeader(let name, let index, let value): try context.changeHeader(name, index: index, to: value)
        case .addHeader(let name, let value): try context.addHeader(name, value)
        case .replaceBody(let body): try context.replaceBody(body)
        case .quarantine(let reason): try context.quarantine(reason: reason)
        case .setReply(let code, let extended, let text): try context.setReply(code: code, extended: extended, lines: [text])
        }
    }
}

extension ActionPlan {
    /// Carries the plan's steps out in order; the steps before a refusal stay done, as the MTA did them.
    public func carryOut(on context: any MessageContext) throws(MilterError) {
        for step in steps { try step.perform(on: context) }
    }
}

extension InMemoryContext {
    /// A context holding `raw` as the MTA holds it: its headers and its body (as inspected).
    public convenience init(_ raw: RawMessage) {
        self.init(headers: raw.headers.map { Header(name: $0.name, value: $0.value) }, body: raw.body)
    }

    /// The message as the MTA holds it now: headers after the actions, then the body.
    public var message: RawMessage {
        RawMessage(headers: headers.map { RawHeader(name: $0.name, value: $0.value) }, body: body)
    }
}
