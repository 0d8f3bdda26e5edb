import CMilter

/// The answer rule for steps the MTA does not wait on (`MilterRegistration.silentSteps`): a silent
/// step answers nothing, and a failure in it (any status other than proceed) is kept and given as the
/// answer of the next step that has one, without running that step; the first failure wins, and an
/// abort forgets it. Kept apart from libmilter's context so the rule has unit tests of its own.
struct DeferredAnswer {
    private(set) var pending: sfsistat?

    /// The status to hand libmilter for one step; `run` is the step itself.
    mutating func answer(silent: Bool, _ run: () -> sfsistat) -> sfsistat {
        if !silent, let kept = pending {
            pending = nil
            return kept
        }
        let status = run()
        guard silent else { return status }
        if status != MilterStatus.proceed.raw, pending == nil { pending = status }
        return sfsistat(SMFIS_NOREPLY)
    }

    /// An abort ends the message: what a silent step kept for it is dropped.
    mutating func forget() { pending = nil }
}
