import MailView

/// Finds many phrases in one pass over UTF-8 text (Aho–Corasick), counting only whole-word matches.
///
/// A phrase may be written as a stem: `order*` also matches "orders" and "ordered" (the word may go
/// on), `*gutschein` also matches "einkaufsgutschein" (the word may start before it), `*gutschein*`
/// both. Stems are how one entry covers a language's inflections and compounds.
///
/// Lexicons hold hundreds of phrases and every message is scanned for all of them, so one automaton
/// pass replaces hundreds of substring searches. Bytes are mapped to classes (each byte that occurs in
/// some phrase gets its own class, all others share one), which keeps the transition table small.
public struct PhraseSet: Sendable {
    /// Phrases as given, by id.
    public let phrases: [String]
    private let lengths: [Int]
    private let arabic: [Bool]
    /// Whether a phrase may be preceded / followed by more letters of the same word (a `*` stem).
    private let openStart: [Bool]
    private let openEnd: [Bool]
    private let byteClass: [UInt8]
    private let classCount: Int
    /// `next state's row offset << 1 | ends a phrase`, row by state, column by byte class.
    private let transitions: [UInt32]
    /// Phrase ids ending at each state (own and inherited through failure links), flattened:
    /// state s owns `outputIDs[outputStart[s]..<outputStart[s + 1]]`.
    private let outputStart: [Int32]
    private let outputIDs: [Int32]

