import Crypto
import FoundationEssentials  // DataProtocol, which swift-crypto's update takes

/// HMAC-SHA256 through swift-crypto, whose SHA-256 on Linux is BoringSSL's: it uses the CPU's SHA
/// extensions (or AVX2/SSSE3 code) where present, where GLib's checksum code, used before, is portable C.
/// Fed in pieces, so a caller can digest bytes it selects as it reads them instead of collecting them
/// into one array first.
public struct HMACSHA256 {
    private var state: HMAC<SHA256>

    public init(key: [UInt8]) {
        state = HMAC(key: SymmetricKey(data: key))
    }

    /// HMAC-SHA256 of `data` under `key`, as lower-case hex, in one call.
    public static func hex(of data: [UInt8], key: [UInt8]) -> String {
        var mac = HMACSHA256(key: key)
        mac.update(data)
        return mac.hex()
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        state.update(data: bytes)
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { state.update(data: $0) }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// The code so far, as lower-case hex.
    public func hex() -> String {
        state.finalize().withUnsafeBytes { code in
            String(unsafeUninitializedCapacity: code.count * 2) { out in
                for (i, byte) in code.enumerated() {
                    out[2 * i] = Self.digits[Int(byte >> 4)]
                    out[2 * i + 1] = Self.digits[Int(byte & 0x0F)]
                }
                return code.count * 2
            }
        }
    }
}
