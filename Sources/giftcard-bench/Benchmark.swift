import Actions
import CGMime
import Correlation
import Detection
import Foundation
import MailView
import MallocInterposerSwift

/// Measures the message view (parse + normalize) and detection on synthetic messages, one core,
/// and prints medians, 99th percentiles, messages per second and peak resident memory.
/// Run with `scripts/bench` (release build). Numbers go to docs/benchmarks.md and the closing notes.
@main
enum Benchmark {
    static func main() {
        let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 2000
        if countsAllocations, !interposerIsPreloaded() {
            print("--allocations needs malloc-interposer preloaded: run scripts/bench")
            exit(2)
        }
        let small = Messages.alternative(targetBytes: 20 * 1024)
        if let index = CommandLine.arguments.firstIndex(of: "--write"), index + 1 < CommandLine.arguments.count {
            // The 20 KB message as a file, to measure the C libraries alone on the same input.
            _ = FileManager.default.createFile(atPath: CommandLine.arguments[index + 1], contents: Data(small))
            return
        }
        if CommandLine.arguments.contains("--profile-detect") || CommandLine.arguments.contains("--profile-lure") {
            let lure = CommandLine.arguments.contains("--profile-lure")
            let view = MessageParser.parse(RawMessage(parsing: lure ? Messages.lure(targetBytes: 20 * 1024) : small))
            let detector = Detector(trustedAuthservIDs: ["mx.example.org"])
            for _ in 0..<iterations { _ = detector.evaluate(view) }
            return
        }
        let scam = Verdict(kind: .suspicious, score: 90, reasons: [.callbackPhone, .lookalikeDomain], brand: "amazon",
                           language: "en", explanation: "")
        let banner = Banner(verdict: scam, brandNames: ["Amazon"], templates: .builtIn, seal: BannerSeal(key: [1, 2, 3], messageID: "bench@example", fallback: ""))!
        let smallRaw = RawMessage(parsing: small)
        let smallOutline = MessageParser.parse(smallRaw, details: false).outline
        if CommandLine.arguments.contains("--profile-banner") {
            for _ in 0..<iterations { _ = BannerInserter.insert(banner, outline: smallOutline, headers: smallRaw.headers, body: smallRaw.body) }
            return
        }
        if CommandLine.arguments.contains("--profile-full") || CommandLine.arguments.contains("--profile-clean")
            || CommandLine.arguments.contains("--profile-clean-html") {
            // Parse and detect as the milter does (screened), the 20 KB confirmation or a clean newsletter, for perf.
            let detector = Detector(trustedAuthservIDs: ["mx.example.org"])
            let bytes = CommandLine.arguments.contains("--profile-clean") ? Messages.newsletter()
                : CommandLine.arguments.contains("--profile-clean-html") ? Messages.newsletter(htmlOnly: true) : small
            for _ in 0..<iterations {
                _ = detector.evaluate(lazily: MessageParser.parse(RawMessage(parsing: bytes), details: false, screen: detector.screen))
            }
            return
        }
        if CommandLine.arguments.contains("--profile") {
            // Only the 20 KB parse as clean mail gets it (no details), for perf: `valgrind --tool=callgrind giftcard-bench 200 --profile`.
            for _ in 0..<iterations { _ = MessageParser.parse(RawMessage(parsing: small), details: false) }
            return
        }
        if let index = CommandLine.arguments.firstIndex(of: "--state-latency"), index + 2 < CommandLine.arguments.count {
            StateLatency.run(url: CommandLine.arguments[index + 1], passwordFile: CommandLine.arguments[index + 2], iterations: iterations)
            return
        }
        let withAttachment = Messages.alternative(targetBytes: 20 * 1024, attachmentBytes: 10 * 1024 * 1024)
        print("message sizes: \(small.count) bytes; with attachment \(withAttachment.count) bytes")

        var whole = MessageLimits()
        whole.maxBodyBytes = 64 * 1024 * 1024
        let detector = Detector(trustedAuthservIDs: ["mx.example.org"])

        report("parse+normalize 20 KB multipart/alternative", iterations) {
            _ = MessageParser.parse(RawMessage(parsing: small))
        }
        report("parse without details (mail without gift-card words)", iterations) {
            _ = MessageParser.parse(RawMessage(parsing: small), details: false)
        }
        let view = MessageParser.parse(RawMessage(parsing: small))
        report("detect on the parsed 20 KB view", iterations * 5) {
            _ = detector.evaluate(view)
        }
        let lureView = MessageParser.parse(RawMessage(parsing: Messages.lure(targetBytes: 20 * 1024)))
        report("detect on a parsed 20 KB reward lure", iterations * 5) {
            _ = detector.evaluate(lureView)
        }
        report("parse+normalize+detect 20 KB", iterations) {
            _ = detector.evaluate(MessageParser.parse(RawMessage(parsing: small)))
        }
        // As the milter judges (no details, lazily), with the pre-screen and without it (issue 24), on the
        // gift-card confirmation (the screen cannot clear it: its pass is extra) and on clean newsletters.
        let newsletter = Messages.newsletter(), htmlNewsletter = Messages.newsletter(htmlOnly: true)
        for (label, bytes) in [("20 KB confirmation", small), ("20 KB clean newsletter", newsletter), ("12 KB clean HTML-only newsletter", htmlNewsletter)] {
            report("milter path, \(label), screened", iterations) {
                _ = detector.evaluate(lazily: MessageParser.parse(RawMessage(parsing: bytes), details: false, screen: detector.screen))
            }
            report("milter path, \(label), no screen (before)", iterations) {
                _ = detector.evaluate(lazily: MessageParser.parse(RawMessage(parsing: bytes), details: false))
            }
        }
        report("banner into both parts of the 20 KB message (view's outline)", iterations) {
            _ = BannerInserter.insert(banner, outline: smallOutline, headers: smallRaw.headers, body: smallRaw.body)
        }
        // The seal's HMAC-SHA256 over a 20 KB part: swift-crypto (BoringSSL, what the seal uses) beside
        // GLib's portable code (what it used before issue 24), in one run.
        let sealKey = [UInt8](repeating: 7, count: 32)
        report("seal HMAC-SHA256 of 20 KB, swift-crypto", iterations) {
            _ = HMACSHA256.hex(of: small, key: sealKey)
        }
        report("seal HMAC-SHA256 of 20 KB, GLib (before)", iterations) {
            _ = sealKey.withUnsafeBufferPointer { k in
                small.withUnsafeBufferPointer { d in gcm_hmac_sha256_hex(k.baseAddress, k.count, d.baseAddress, d.count).map { gcm_free($0) } }
            }
        }
        report("same + 10 MB attachment, default limits (2 MiB kept)", max(20, iterations / 20)) {
            _ = MessageParser.parse(RawMessage(parsing: withAttachment))
        }
        report("same + 10 MB attachment, whole message parsed", max(20, iterations / 20)) {
            _ = MessageParser.parse(RawMessage(parsing: withAttachment, limits: whole), limits: whole)
        }
        // State look-ups must not grow with history: the same record-and-count on a fresh store and on
        // one holding 100,000 earlier sightings.
        for history in [0, 100_000] {
            guard let store = try? SQLiteCorrelationStore(path: nil, maxRows: 1_000_000) else { continue }
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            for index in 0..<history {
                _ = try? store.recordConfirmation(fingerprint: "old\(index % 5000)", recipients: ["r\(index)@x"],
                                                  at: start.addingTimeInterval(Double(index) * 0.01), window: 3600)
            }
            var counter = 0
            report("correlation record+count, \(history) rows of history", iterations) {
                counter += 1
                _ = try? store.recordConfirmation(fingerprint: "new\(counter % 50)", recipients: ["n\(counter)@x"],
                                                  at: start.addingTimeInterval(2000 + Double(counter) * 0.01), window: 3600)
            }
        }
        guard !countsAllocations else { return }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("peak resident memory: \(usage.ru_maxrss / 1024) MiB")
    }

