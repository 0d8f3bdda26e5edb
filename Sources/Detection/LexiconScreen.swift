import MailView

/// The lexicon as a `TextScreen`: every phrase of the sections `Detector.mayConcern` reads is taken as
/// present when each of its pieces (its runs of ASCII letters and digits once normalized, those of
/// three or more when it has such) occurs somewhere in the text's runs, inside longer words too. Any
/// occurrence of the phrase in normalized text shows all its pieces there, so a stem, a compound or a
/// phrase split by tags is never missed (the pieces need not be next to each other: a block tag between
/// two words of a phrase is a line break to the reader and nothing in the runs). A phrase with a letter
/// or digit outside ASCII is not looked for: normalized text holds such a letter only where the screen
/// already refused the text. A phrase with no piece at all (punctuation only) counts as present in
/// every text.
public struct LexiconScreen: TextScreen {
    /// Every distinct piece, as a stem open on both sides (any occurrence counts).
    let pieces: PhraseSet
    /// Per phrase: its sections (bits of `Lexicon.Section.allCases` indices) and its pieces' ids.
    let phrases: [(sections: UInt32, pieces: [Int])]
    let lexicon: Lexicon
    /// Twice the language guess's window: a shorter message is read whole anyway, or nearly.
    public var minimumTextBytes = 2 * LanguageGuesser.window

    init(_ lexicon: Lexicon) {
        self.lexicon = lexicon
        var pieceIDs: [String: Int] = [:]
        var phrases: [(sections: UInt32, pieces: [Int])] = []
        for section in Detector.concernSections {
            for phrase in lexicon.terms(section) {
                guard let pieces = Self.pieces(of: phrase) else { continue }
                let ids = pieces.map { piece in
                    if let id = pieceIDs[piece] { return id }
                    pieceIDs[piece] = pieceIDs.count
                    return pieceIDs.count - 1
                }
                phrases.append((Self.bit(section), ids))
            }
        }
        var ordered = [String](repeating: "", count: pieceIDs.count)
        for (piece, id) in pieceIDs { ordered[id] = piece }
        pieces = PhraseSet(ordered.map { "*\($0)*" })
        self.phrases = phrases
    }

    static func bit(_ section: Lexicon.Section) -> UInt32 {
        1 << UInt32(Lexicon.Section.allCases.firstIndex(of: section)!)
    }

    /// The runs of ASCII letters and digits of a normalized phrase (stem marks dropped); nil when the
    /// phrase holds a letter or digit outside ASCII; empty when it has none at all.
    static func pieces(of phrase: String) -> [String]? {
        if phrase.unicodeScalars.contains(where: { !$0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) }) {
            return nil
        }
        let pieces = phrase.utf8.split { !TextNormalizer.isASCIIAlphanumeric($0) }
            .map { String(decoding: $0.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self) }
        // Pieces of one or two letters ("a", "to") occur inside nearly every text and would cost a look
        // at every few bytes; a phrase with a longer piece needs only those (fewer pieces to find can
        // only make the screen say "may concern" more often).
        let long = pieces.filter { $0.utf8.count >= 3 }
        return long.isEmpty ? pieces : long
    }

    public func mayConcern(runs: String) -> Bool {
        var seen = [Bool](repeating: false, count: pieces.phrases.count)
        for id in pieces.matches(in: runs) { seen[id] = true }
        var found: UInt32 = 0
        for phrase in phrases where found & phrase.sections == 0 && phrase.pieces.allSatisfy({ seen[$0] }) {
            found |= phrase.sections
        }
        return Detector.mayConcern { found & Self.bit($0) != 0 }
    }

    public func mayConcern(displayName: String) -> Bool {
        Detector.mayConcern(lexicon.scan(TextNormalizer.normalize(displayName)))
    }
}
