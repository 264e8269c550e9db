import Calendars
import Foundation

/// Writes an Encodable as JSON text in one pass, straight into bytes: keys in declaration order,
/// instants as ISO 8601 with milliseconds, absent optionals omitted (like `VigilJSON.encoder`,
/// without sorting). Responses go through here: a page of 50 cases through Foundation's
/// JSONEncoder (which builds a tree of boxed values first) was 40% of the list endpoint's time.
public enum StreamingJSON {
    public static func encode(_ value: some Encodable) throws -> Data {
        if let writable = value as? any JSONWritable {
            var buffer = JSONBuffer()
            writable.writeJSON(to: &buffer)
            return Data(buffer.bytes)
        }
        let writer = StreamingJSONWriter()
        try writer.write(value)
        // A superclass encoding through superEncoder() needs a place that is filled later; the
        // one-pass writer has none, so such a value goes through the tree encoder instead.
        if writer.needsTree { return Data(try JSONValueEncoder.encode(value).jsonText.utf8) }
        return Data(writer.bytes)
    }
}

private final class StreamingJSONWriter: Encoder {
    var bytes: [UInt8] = []
    /// Open containers, innermost last: true for objects, false for arrays; and whether the
    /// container has a member yet (for commas).
    /// Kinds of the open containers (true: object), innermost last, and whether the innermost
    /// has a member yet; the outer ones' flags wait in `outerHasMember`. (Scalars rather than
    /// tuple elements: every access to a class's stored property is checked for exclusivity.)
    private var open: [Bool] = []
    private var hasMember = false
    private var outerHasMember: [Bool] = []
    /// How many containers were open when the value being encoded started: a container requested
    /// at that depth is the value's own; one requested deeper is the value asking again.
    private var valueDepth = 0
    /// Set when a value asked for a super encoder (see `StreamingJSON.encode`).
    var needsTree = false
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init() { bytes.reserveCapacity(4096) }

    /// Writes one value, closing whatever containers its encode(to:) opened.
    func write<T: Encodable>(_ value: T) throws {
        switch value {
        case let date as Date:
            writeString(ISO8601.format(date))
        case let string as String:
            writeString(string)
        case let url as URL:
            writeString(url.absoluteString)
        case let data as Data:
            writeString(data.base64EncodedString())
        case let json as JSONValue:
            bytes.append(contentsOf: json.jsonText.utf8)
        case let decimal as Decimal:
            // As Foundation writes it: a number, not Decimal's keyed Codable form.
            guard decimal.isFinite else { throw JSONNumberError(value: decimal.description) }
            writeRaw(decimal.description)
        default:
            let depth = open.count
            let start = bytes.count
            let outer = valueDepth
            valueDepth = depth
            defer { valueDepth = outer }
            try value.encode(to: self)
            if bytes.count == start && open.count == depth {
                bytes.append(contentsOf: "{}".utf8)  // encoded nothing, as JSONEncoder writes an empty object
            }
            while open.count > depth { close() }
        }
    }

