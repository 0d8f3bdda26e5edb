import CICU

/// The system ICU's normalizer, confusable skeletons and IDNA, through the `CICU` C target.
enum ICU {
    /// NFKC with case folding and default-ignorable characters removed (Unicode's NFKC_Casefold).
    static func nfkcCasefolded(_ text: String) -> String { utf16(text, gcm_icu_nfkc_casefold) ?? text }

    /// Canonical decomposition, so accents become separate combining marks.
    static func decomposed(_ text: String) -> String { utf16(text, gcm_icu_nfd) ?? text }

    /// The UTS #39 confusable skeleton: two strings that look alike have the same skeleton.
    static func skeleton(_ text: String) -> String { utf16(text, gcm_icu_skeleton) ?? text }

    /// True when the text mixes scripts the way UTS #39 flags (Latin with Cyrillic, say), or holds
    /// invisible characters or digits of several systems.
    static func looksSpoofed(_ text: String) -> Bool {
        let units = Array(text.utf16)
        guard !units.isEmpty else { return false }
        return units.withUnsafeBufferPointer { gcm_icu_spoof_check($0.baseAddress, Int32($0.count)) } == 1
    }

    /// UTS #46 ToASCII (punycode), or nil for a name IDNA rejects.
    static func domainToASCII(_ name: String) -> String? { utf8(name, gcm_icu_domain_to_ascii) }

    /// UTS #46 ToUnicode, or nil for a name IDNA rejects.
    static func domainToUnicode(_ name: String) -> String? { utf8(name, gcm_icu_domain_to_unicode) }

    private typealias Call<Unit> = (UnsafePointer<Unit>?, Int32, UnsafeMutablePointer<Unit>?, Int32, UnsafeMutablePointer<Int32>?) -> Int32

    /// Runs a UTF-16 → UTF-16 ICU call; empty text stays empty.
    private static func utf16(_ text: String, _ call: Call<UInt16>) -> String? {
        let source = Array(text.utf16)
        if source.isEmpty { return "" }
        return run(call, on: source, capacity: source.count * 2 + 16).map { String(decoding: $0, as: UTF16.self) }
    }

    /// Runs a UTF-8 → UTF-8 ICU call (IDNA); empty input or output is no name.
    private static func utf8(_ text: String, _ call: Call<CChar>) -> String? {
        let source = text.utf8.map { CChar(bitPattern: $0) }
        if source.isEmpty { return nil }
        guard let output = run(call, on: source, capacity: source.count * 4 + 16), !output.isEmpty else { return nil }
        return String(decoding: output.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Calls ICU with an output buffer, growing it once if ICU asks for more room; nil on an ICU error.
    private static func run<Unit: FixedWidthInteger>(_ call: Call<Unit>, on source: [Unit], capacity initial: Int) -> ArraySlice<Unit>? {
        var capacity = initial
        for _ in 0..<2 {
            var output = [Unit](repeating: 0, count: capacity)
            var overflow: Int32 = 0
            let length = source.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { call(input.baseAddress, Int32(input.count), $0.baseAddress, Int32(capacity), &overflow) }
            }
            if overflow != 0 { capacity = Int(length) + 1; continue }
            guard length >= 0 else { return nil }
            return output.prefix(Int(length))
        }
        return nil
    }
}

/// UTS #39 confusable skeletons for comparing names that may imitate each other (domains, brands).
public enum ConfusableSkeleton {
    /// The lower-cased skeleton: "аmazon" (Cyrillic а), "arnazon" and "amazon" share one.
    public static func of(_ text: String) -> String {
        ICU.skeleton(text.lowercased()).lowercased()
    }
}
