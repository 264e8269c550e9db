import Crypto
import Foundation
import JSONCoding
import Kernel

/// Bearer secrets: 32 random bytes, shown once, stored only as a SHA-256 digest. (A fast digest is
/// right here: unlike passwords, these secrets carry 256 bits of entropy.)
public enum Secrets {
    public static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let encoded = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + encoded
    }

    public static func digest(_ secret: String) -> String {
        Hex.encode(SHA256.hash(data: Array(secret.utf8)))
    }
}