    private func close() {
        let isObject = open.removeLast()
        hasMember = outerHasMember.removeLast()
        bytes.append(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
    }

    /// Closes the containers opened inside the one at `depth`: a nested container ends when its
    /// parent is written to again (`{"a":{"c":1},"b":2}`, not `{"a":{"c":1,"b":2}}`).
    func closeAbove(_ depth: Int) {
        while open.count > depth { close() }
    }

    /// The depth of the value's own container, opening it if the value has none yet.
    private func ownContainer(object: Bool) -> Int {
        if open.count == valueDepth { openContainer(object: object) }
        return valueDepth + 1
    }

    /// Separates members and writes the key of the next object member.
    func beginMember(_ key: String) {
        if hasMember { bytes.append(UInt8(ascii: ",")) }
        hasMember = true
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    func beginElement() {
        if hasMember { bytes.append(UInt8(ascii: ",")) }
        hasMember = true
    }

    func openContainer(object: Bool) {
        bytes.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        open.append(object)
        outerHasMember.append(hasMember)
        hasMember = false
    }

    func writeRaw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    func writeDouble(_ value: Double) throws { writeRaw(try JSONNumberText.text(value)) }
    func writeFloat(_ value: Float) throws { writeRaw(try JSONNumberText.text(value)) }
    func writeInteger(_ value: some BinaryInteger) { writeRaw(String(value)) }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    func writeString(_ text: String) {
        let utf8 = text.utf8
        // Most strings need no escaping: one append instead of one per byte.
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        var escaped: [UInt8] = [UInt8(ascii: "\"")]
        escaped.reserveCapacity(utf8.count + 8)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): escaped.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): escaped.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: escaped.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: escaped.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: escaped.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                escaped.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                escaped.append(StreamingJSONWriter.hexDigits[Int(byte >> 4)])
                escaped.append(StreamingJSONWriter.hexDigits[Int(byte & 0x0F)])
            default: escaped.append(byte)
            }
        }
        escaped.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: escaped)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(StreamingKeyedContainer<Key>(writer: self, depth: ownContainer(object: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        StreamingUnkeyedContainer(writer: self, depth: ownContainer(object: false))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { StreamingSingleContainer(writer: self) }

    /// Marks the value for the tree encoder and gives the caller somewhere harmless to write.
    func superEncoder() -> any Encoder {
        needsTree = true
        return StreamingJSONWriter()
    }
}

private struct StreamingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: StreamingJSONWriter
    /// The writer's depth with this container innermost.
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { member(key); writer.writeRaw("null") }
    mutating func encode(_ value: Bool, forKey key: Key) throws { member(key); writer.writeRaw(value ? "true" : "false") }
    mutating func encode(_ value: String, forKey key: Key) throws { member(key); writer.writeString(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { member(key); try writer.writeDouble(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { member(key); try writer.writeFloat(value) }
    // Every fixed-width integer has its own overload: without one, the generic method below is the
    // witness, and it would call the value's encode(to:), which asks for this same method again.
    mutating func encode(_ value: Int, forKey key: Key) throws { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { member(key); writer.writeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        member(key)
        try writer.write(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        member(key)
        writer.openContainer(object: true)
        return KeyedEncodingContainer(StreamingKeyedContainer<NestedKey>(writer: writer, depth: depth + 1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        member(key)
        writer.openContainer(object: false)
        return StreamingUnkeyedContainer(writer: writer, depth: depth + 1)
    }

    mutating func superEncoder() -> any Encoder { writer.superEncoder() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { writer.superEncoder() }

    private func member(_ key: Key) {
        writer.closeAbove(depth)
        writer.beginMember(key.stringValue)
    }
}

private struct StreamingUnkeyedContainer: UnkeyedEncodingContainer {
    let writer: StreamingJSONWriter
    /// The writer's depth with this container innermost.
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    private(set) var count = 0

    init(writer: StreamingJSONWriter, depth: Int) {
        self.writer = writer
        self.depth = depth
    }

    private func element() {
        writer.closeAbove(depth)
        writer.beginElement()
    }

    mutating func encodeNil() throws { element(); writer.writeRaw("null"); count += 1 }
    mutating func encode(_ value: Bool) throws { element(); writer.writeRaw(value ? "true" : "false"); count += 1 }
    mutating func encode(_ value: String) throws { element(); writer.writeString(value); count += 1 }
    mutating func encode(_ value: Double) throws { element(); try writer.writeDouble(value); count += 1 }
    mutating func encode(_ value: Float) throws { element(); try writer.writeFloat(value); count += 1 }
    mutating func encode(_ value: Int) throws { integer(value) }
    mutating func encode(_ value: Int8) throws { integer(value) }
    mutating func encode(_ value: Int16) throws { integer(value) }
    mutating func encode(_ value: Int32) throws { integer(value) }
    mutating func encode(_ value: Int64) throws { integer(value) }
    mutating func encode(_ value: UInt) throws { integer(value) }
    mutating func encode(_ value: UInt8) throws { integer(value) }
    mutating func encode(_ value: UInt16) throws { integer(value) }
    mutating func encode(_ value: UInt32) throws { integer(value) }
    mutating func encode(_ value: UInt64) throws { integer(value) }
    private mutating func integer(_ value: some BinaryInteger) { element(); writer.writeInteger(value); count += 1 }
    mutating func encode<T: Encodable>(_ value: T) throws {
        element()
        try writer.write(value)
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        element()
        writer.openContainer(object: true)
        count += 1
        return KeyedEncodingContainer(StreamingKeyedContainer<NestedKey>(writer: writer, depth: depth + 1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        element()
        writer.openContainer(object: false)
        count += 1
        return StreamingUnkeyedContainer(writer: writer, depth: depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        count += 1
        return writer.superEncoder()
    }
}

private struct StreamingSingleContainer: SingleValueEncodingContainer {
    let writer: StreamingJSONWriter
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { writer.writeRaw("null") }
    mutating func encode(_ value: Bool) throws { writer.writeRaw(value ? "true" : "false") }
    mutating func encode(_ value: String) throws { writer.writeString(value) }
    mutating func encode(_ value: Double) throws { try writer.writeDouble(value) }
    mutating func encode(_ value: Float) throws { try writer.writeFloat(value) }
    mutating func encode(_ value: Int) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { writer.writeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.write(value) }
}
