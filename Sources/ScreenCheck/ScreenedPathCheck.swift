import Actions
import Detection
import MailView

/// The property the pre-screen must keep (see `TextScreen`), checked on one message: the path the milter
/// takes (a parse without details, screened, judged lazily) gives exactly what the full path gives (every
/// part read, details and all, judged in full): the verdict with its score, reasons, brand, language
/// and explanation, the limits the audit names, and the bytes a banner for the verdict would place.
/// Used by the differential tests (ScreenTests, CorpusTests), the fuzz target (`giftcard-fuzz`, target
/// `screen`) and `giftcard-fuzz --screen-check` over stored mail.
public enum ScreenedPathCheck {
    public struct Outcome: Sendable {
        /// True when the screen cleared the message.
        public var screened: Bool
        /// True when, cleared, text was left unread.
        public var leftUnread: Bool
        /// The verdict the milter's path gave.
        public var verdict: Verdict
        /// What differs between the two paths; nil when nothing does.
        public var difference: String?
    }

    /// `eager` screens messages of any length (the milter screens only those long enough to pay), so
    /// that short ones prove the screen too.
    public static func check(_ bytes: [UInt8], detector: Detector, limits: MessageLimits = MessageLimits(),
                             envelope: Envelope = Envelope(), eager: Bool = false) -> Outcome {
        let raw = RawMessage(parsing: bytes, limits: limits)
        var screen = detector.screen
        if eager { screen.minimumTextBytes = 0 }
        let screenedView = MessageParser.parse(raw, limits: limits, details: false, screen: screen)
        let (fast, fastView) = detector.evaluate(lazily: screenedView, envelope: envelope)
        let fullView = MessageParser.parse(raw, limits: limits)
        let full = detector.evaluate(fullView, envelope: envelope)
        var differences: [String] = []
        if fast != full { differences.append("verdict \(describe(fast)) against \(describe(full))") }
        if fastView.limitsReached != fullView.limitsReached { differences.append("limits \(fastView.limitsReached) against \(fullView.limitsReached)") }
        if fastView.subject != fullView.subject || fastView.from != fullView.from || fastView.messageID != fullView.messageID {
            differences.append("audited headers differ")
        }
        if banner(fast, view: fastView, raw: raw) != banner(full, view: fullView, raw: raw) { differences.append("banner bytes differ") }
        return Outcome(screened: screenedView.clearedByScreen, leftUnread: screenedView.hasUnreadText, verdict: fast, difference: differences.isEmpty ? nil : differences.joined(separator: "; "))
    }

    /// The screen's own property on one text, sharper than the verdicts: every run of letters and digits
    /// of the normalized visible text occurs within the screen's runs (a run missing there is a word the
    /// screen could not see). Nil when it holds or the screen refuses the text (it is then read whole).
    public static func missedRun(html: String) -> String? {
        var runs: [UInt8] = []
        guard ScreenRuns.appendHTML(html, maxDepth: MessageLimits().maxHTMLDepth, to: &runs) else { return nil }
        return missedRun(visible: MessageParser.visibleText(ofHTML: html), runs: runs)
    }

    public static func missedRun(plain: String) -> String? {
        var runs: [UInt8] = []
        guard ScreenRuns.appendPlain(plain, to: &runs) else { return nil }
        return missedRun(visible: plain, runs: runs)
    }

    static func missedRun(visible: String, runs: [UInt8]) -> String? {
        let screened = runs.split(separator: 0x20).map(Array.init)
        let whole = Set(screened)
        for run in TextNormalizer.normalize(visible).utf8.split(whereSeparator: { !TextNormalizer.isASCIIAlphanumeric($0) }) {
            let word = Array(run)
            if whole.contains(word) || screened.contains(where: { $0.count > word.count && $0.contains(word) }) { continue }
            return String(decoding: word, as: UTF8.self)
        }
        return nil
    }

    static func describe(_ verdict: Verdict) -> String {
        "\(verdict.kind.rawValue) \(verdict.score) [\(verdict.reasonList)] brand=\(verdict.brand ?? "-") lang=\(verdict.language)"
    }

    /// The banner a verdict other than `none` gets, placed as the milter places it.
    static func banner(_ verdict: Verdict, view: MessageView, raw: RawMessage) -> BannerOutcome? {
        guard verdict.kind != .none,
              let banner = Banner(verdict: verdict, brandNames: ["Brand"], templates: .builtIn,
                                  seal: BannerSeal(key: [7, 7, 7], messageID: view.messageID, fallback: view.subject)) else { return nil }
        return BannerInserter.insert(banner, outline: view.outline, headers: raw.headers, body: raw.body)
    }
}
