/// The scores the verdict rules give (`Rules/scores.conf`, compiled in): data beside the lexicons and
/// brands, so they are read and reviewed in one place. Read once; the shipped file is checked by the
/// tests (every name present, none unknown, values 0–100).
public struct Scores: Sendable, Equatable {
    private var values: [String: Int]

    /// Every score a rule asks for; the file must give exactly these.
    public static let names: Set<String> = [
        "ceiling", "payment-demand", "code-request", "reward-lure", "reward-lure.per-sign", "unbranded-lure",
        "unbranded-lure.dispute-callback", "authenticated-sender", "unknown-brand", "brand-sent-in-error",
        "brand-sent-in-error.generic-salutation", "brand-authenticated", "brand-unauthenticated-quiet", "brand-impostor",
        "brand-impostor.lookalike", "brand-impostor.callback", "callback-purchase", "callback-purchase.per-sign",
        "marker.link-mismatch", "marker.off-brand-links", "marker.freemail-reply-to", "marker.obfuscated-text",
        "bulk-identical", "declared-incident", "limit-reached",
    ]

    /// Reads `name value` lines; a missing, unknown or repeated name or a value outside 0–100 is an
    /// error naming it.
    public init(text: String) throws(ScoresError) {
        values = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2, let value = Int(fields[1]), (0...100).contains(value) else {
                throw ScoresError(description: "line \(number + 1): 'name 0-100' expected, found '\(line)'")
            }
            let name = String(fields[0])
            guard Self.names.contains(name) else { throw ScoresError(description: "line \(number + 1): unknown score '\(name)'") }
            guard values.updateValue(value, forKey: name) == nil else { throw ScoresError(description: "line \(number + 1): '\(name)' given twice") }
        }
        let missing = Self.names.subtracting(values.keys)
        guard missing.isEmpty else { throw ScoresError(description: "missing: \(missing.sorted().joined(separator: ", "))") }
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

    private init(values: [String: Int]) { self.values = values }

    /// The score called `name` (one of `names`).
    public subscript(_ name: String) -> Int { values[name] ?? 0 }
}

/// Why a scores file could not be read.
public struct ScoresError: Error, Sendable, CustomStringConvertible {
    public let description: String
}
