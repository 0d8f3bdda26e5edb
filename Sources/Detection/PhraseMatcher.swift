import Foundation

/// Whole-word phrase search on normalized text.
enum PhraseMatcher {
    /// True when `phrase` occurs in `text` with no letter or digit directly before or after it.
    /// Arabic phrases may carry attached prefixes (ال, و, ب, ل), so only their end is checked.
    static func containsWords(_ text: String, _ phrase: String) -> Bool {
        guard !phrase.isEmpty else { return false }
        let arabic = phrase.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) }
        var searchStart = text.startIndex
        while let range = text.range(of: phrase, range: searchStart..<text.endIndex) {
            let beforeOK = arabic || range.lowerBound == text.startIndex
                || !isWordCharacter(text[text.index(before: range.lowerBound)])
            let afterOK = range.upperBound == text.endIndex || !isWordCharacter(text[range.upperBound])
                || (arabic && phrase.count >= 4)
            if beforeOK && afterOK { return true }
            searchStart = text.index(after: range.lowerBound)
        }
        return false
    }

    static func isWordCharacter(_ ch: Character) -> Bool { ch.isLetter || ch.isNumber }
}
