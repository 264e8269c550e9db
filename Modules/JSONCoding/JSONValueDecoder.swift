import Calendars
import Foundation

/// Decodes a `Decodable` value from an already parsed `JSONValue`, so a request body is read once,
/// by the strict parser, and the Schema and the Codable type see the same value: an integer is
/// what the parser read as one (or an integral number such as `1.0`, as the Schema allows), a
/// number never leaves Double's range (the parser refuses `1e400`), an instant is RFC 3339 read
/// by `ISO8601.parse`, and a `JSONValue` field is the parsed value itself.
public enum JSONValueDecoder {
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try ValueDecoder(value, codingPath: []).decodeValue(T.self)
    }
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ value: JSONValue, codingPath: [any CodingKey]) {
        self.value = value
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: JSONValue].self, value, codingPath) }
        return KeyedDecodingContainer(KeyedValues<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([JSONValue].self, value, codingPath) }
        return UnkeyedValues(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleValue(decoder: self) }

    /// The types JSON spells its own way come first; everything else decodes itself.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == JSONValue.self { return value as! T }
        if T.self == Date.self {
            guard case .string(let text) = value else { throw mismatch(String.self, value, codingPath) }
            guard let date = ISO8601.parse(text) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: codingPath, debugDescription: "'\(text)' is not an ISO 8601 instant like 2026-01-15T12:00:00Z"))
            }
            return date as! T
        }
        if T.self == Decimal.self {
            switch value {
            case .integer(let integer): return Decimal(integer) as! T
            case .number(let number):
                guard let decimal = Decimal(string: JSONNumberText.textOrNull(number)) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(number) is not a decimal"))
                }
                return decimal as! T
            default: throw mismatch(Decimal.self, value, codingPath)
            }
        }
        return try T(from: self)
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        switch value {
        case .integer(let integer):
            if let exact = T(exactly: integer) { return exact }
        case .number(let number):
            // The Schema takes an integral number for an integer (`1.0`); so does the decoder.
            if number.rounded() == number, let exact = T(exactly: number) { return exact }
        default:
            throw mismatch(T.self, value, codingPath)
        }
        throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(value.canonicalText) does not fit \(T.self)"))
    }

    func floatingPoint<T: BinaryFloatingPoint>(_ type: T.Type) throws -> T {
        switch value {
        case .integer(let integer): return T(integer)
        case .number(let number):
            let converted = T(number)
            guard converted.isFinite else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(number) does not fit \(T.self)"))
            }
            return converted
        default: throw mismatch(T.self, value, codingPath)
        }
    }
}

private func mismatch(_ expected: Any.Type, _ value: JSONValue, _ codingPath: [any CodingKey]) -> DecodingError {
    if case .null = value {
        return .valueNotFound(expected, .init(codingPath: codingPath, debugDescription: "expected \(expected) but found null"))
    }
    return .typeMismatch(expected, .init(codingPath: codingPath, debugDescription: "expected \(expected) but found \(value.typeName)"))
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct KeyedValues<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap(Key.init(stringValue:)) }
    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> ValueDecoder {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for '\(key.stringValue)'"))
        }
        return ValueDecoder(value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { members[key.stringValue].map { $0 == .null } ?? true }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try member(key).singleBool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try member(key).singleString() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try member(key).floatingPoint(Double.self) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try member(key).floatingPoint(Float.self) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try member(key).integer(Int.self) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try member(key).integer(Int8.self) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try member(key).integer(Int16.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try member(key).integer(Int32.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try member(key).integer(Int64.self) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try member(key).integer(UInt.self) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try member(key).integer(UInt8.self) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try member(key).integer(UInt16.self) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try member(key).integer(UInt32.self) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try member(key).integer(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try member(key).decodeValue(T.self) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try member(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try member(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder { ValueDecoder(members["super"] ?? .null, codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder { ValueDecoder(members[key.stringValue] ?? .null, codingPath: codingPath + [key]) }
}

private struct UnkeyedValues: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next(_ type: Any.Type) throws -> ValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "the array has no more elements"))
        }
        defer { currentIndex += 1 }
        return ValueDecoder(elements[currentIndex], codingPath: codingPath + [IndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type).singleBool() }
    mutating func decode(_ type: String.Type) throws -> String { try next(type).singleString() }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type).floatingPoint(Double.self) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type).floatingPoint(Float.self) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type).integer(Int.self) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type).integer(Int8.self) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type).integer(Int16.self) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type).integer(Int32.self) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type).integer(Int64.self) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type).integer(UInt.self) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type).integer(UInt8.self) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type).integer(UInt16.self) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type).integer(UInt32.self) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type).integer(UInt64.self) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type).decodeValue(T.self) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next(type).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next([JSONValue].self).unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next(JSONValue.self) }
}

private struct SingleValue: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.singleBool() }
    func decode(_ type: String.Type) throws -> String { try decoder.singleString() }
    func decode(_ type: Double.Type) throws -> Double { try decoder.floatingPoint(Double.self) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.floatingPoint(Float.self) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.integer(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(T.self) }
}

extension ValueDecoder {
    func singleBool() throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self, value, codingPath) }
        return flag
    }

    func singleString() throws -> String {
        guard case .string(let text) = value else { throw mismatch(String.self, value, codingPath) }
        return text
    }
}
