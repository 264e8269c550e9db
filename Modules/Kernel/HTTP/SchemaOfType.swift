import Calendars
import Foundation
import JSONCoding

/// A type whose schema is written by hand: the rules a Swift type cannot say (lengths, ranges,
/// patterns). `Schema.of` uses it wherever the type appears, at the top or inside another.
public protocol SchemaDescribed {
    static var schema: Schema { get }
}

extension Schema {
    /// The schema of a `Decodable` type, from the type itself: one source for the body's shape
    /// and its documentation. Each property the synthesized `init(from:)` decodes is a member,
    /// optional if it decodes with `decodeIfPresent`; strings, numbers, booleans, instants
    /// (`date-time`), days, UUIDs, region codes and `StoredEnum`s take their usual forms, arrays and
    /// nested types recurse, `[String: …]` is a free object, a `SchemaDescribed` type gives its own.
    ///
    /// The type is probed once, when an endpoint is declared: a type the probe cannot read (a
    /// custom `init(from:)` that rejects every placeholder) stops the host at start-up with its
    /// name, never a request.
    public static func of<T: Decodable>(_ type: T.Type) -> Schema {
        do {
            return try SchemaProbe.probe(type, depth: 0).schema
        } catch {
            preconditionFailure("the schema of \(T.self) cannot be derived: \(error)")
        }
    }
}

/// Runs a type's `init(from:)` over a decoder that answers every question with a placeholder and
/// notes what was asked: the schema, and a value of the type (what a recording row hands back for
/// a JSON column).
enum SchemaProbe {
    struct Probed<T> {
        let schema: Schema
        let value: T
    }

    static func placeholder<T: Decodable>(_ type: T.Type) throws -> T { try probe(type, depth: 0).value }

    static func probe<T: Decodable>(_ type: T.Type, depth: Int) throws -> Probed<T> {
        guard depth < 16 else { throw ProbeError.tooDeep("\(T.self)") }
        if let known = try known(type) { return known }
        let decoder = ProbeDecoder(depth: depth + 1)
        let value = try T(from: decoder)
        if let described = T.self as? any SchemaDescribed.Type { return Probed(schema: described.schema, value: value) }
        if T.self is any ProbedDictionary.Type { return Probed(schema: .freeObject, value: value) }
        switch decoder.shape {
        case .object(let properties): return Probed(schema: .named(componentName(T.self), .object(properties)), value: value)
        case .value(let schema): return Probed(schema: schema, value: value)
        case .array(let element): return Probed(schema: .array(element), value: value)
        case .none: throw ProbeError.readsNothing("\(T.self)")
        }
    }

    /// The name under `components/schemas`: the type's name with its module's (`Noticeboard.Notice`),
    /// because two domains may each have an `Inspection`, and the document keeps one schema per name.
    static func componentName<T>(_ type: T.Type) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        return String(String(reflecting: type).map { allowed.contains($0) ? $0 : "_" })
    }

    /// The types with a form of their own, answered without running their decoding.
    private static func known<T>(_ type: T.Type) throws -> Probed<T>? {
        func found(_ schema: Schema, _ value: Any) -> Probed<T> { Probed(schema: schema, value: value as! T) }
        switch type {
        case is String.Type: return found(.string(), "")
        case is Bool.Type: return found(.boolean, false)
        case is Int.Type: return found(.integer(), 0)
        case is Int64.Type: return found(.integer(), Int64(0))
        case is Int32.Type: return found(.integer(minimum: Int64(Int32.min), maximum: Int64(Int32.max)), Int32(0))
        case is Double.Type: return found(.number, 0.0)
        case is Date.Type: return found(.dateTime, Date.placeholder)
        case is UUID.Type: return found(.uuid, UUID.placeholder)
        case is LocalDate.Type: return found(.string(.init(format: "date", pattern: .inputDate)), LocalDate.placeholder)
        case is RegionCode.Type: return found(.regionCode, RegionCode.placeholder)
        case let stored as any StoredEnum.Type: return found(.enumeration(stored.storedValues), stored.anyPlaceholder)
        default: return nil
        }
    }

    enum ProbeError: Error, CustomStringConvertible {
        case tooDeep(String), readsNothing(String), unsupported(String)
        var description: String {
            switch self {
            case .tooDeep(let type): "\(type) nests more than 16 levels deep (a recursive type needs a SchemaDescribed schema)"
            case .readsNothing(let type): "\(type) decodes nothing"
            case .unsupported(let what): what
            }
        }
    }
}

extension StoredEnum {
    static var storedValues: [String] { allCases.map(\.rawValue) }
    static var anyPlaceholder: Any { placeholder }
}

/// `[String: Value]`: a free-form object (its keys are data, not declared members).
protocol ProbedDictionary {}
extension Dictionary: ProbedDictionary where Key == String {}

