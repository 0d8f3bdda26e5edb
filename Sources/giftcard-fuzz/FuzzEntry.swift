#if canImport(Glibc)
import Glibc
#endif
import Actions
import Detection
import MailView

/// One fuzz input through the whole path, each step once: splitting, MIME, charsets, HTML,
/// normalization, phone numbers, domains, then detection, then one banner insertion from the view's
/// MIME outline (MIME editing, re-encoding, charset switches), left-to-right or right-to-left by the
/// input's length: one GMime parse per input, as in the milter. Anything that
/// crashes here would crash the milter on a message. (Parsing the edited message again, as this target
/// once did, doubled the cost of every input; the unit tests parse bannered messages.)
func fuzzOne(_ bytes: [UInt8]) {
    var limits = MessageLimits()
    limits.maxBodyBytes = 1 << 20
    let raw = RawMessage(parsing: bytes, limits: limits)
    let view = MessageParser.parse(raw, limits: limits)
    _ = FuzzTarget.detector.evaluate(view)
    _ = BannerInserter.insert(FuzzTarget.banners[bytes.count % FuzzTarget.banners.count], outline: view.outline,
                              headers: raw.headers, body: raw.body)
}

/// One input to the target GIFTCARD_FUZZ_TARGET names: `message` (the default, `fuzzOne`),
/// `auth-results` (`AuthResultsBoundary`), `pdf` (`pdfOne`) or `screen` (`ScreenTarget`).
func fuzzInput(_ bytes: [UInt8]) {
    switch FuzzTarget.name {
    case "auth-results": AuthResultsBoundary.check(bytes)
    case "pdf": pdfOne(bytes)
    case "screen": ScreenTarget.check(bytes)
    default: fuzzOne(bytes)
    }
}

/// One input as a PDF attachment's bytes, through the real helper process: whatever the helper does with
/// it (crash, hang, exhaust its limits, print garbage), the milter's side returns within the deadline and
/// a second, and never traps. A helper that cannot be found is a fault of the run, not a pass.
func pdfOne(_ bytes: [UInt8]) {
    guard PDFText.helper != nil else { fatalError("pdf fuzzing needs giftcard-pdftext (GIFTCARD_PDFTEXT)") }
    let started = ContinuousClock.now
    let result = PDFText.extract(bytes, timeout: .seconds(2))
    if ContinuousClock.now - started > .seconds(3) { fatalError("the PDF helper held the caller past its deadline: \(result)") }
    if case .success(let text) = result, text.utf8.count > PDFText.maximumText + 4 { fatalError("more text than the limit") }
}

enum FuzzTarget {
    static let name = getenv("GIFTCARD_FUZZ_TARGET").map { String(cString: $0) } ?? "message"
    static let detector = Detector(trustedAuthservIDs: ["mx.example.org"])
    /// A left-to-right and a right-to-left banner, so charset conversion and entity paths both run.
    static let banners: [Banner] = ["fr", "ar"].compactMap { language in
        Banner(verdict: Verdict(kind: .suspicious, score: 90, reasons: [.callbackPhone], brand: "amazon", language: language,
                                explanation: ""), brandNames: ["Amazon", "أمازون"], templates: .builtIn, seal: BannerSeal(key: [1, 2, 3], messageID: "bench@example", fallback: ""))
    }
}

#if FUZZING
/// libFuzzer's entry point (built with `-sanitize=fuzzer,address -DFUZZING`; see scripts/fuzz).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzInput(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// SwiftPM links an executable's `main` to `<module>_main`; here that hands control to libFuzzer's
/// driver (its own `main` is then not linked in).
@_cdecl("giftcard_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzTestOneInput(data, size) }
}
#else
/// Without libFuzzer the same entry point replays files, so a crash input can be rerun under a debugger.
@main
enum Replay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--screen-check" { exit(ScreenTarget.replay(Array(arguments.dropFirst()))) }
        for path in arguments {
            guard fopen(path, "rb").map({ fclose($0) }) != nil else { continue }
            fuzzInput(readFile(path))
            print("ok \(path)")
        }
    }
}
#endif