    public init(_ phrases: [String]) {
        self.phrases = phrases
        openStart = phrases.map { $0.hasPrefix("*") }
        openEnd = phrases.map { $0.count > 1 && $0.hasSuffix("*") }
        let encoded = phrases.map { phrase -> [UInt8] in
            var bytes = Array(phrase.utf8)
            if bytes.last == 0x2A, bytes.count > 1 { bytes.removeLast() }
            if bytes.first == 0x2A { bytes.removeFirst() }
            return bytes
        }
        lengths = encoded.map(\.count)
        arabic = phrases.map { $0.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) } }

        var classes = [UInt8](repeating: 0, count: 256)
        var next: UInt8 = 1
        for phrase in encoded {
            for byte in phrase where classes[Int(byte)] == 0 {
                classes[Int(byte)] = next
                next &+= 1
            }
        }
        byteClass = classes
        let width = Int(next)
        classCount = width

        // Trie.
        var goto: [[Int32]] = [[Int32](repeating: -1, count: width)]
        var outs: [[Int32]] = [[]]
        for (id, phrase) in encoded.enumerated() where !phrase.isEmpty {
            var state = 0
            for byte in phrase {
                let c = Int(classes[Int(byte)])
                if goto[state][c] < 0 {
                    goto[state][c] = Int32(goto.count)
                    goto.append([Int32](repeating: -1, count: width))
                    outs.append([])
                }
                state = Int(goto[state][c])
            }
            outs[state].append(Int32(id))
        }
        // Failure links, breadth first, folded into a complete transition table.
        var fail = [Int](repeating: 0, count: goto.count)
        var queue: [Int] = []
        for c in 0..<width {
            let s = goto[0][c]
            if s < 0 { goto[0][c] = 0 } else { queue.append(Int(s)) }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            outs[state] += outs[fail[state]]
            for c in 0..<width {
                let s = goto[state][c]
                if s < 0 {
                    goto[state][c] = goto[fail[state]][c]
                } else {
                    fail[Int(s)] = Int(goto[fail[state]][c])
                    queue.append(Int(s))
                }
            }
        }
        // States renumbered breadth first: the shallow states, where the walk spends most of its bytes,
        // share the first rows of the table and stay in cache (insertion order scattered them over a
        // table of a megabyte). Each entry holds where the next state's row starts, shifted left by
        // one, with the low bit set when that state ends a phrase: the walk is one chain of dependent
        // loads, and this keeps a multiplication and a second load out of it for most bytes.
        let order = [0] + queue
        var newID = [Int](repeating: 0, count: goto.count)
        for (index, state) in order.enumerated() { newID[state] = index }
        var table = [UInt32](repeating: 0, count: order.count * width)
        for (index, state) in order.enumerated() {
            for c in 0..<width {
                let target = Int(goto[state][c])
                table[index * width + c] = UInt32(newID[target] * width) << 1 | (outs[target].isEmpty ? 0 : 1)
            }
        }
        transitions = table
        var starts: [Int32] = [0]
        for state in order { starts.append(starts[starts.count - 1] + Int32(outs[state].count)) }
        outputStart = starts
        outputIDs = order.flatMap { outs[$0] }
    }

    /// Ids of the phrases found as whole words in `text`, in order of first occurrence.
    public func matches(in text: String) -> [Int] {
        var found: [Int] = []
        var seen = [Bool](repeating: false, count: phrases.count)
        walk(text, wants: { !seen[$0] }) { phrase, _ in
            if !seen[phrase] {
                seen[phrase] = true
                found.append(phrase)
            }
            return true
        }
        return found
    }

    /// One found phrase: its id and the byte offset where it starts in the text.
    public struct Occurrence: Sendable, Equatable {
        public let id: Int
        public let offset: Int
    }

    /// Every whole-word occurrence of every phrase in `text`, in text order, up to `limit`
    /// occurrences of each phrase (a word repeated a thousand times tells no more than a few).
    public func occurrences(in text: String, limit: Int = 8) -> [Occurrence] {
        var found: [Occurrence] = []
        var counts = [Int](repeating: 0, count: phrases.count)
        walk(text, wants: { counts[$0] < limit }) { phrase, offset in
            if counts[phrase] < limit {
                counts[phrase] += 1
                found.append(Occurrence(id: phrase, offset: offset))
            }
            return true
        }
        return found
    }

    /// Walks the automaton over `text` and calls `found(phraseID, startOffset)` for every whole-word
    /// match. Arabic phrases may carry attached prefixes (ال, و, ب, ل) and, when four letters or
    /// longer, suffixes, so their boundaries are not checked. `wants` is asked first, so a phrase
    /// already found often enough ("u", "you") costs no boundary checks for the rest of the text.
    private func walk(_ text: String, wants: (Int) -> Bool, _ found: (Int, Int) -> Bool) {
        var text = text
        let classCount = classCount
        // The automaton's tables through unsafe buffers: this loop runs once per byte of every
        // message, and array bounds checks and retains in it cost as much as the walk itself.
        text.withUTF8 { bytes in
            transitions.withUnsafeBufferPointer { transitions in
            byteClass.withUnsafeBufferPointer { byteClass in
            outputStart.withUnsafeBufferPointer { outputStart in
            var row = 0
            for index in 0..<bytes.count {
                let entry = transitions[row &+ Int(byteClass[Int(bytes[index])])]
                row = Int(entry >> 1)
                guard entry & 1 != 0 else { continue }
                let state = row / classCount
                let first = Int(outputStart[state])
                let last = Int(outputStart[state &+ 1])
                guard first < last else { continue }
                for slot in first..<last {
                    let phrase = Int(outputIDs[slot])
                    guard wants(phrase) else { continue }
                    let start = index + 1 - lengths[phrase]
                    let end = index + 1
                    let isArabic = arabic[phrase]
                    let beforeOK = isArabic || openStart[phrase] || !Self.wordCharacter(before: start, in: bytes)
                    let afterOK = (isArabic && lengths[phrase] >= 8) || openEnd[phrase] || !Self.wordCharacter(at: end, in: bytes)
                    if beforeOK && afterOK, !found(phrase, start) { return }
                }
            }
            }
            }
            }
        }
    }

    /// True when the scalar ending just before `offset` is a letter or digit.
    static func wordCharacter(before offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard offset > 0 else { return false }
        var start = offset - 1
        while start > 0, bytes[start] & 0xC0 == 0x80, offset - start < 4 { start -= 1 }
        return wordCharacter(at: start, in: bytes)
    }

    /// True when the scalar starting at `offset` is a letter or digit.
    static func wordCharacter(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var iterator = UTF8ScalarIterator(bytes, offset: offset)
        guard let (value, _) = iterator.next() else { return false }
        if value < 0x80 { return TextNormalizer.isASCIIAlphanumeric(UInt8(value)) }
        guard let scalar = Unicode.Scalar(value) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
