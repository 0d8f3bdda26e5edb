import CGMime

/// Keyed digests from GLib's checksum code, which the process already links.
public enum Digest {
    /// HMAC-SHA256 of `data` under `key`, as lower-case hex (GLib's checksum code).
    public static func hmacSHA256Hex(key: [UInt8], data: [UInt8]) -> String {
        key.withUnsafeBufferPointer { keyBuffer in
            data.withUnsafeBufferPointer { bytes in
                guard let pointer = gcm_hmac_sha256_hex(keyBuffer.baseAddress, keyBuffer.count, bytes.baseAddress, bytes.count) else { return "" }
                defer { gcm_free(pointer) }
                return String(cString: pointer)
            }
        }
    }
}
