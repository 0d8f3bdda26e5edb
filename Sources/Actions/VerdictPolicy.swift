/// What the milter does with a message beyond stamping the headers, per verdict (`OnSuspicious`,
/// `OnErroneous`, `OnGenuine`, `OnNone`).
public enum VerdictPolicy: String, Sendable, CaseIterable {
    /// Headers only: deliver as it came, plus the verdict headers.
    case header
    /// Headers and an explanatory banner at the top of the text the reader sees.
    case banner
    /// Put the message on hold in the MTA's queue (Postfix: `postqueue -p` shows it with `!`).
    case quarantine
    /// Refuse it with 550 5.7.1 and a short explanation.
    case reject
    /// Refuse it for now with 451 4.7.1; the sender retries.
    case tempfail
}
