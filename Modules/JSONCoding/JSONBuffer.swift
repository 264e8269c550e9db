import Calendars
import Foundation

/// A hand-driven JSON writer for the few shapes that are written thousands of times per second
/// (a page of cases): a type that conforms to `JSONWritable` writes its own fields, and
/// `StreamingJSON` uses that instead of its Codable conformance. Keep such a writer in step with
/// the type's Codable form; a test per type compares the two.
public struct JSONBuffer: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    /// The key of the next member; the value follows with one of the value methods.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    public mutating func string(_ text: String) { separate(); JSONBuffer.appendString(text, to: &bytes); needsComma = true }
    public mutating func integer(_ value: Int64) { separate(); bytes.append(contentsOf: String(value).utf8); needsComma = true }
    public mutating func integer(_ value: Int) { integer(Int64(value)) }
    public mutating func bool(_ value: Bool) { separate(); bytes.append(contentsOf: (value ? "true" : "false").utf8); needsComma = true }
    public mutating func null() { separate(); bytes.append(contentsOf: "null".utf8); needsComma = true }
    public mutating func date(_ date: Date) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        ISO8601.append(date, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func number(_ value: Double) {
        separate()
        bytes.append(contentsOf: JSONNumberText.textOrNull(value).utf8)
        needsComma = true
    }

    /// Optional members are left out when absent, as the synthesized Codable forms do.
    public mutating func string(_ name: StaticString, _ value: String?) { if let value { key(name); string(value) } }
    public mutating func date(_ name: StaticString, _ value: Date?) { if let value { key(name); date(value) } }
    public mutating func number(_ name: StaticString, _ value: Double?) { if let value { key(name); number(value) } }

    /// Splices bytes written elsewhere (a whole value).
    public mutating func raw(_ data: [UInt8]) { separate(); bytes.append(contentsOf: data); needsComma = true }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        let utf8 = text.utf8
        bytes.append(UInt8(ascii: "\""))
        // Most text needs no escaping: scan the string's own bytes with a plain loop and copy them
        // in one go (the closure-based `contains` over the UTF-8 view showed in list profiles).
        let copied =
            utf8.withContiguousStorageIfAvailable { raw -> Bool in
                for byte in raw where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
                bytes.append(contentsOf: raw)
                return true
            } ?? false
        if !copied {
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0..<0x20:
                    bytes.append(contentsOf: [
                        UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)],
                    ])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A type that writes its own JSON (see `JSONBuffer`).
public protocol JSONWritable {
    func writeJSON(to buffer: inout JSONBuffer)
}