/// What the probed type asked for: named members, one value, or a list.
private final class ProbeDecoder: Decoder {
    enum Shape {
        case object([ObjectSchema.Property])
        case value(Schema)
        case array(Schema)
    }
    let depth: Int
    var shape: Shape?
    var properties: [ObjectSchema.Property] = [] {
        didSet { shape = .object(properties) }
    }
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(depth: Int) { self.depth = depth }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if shape == nil { shape = .object([]) }
        return KeyedDecodingContainer(ProbeMembers<Key>(decoder: self))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { ProbeElements(decoder: self) }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { ProbeValue(decoder: self) }

    func value<T: Decodable>(_ type: T.Type) throws -> (Schema, T) {
        let probed = try SchemaProbe.probe(type, depth: depth)
        return (probed.schema, probed.value)
    }
}

private final class ProbeMembers<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ProbeDecoder
    /// Keys asked `decodeNil` first: what `decodeIfPresent` does, so the member is optional.
    var optional: Set<String> = []
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    init(decoder: ProbeDecoder) { self.decoder = decoder }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool {
        optional.insert(key.stringValue)
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let (schema, value) = try decoder.value(type)
        let name = key.stringValue
        decoder.properties.append(optional.contains(name) ? .optional(name, schema) : .required(name, schema))
        return value
    }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw unsupported(key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { throw unsupported(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { throw unsupported(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { throw unsupported(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { throw unsupported(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { throw unsupported(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { throw unsupported(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { throw unsupported(key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw unsupported(key)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw unsupported(key) }
    func superDecoder() throws -> any Decoder { throw SchemaProbe.ProbeError.unsupported("a superclass decoder") }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw unsupported(key) }

    /// The primitive overloads, through the generic one (which knows their forms).
    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T { try decode(type, forKey: key) }

    private func unsupported(_ key: Key) -> SchemaProbe.ProbeError {
        .unsupported("\(key.stringValue): a form a derived schema does not describe (give the type a SchemaDescribed schema)")
    }
}

/// A container that holds one value at a time (a list's element, a single value): the primitive
/// `decode` overloads both protocols require, once, through the generic one.
private protocol ProbesOneValue: AnyObject {
    func probe<T: Decodable>(_ type: T.Type) throws -> T
    var unsupported: SchemaProbe.ProbeError { get }
}

extension ProbesOneValue {
    func decode(_ type: Bool.Type) throws -> Bool { try probe(type) }
    func decode(_ type: String.Type) throws -> String { try probe(type) }
    func decode(_ type: Double.Type) throws -> Double { try probe(type) }
    func decode(_ type: Float.Type) throws -> Float { throw unsupported }
    func decode(_ type: Int.Type) throws -> Int { try probe(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { throw unsupported }
    func decode(_ type: Int16.Type) throws -> Int16 { throw unsupported }
    func decode(_ type: Int32.Type) throws -> Int32 { try probe(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try probe(type) }
    func decode(_ type: UInt.Type) throws -> UInt { throw unsupported }
    func decode(_ type: UInt8.Type) throws -> UInt8 { throw unsupported }
    func decode(_ type: UInt16.Type) throws -> UInt16 { throw unsupported }
    func decode(_ type: UInt32.Type) throws -> UInt32 { throw unsupported }
    func decode(_ type: UInt64.Type) throws -> UInt64 { throw unsupported }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try probe(type) }
}

/// A list: the element is probed once (the probe's list holds one placeholder).
private final class ProbeElements: UnkeyedDecodingContainer, ProbesOneValue {
    let decoder: ProbeDecoder
    var codingPath: [any CodingKey] { [] }
    var count: Int? { nil }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex > 0 }
    var unsupported: SchemaProbe.ProbeError { .unsupported("a list of nested lists or of a form a derived schema does not describe") }

    init(decoder: ProbeDecoder) { self.decoder = decoder }

    func decodeNil() throws -> Bool { false }
    func probe<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, value) = try decoder.value(type)
        decoder.shape = .array(schema)
        currentIndex += 1
        return value
    }
    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> { throw unsupported }
    func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw unsupported }
    func superDecoder() throws -> any Decoder { throw unsupported }
}

/// One value: a type that decodes itself from a string or a number (a wrapper, a raw enum).
private final class ProbeValue: SingleValueDecodingContainer, ProbesOneValue {
    let decoder: ProbeDecoder
    var codingPath: [any CodingKey] { [] }
    var unsupported: SchemaProbe.ProbeError { .unsupported("a value of a form a derived schema does not describe") }

    init(decoder: ProbeDecoder) { self.decoder = decoder }

    func decodeNil() -> Bool { false }
    func probe<T: Decodable>(_ type: T.Type) throws -> T {
        let (schema, value) = try decoder.value(type)
        decoder.shape = .value(schema)
        return value
    }
}
