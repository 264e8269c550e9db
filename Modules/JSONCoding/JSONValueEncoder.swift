import Calendars
import Foundation

/// Encodes any Encodable straight into a `JSONValue`, with the same conventions as `VigilJSON`
/// (instants as ISO 8601 text with milliseconds, absent optionals omitted), without going through
/// JSON text and back.
public enum JSONValueEncoder {
    public static func encode(_ value: some Encodable) throws -> JSONValue {
        try ValueEncoder.node(for: value, at: []).resolved
    }
}

/// A value under construction: containers are references so that nested encoders can fill them.
private enum Node {
    case value(JSONValue)
    case object(ObjectBox)
    case array(ArrayBox)
    /// A super encoder's place, resolved to whatever was written through it (an object, an array
    /// or a single value), or an empty object if nothing was.
    case encoder(ValueEncoder)

    var resolved: JSONValue {
        switch self {
        case .value(let value): value
        case .object(let box): .object(box.members.mapValues(\.resolved))
        case .array(let box): .array(box.items.map(\.resolved))
        case .encoder(let encoder): encoder.node?.resolved ?? .object([:])
        }
    }
}

private final class ObjectBox { var members: [String: Node] = [:] }
private final class ArrayBox { var items: [Node] = [] }

private final class ValueEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: Node?

    init(codingPath: [any CodingKey]) { self.codingPath = codingPath }

    static func node(for value: some Encodable, at path: [any CodingKey]) throws -> Node {
        switch value {
        case let date as Date: return .value(.string(ISO8601.format(date)))
        case let url as URL: return .value(.string(url.absoluteString))
        case let data as Data: return .value(.string(data.base64EncodedString()))
        case let json as JSONValue: return .value(json)
        case let decimal as Decimal: return .value(try number(decimal))
        default:
            let encoder = ValueEncoder(codingPath: path)
            try value.encode(to: encoder)
            return encoder.node ?? .value(.object([:]))
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: ObjectBox
        if case .object(let existing)? = node { box = existing } else { box = ObjectBox(); node = .object(box) }
        return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: ArrayBox
        if case .array(let existing)? = node { box = existing } else { box = ArrayBox(); node = .array(box) }
        return UnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(encoder: self) }

    static func number(_ value: Double) throws -> JSONValue {
        guard value.isFinite else { throw JSONNumberError(value: value.description) }
        return .number(value)
    }

    static func number(_ value: Float) throws -> JSONValue {
        guard value.isFinite else { throw JSONNumberError(value: value.description) }
        // Through its shortest text, so 0.1 as a Float stays 0.1 and not 0.10000000149011612.
        return .number(Double(value.description) ?? Double(value))
    }

    /// Integers as `.integer`; one beyond Int64 (a UInt64 above 2^63 − 1) has no exact JSONValue
    /// form and is refused rather than rounded.
    static func integer(_ value: some BinaryInteger) throws -> JSONValue {
        guard let exact = Int64(exactly: value) else { throw JSONNumberError(value: String(value)) }
        return .integer(exact)
    }

    /// A Decimal as a JSONValue: an integer when it is one, otherwise a Double when that holds it
    /// exactly; one a Double would round (more than 17 digits) is refused rather than changed.
    static func number(_ value: Decimal) throws -> JSONValue {
        guard value.isFinite else { throw JSONNumberError(value: value.description) }
        let text = value.description
        if let integer = Int64(text) { return .integer(integer) }
        guard let double = Double(text), double.isFinite, Decimal(string: JSONNumberText.textOrNull(double), locale: Locale(identifier: "en_US_POSIX")) == value
        else {
            throw JSONNumberError(value: text)
        }
        return .number(double)
    }
}

private struct PathKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ObjectBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.members[key.stringValue] = .value(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.members[key.stringValue] = .value(.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { box.members[key.stringValue] = .value(.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { box.members[key.stringValue] = .value(try ValueEncoder.number(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { box.members[key.stringValue] = .value(try ValueEncoder.number(value)) }
    // Every fixed-width integer has its own overload: without one, the generic method below is the
    // witness, and it would call the value's encode(to:), which asks for this same method again.
    mutating func encode(_ value: Int, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try integer(value, key) }
    private func integer(_ value: some BinaryInteger, _ key: Key) throws { box.members[key.stringValue] = .value(try ValueEncoder.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.members[key.stringValue] = try ValueEncoder.node(for: value, at: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        box.members[key.stringValue] = .object(nested)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        box.members[key.stringValue] = .array(nested)
        return UnkeyedContainer(box: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: PathKey(stringValue: "super")) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        let encoder = ValueEncoder(codingPath: codingPath + [key])
        box.members[key.stringValue] = .encoder(encoder)
        return encoder
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: ArrayBox
    let codingPath: [any CodingKey]
    var count: Int { box.items.count }

    private var nextPath: [any CodingKey] { codingPath + [PathKey(intValue: box.items.count)] }

    mutating func encodeNil() throws { box.items.append(.value(.null)) }
    mutating func encode(_ value: Bool) throws { box.items.append(.value(.bool(value))) }
    mutating func encode(_ value: String) throws { box.items.append(.value(.string(value))) }
    mutating func encode(_ value: Double) throws { box.items.append(.value(try ValueEncoder.number(value))) }
    mutating func encode(_ value: Float) throws { box.items.append(.value(try ValueEncoder.number(value))) }
    mutating func encode(_ value: Int) throws { try integer(value) }
    mutating func encode(_ value: Int8) throws { try integer(value) }
    mutating func encode(_ value: Int16) throws { try integer(value) }
    mutating func encode(_ value: Int32) throws { try integer(value) }
    mutating func encode(_ value: Int64) throws { try integer(value) }
    mutating func encode(_ value: UInt) throws { try integer(value) }
    mutating func encode(_ value: UInt8) throws { try integer(value) }
    mutating func encode(_ value: UInt16) throws { try integer(value) }
    mutating func encode(_ value: UInt32) throws { try integer(value) }
    mutating func encode(_ value: UInt64) throws { try integer(value) }
    private func integer(_ value: some BinaryInteger) throws { box.items.append(.value(try ValueEncoder.integer(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { box.items.append(try ValueEncoder.node(for: value, at: nextPath)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        let path = nextPath
        box.items.append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        let path = nextPath
        box.items.append(.array(nested))
        return UnkeyedContainer(box: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = ValueEncoder(codingPath: nextPath)
        box.items.append(.encoder(encoder))
        return encoder
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.node = .value(.null) }
    mutating func encode(_ value: Bool) throws { encoder.node = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { encoder.node = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { encoder.node = .value(try ValueEncoder.number(value)) }
    mutating func encode(_ value: Float) throws { encoder.node = .value(try ValueEncoder.number(value)) }
    mutating func encode(_ value: Int) throws { try integer(value) }
    mutating func encode(_ value: Int8) throws { try integer(value) }
    mutating func encode(_ value: Int16) throws { try integer(value) }
    mutating func encode(_ value: Int32) throws { try integer(value) }
    mutating func encode(_ value: Int64) throws { try integer(value) }
    mutating func encode(_ value: UInt) throws { try integer(value) }
    mutating func encode(_ value: UInt8) throws { try integer(value) }
    mutating func encode(_ value: UInt16) throws { try integer(value) }
    mutating func encode(_ value: UInt32) throws { try integer(value) }
    mutating func encode(_ value: UInt64) throws { try integer(value) }
    private func integer(_ value: some BinaryInteger) throws { encoder.node = .value(try ValueEncoder.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { encoder.node = try ValueEncoder.node(for: value, at: codingPath) }
}
