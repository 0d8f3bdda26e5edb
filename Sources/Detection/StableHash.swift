/// A 64-bit FNV-1a hash as hex: the same input gives the same key in every process and after restarts
/// (Swift's `Hasher` is seeded per process), for fingerprints and recipient keys that are stored.
public enum StableHash {
    public static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }

    /// A mail address's key: the hash of the lower-cased address (the state's recipient keys and the
    /// audit log's hashed recipients are the same value).
    public static func address(_ address: String) -> String { hex(address.lowercased()) }
}
