import CMilter
import Testing
@testable import Milter

/// The no-reply rule without an MTA: silent steps answer nothing, and their failure is the answer of
/// the next step that has one.
@Suite struct DeferredAnswerTests {
    let proceed = MilterStatus.proceed.raw
    let tempfail = MilterStatus.tempfail.raw
    let reject = MilterStatus.reject.raw

    @Test func silentStepsAnswerNothingAndTheirFailureComesAtTheNextAnswer() {
        var rule = DeferredAnswer()
        #expect(rule.answer(silent: true) { proceed } == sfsistat(SMFIS_NOREPLY))
        #expect(rule.answer(silent: true) { tempfail } == sfsistat(SMFIS_NOREPLY))
        var bodyRan = false
        // The body step would proceed, but the kept failure answers instead, and the body is not run.
        #expect(rule.answer(silent: false) { bodyRan = true; return proceed } == tempfail)
        #expect(!bodyRan)
        // Given once: the step after that runs as usual.
        #expect(rule.answer(silent: false) { proceed } == proceed)
    }

    @Test func theFirstFailureWins() {
        var rule = DeferredAnswer()
        _ = rule.answer(silent: true) { tempfail }
        _ = rule.answer(silent: true) { reject }
        #expect(rule.answer(silent: false) { proceed } == tempfail)
    }

    @Test func anAbortForgetsWhatWasKept() {
        var rule = DeferredAnswer()
        _ = rule.answer(silent: true) { reject }
        rule.forget()
        #expect(rule.pending == nil)
        #expect(rule.answer(silent: false) { proceed } == proceed)
    }

    @Test func stepsWithAnAnswerGiveTheirOwn() {
        var rule = DeferredAnswer()
        #expect(rule.answer(silent: false) { reject } == reject)
        #expect(rule.pending == nil)
    }
}
