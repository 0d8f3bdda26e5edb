import CGMime
import MailView
import ScreenCheck
import Testing

/// The seal's HMAC-SHA256 moved from GLib's portable code to swift-crypto (BoringSSL, hardware SHA where
/// the CPU has it). A banner reference written before must still be recognised after, so the bytes out
/// must be the same: checked against RFC 4231's vectors and against GLib on generated keys and data.
@Suite struct HMACSHA256Tests {
    /// GLib's HMAC-SHA256, the implementation used before (independent of BoringSSL).
    static func glib(key: [UInt8], data: [UInt8]) -> String {
        key.withUnsafeBufferPointer { k in
            data.withUnsafeBufferPointer { d in
                guard let hex = gcm_hmac_sha256_hex(k.baseAddress, k.count, d.baseAddress, d.count) else { return "" }
                defer { gcm_free(hex) }
                return String(cString: hex)
            }
        }
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8).map { $0 <= 0x39 ? $0 - 0x30 : ($0 | 0x20) - 0x61 + 10 }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    @Test(arguments: [
        // RFC 4231 test cases 1, 2, 3, 4, 6 (a key longer than SHA-256's block) and 7.
        ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("4a656665", Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (String(repeating: "aa", count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ("0102030405060708090a0b0c0d0e0f10111213141516171819", [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        (String(repeating: "aa", count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (String(repeating: "aa", count: 131),
         Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func rfc4231Vectors(key: String, data: [UInt8], expected: String) {
        #expect(HMACSHA256.hex(of: data, key: Self.bytes(hex: key)) == expected)
        #expect(Self.glib(key: Self.bytes(hex: key), data: data) == expected)
    }

    @Test func generatedKeysAndDataGiveGLibsBytesInOneUpdateOrMany() {
        var random = SplitMix64(seed: 0x6763_6d5f_7365_616c)
        // Keys of every length around SHA-256's 64-byte block, empty and long data, any bytes.
        for round in 0..<2000 {
            let key = (0..<Int(random.next() % 150)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let length = round % 10 == 0 ? Int(random.next() % 70_000) : Int(random.next() % 600)
            let data = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let expected = Self.glib(key: key, data: data)
            #expect(HMACSHA256.hex(of: data, key: key) == expected, "key \(key.count) B, data \(data.count) B")
            // The same bytes fed in arbitrary pieces, as the seal feeds what it keeps of a part.
            var mac = HMACSHA256(key: key)
            var at = 0
            while at < data.count {
                let end = min(data.count, at + Int(random.next() % 5000))
                data[at..<end].withUnsafeBytes { mac.update($0) }
                at = end
            }
            #expect(mac.hex() == expected, "pieces: key \(key.count) B, data \(data.count) B")
        }
    }
}
