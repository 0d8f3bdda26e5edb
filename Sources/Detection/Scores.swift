/// The scores the verdict rules give (`Rules/scores.conf`, compiled in): data beside the lexicons and
/// brands, so they are read and reviewed in one place. Read once; the shipped file is checked by the
/// tests (every name present, none unknown, values 0–100).
public struct Scores: Sendable, Equatable {
    /// Every score a rule asks for, by its name in the file; the file must give exactly these.
    public enum Name: String, Sendable, CaseIterable {
        case ceiling = "ceiling"
        case paymentDemand = "payment-demand"
        case codeRequest = "code-request"
        case rewardLure = "reward-lure"
        case rewardLurePerSign = "reward-lure.per-sign"
        case unbrandedLure = "unbranded-lure"
        case unbrandedLureDisputeCallback = "unbranded-lure.dispute-callback"
        case authenticatedSender = "authenticated-sender"
        case unknownBrand = "unknown-brand"
        case brandSentInError = "brand-sent-in-error"
        case brandSentInErrorGenericSalutation = "brand-sent-in-error.generic-salutation"
        case brandAuthenticated = "brand-authenticated"
        case brandUnauthenticatedQuiet = "brand-unauthenticated-quiet"
        case brandImpostor = "brand-impostor"
        case brandImpostorLookalike = "brand-impostor.lookalike"
        case brandImpostorCallback = "brand-impostor.callback"
        case callbackPurchase = "callback-purchase"
        case callbackPurchasePerSign = "callback-purchase.per-sign"
        case markerLinkMismatch = "marker.link-mismatch"
        case markerOffBrandLinks = "marker.off-brand-links"
        case markerFreemailReplyTo = "marker.freemail-reply-to"
        case markerObfuscatedText = "marker.obfuscated-text"
        case bulkIdentical = "bulk-identical"
        case declaredIncident = "declared-incident"
        case limitReached = "limit-reached"
    }

    /// Every name has its value (the reader refuses a file without one).
    private var values: [Name: Int]

    /// Reads `name value` lines; a missing, unknown or repeated name or a value outside 0–100 is an
    /// error naming it.
    public init(text: String) throws(ScoresError) {
        var given: [Name: Int] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2, let value = Int(fields[1]), (0...100).contains(value) else {
                throw ScoresError(description: "line \(number + 1): 'name 0-100' expected, found '\(line)'")
            }
            guard let name = Name(rawValue: String(fields[0])) else {
                throw ScoresError(description: "line \(number + 1): unknown score '\(fields[0])'")
            }
            guard given.updateValue(value, forKey: name) == nil else { throw ScoresError(description: "line \(number + 1): '\(name.rawValue)' given twice") }
        }
        let missing = Name.allCases.filter { given[$0] == nil }.map(\.rawValue)
        guard missing.isEmpty else { throw ScoresError(description: "missing: \(missing.sorted().joined(separator: ", "))") }
        values = given
    }

    /// The compiled-in file, read once.
    private static let shipped: Result<Scores, ScoresError> = Result {
        () throws(ScoresError) in try Scores(text: String(decoding: PackageResources.scores_conf, as: UTF8.self))
    }

    /// The compiled-in scores (all zero if the shipped file were broken: `shippedProblem` then says why,
    /// and the commands refuse to start rather than judge with them).
    public static var builtin: Scores { (try? shipped.get()) ?? Scores(values: [:]) }

    /// What is wrong with the compiled-in file, if anything (the tests keep it nil).
    public static var shippedProblem: String? {
        if case .failure(let error) = shipped { return "Rules/scores.conf: \(error)" }
        return nil
    }

    private init(values: [Name: Int]) { self.values = values }

    /// The score called `name`.
    public subscript(_ name: Name) -> Int { values[name] ?? 0 }
}

/// Why a scores file could not be read.
public struct ScoresError: Error, Sendable, CustomStringConvertible {
    public let description: String
}
