#if canImport(Glibc)
import Glibc
#endif
import Detection
import MailView

/// One fuzz input through the whole parse path: splitting, MIME, charsets, HTML, normalization, phone
/// numbers, domains, then detection. Anything that crashes here would crash the milter on a message.
func fuzzOne(_ bytes: [UInt8]) {
    var limits = MessageLimits()
    limits.maxBodyBytes = 1 << 20
    let view = MessageParser.parse(RawMessage(parsing: bytes, limits: limits), limits: limits)
    _ = FuzzTarget.detector.evaluate(view)
}

enum FuzzTarget {
    static let detector = Detector(trustedAuthservIDs: ["mx.example.org"])
}

#if FUZZING
/// libFuzzer's entry point (built with `-sanitize=fuzzer,address -DFUZZING`; see scripts/fuzz).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
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
        for path in CommandLine.arguments.dropFirst() {
            guard let handle = fopen(path, "rb") else { continue }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = fread(&buffer, 1, buffer.count, handle)
                if count <= 0 { break }
                bytes += buffer[0..<count]
            }
            fclose(handle)
            fuzzOne(bytes)
            print("ok \(path)")
        }
    }
}
#endif