    /// `--allocations`: each case reports heap allocations per call instead of times (scripts/bench runs
    /// the cases a second time so). malloc-interposer is linked, so it is in the timed run too, passing
    /// each allocation through with a 16-byte header and no counting.
    static let countsAllocations = CommandLine.arguments.contains("--allocations")

    /// Allocations per call of `body`, over `count` calls after a warm-up (malloc, calloc, realloc,
    /// posix_memalign, as malloc-interposer counts them on every thread).
    static func allocations(_ label: String, _ count: Int, _ body: () -> Void) {
        for _ in 0..<min(20, count) { body() }
        MallocInterposerSwift.reset()
        MallocInterposerSwift.hook()
        for _ in 0..<count { body() }
        MallocInterposerSwift.unhook()
        let statistics = MallocInterposerSwift.getStatistics()
        let name = label.padding(toLength: 58, withPad: " ", startingAt: 0)
        print(name + String(format: " %10.1f allocations  %12.0f bytes per call", Double(statistics.mallocCount) / Double(count),
                            Double(statistics.mallocBytesCount) / Double(count)))
    }

    /// Whether malloc-interposer is preloaded: a counted region that allocates must count something.
    static func interposerIsPreloaded() -> Bool {
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        escaped = [UInt8](repeating: 1, count: Int.random(in: 64...128))  // kept, so it is a heap allocation
        MallocInterposerSwift.unhook()
        return MallocInterposerSwift.getStatistics().mallocCount > 0
    }

    nonisolated(unsafe) static var escaped: [UInt8] = []

    /// Three rounds after a warm-up; the round with the lowest median is reported, because on a shared
    /// VM other tenants only ever make a round slower.
    static func report(_ label: String, _ count: Int, _ body: () -> Void) {
        if countsAllocations { return allocations(label, min(count, 200), body) }
        for _ in 0..<min(50, count) { body() } // warm-up
        var best: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<3 {
            var samples: [Double] = []
            samples.reserveCapacity(count)
            for _ in 0..<count {
                let elapsed = clock.measure(body)
                samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            }
            samples.sort()
            if best.isEmpty || samples[samples.count / 2] < best[best.count / 2] { best = samples }
        }
        let samples = best
        let median = samples[samples.count / 2]
        let p99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
        let total = samples.reduce(0, +)
        let name = label.padding(toLength: 58, withPad: " ", startingAt: 0)
        print(name + String(format: " median %8.3f ms  p99 %8.3f ms  %9.0f msg/s", median, p99, Double(count) / (total / 1000)))
    }
}
