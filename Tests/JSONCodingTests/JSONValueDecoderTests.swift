import Calendars
import Foundation
import JSONCoding
import PropertyTesting
import Testing

/// Request bodies are decoded from the value the strict parser read (and the Schema checked), not
/// from the bytes a second time: the decoder agrees with Foundation's wherever both read a body,
/// and takes the parser's side where they differ.
@Suite struct JSONValueDecoderTests {
    enum Kind: String, Codable, Equatable { case small, large }

    struct Everything: Codable, Equatable {
        var flag: Bool
        var text: String
        var count: Int
        var tiny: Int8
        var unsigned: UInt16
        var big: Int64
        var ratio: Double
        var single: Float
        var when: Date
        var id: UUID
        var kind: Kind
        var maybe: String?
        var absent: Int?
        var list: [Int]
        var nested: [[String: Int]]
        var free: JSONValue
        var amount: Decimal
    }

    private let body = #"""
        {"flag":true,"text":"Olá \"mundo\"","count":-42,"tiny":-128,"unsigned":65535,"big":9223372036854775807,"ratio":0.1,"single":1.5,
         "when":"2026-01-15T12:00:00.250-03:00","id":"7C3F7E49-9C2B-4E0B-8C56-1F1D2B3A4C5D","kind":"large","maybe":null,
         "list":[1,2,3],"nested":[{"a":1},{}],"free":{"x":[1,1.5,"y",null,true]},"amount":12.75}
        """#

    @Test func aBodyDecodesAsFoundationDecodesIt() throws {
        let value = try JSONValue.parse(Data(body.utf8))
        let ours = try JSONValueDecoder.decode(Everything.self, from: value)
        let foundation = try VigilJSON.decoder.decode(Everything.self, from: Data(body.utf8))
        #expect(ours == foundation)
        #expect(ours.when == ISO8601.parse("2026-01-15T15:00:00.250Z"))
        #expect(ours.maybe == nil && ours.absent == nil)
        // A JSONValue field is the parsed value itself: 1 stays an integer, 1.5 a number.
        #expect(ours.free == .object(["x": .array([.integer(1), .number(1.5), .string("y"), .null, .bool(true)])]))
    }

    /// Random documents of integers, numbers, strings and nesting: the same answer (value or
    /// failure) from both readers, for the shapes a request body has.
    @Test func randomBodiesDecodeAlikeOrFailAlike() throws {
        struct Shape: Codable, Equatable {
            var a: Int?
            var b: Double?
            var c: [UInt8]?
            var d: [String: Int32]?
            var e: String?
        }
        var rng = SplitMix64(seed: 0xD0C0DE)
        func scalar() -> String {
            switch rng.below(7) {
            case 0: String(Int64.edgy(&rng))
            case 1: String(Int(rng.below(600)) - 300)
            case 2: "\(Double(rng.below(10_000)) / 8)"
            case 3: "\"s\(rng.below(9))\""
            case 4: "null"
            case 5: "true"
            default: "\(rng.below(100)).0"
            }
        }
        var agreed = 0
        for _ in 0..<2_000 {
            var members: [String] = []
            if rng.below(2) == 0 { members.append("\"a\":\(scalar())") }
            if rng.below(2) == 0 { members.append("\"b\":\(scalar())") }
            if rng.below(2) == 0 { members.append("\"c\":[\((0..<rng.below(4)).map { _ in scalar() }.joined(separator: ","))]") }
            if rng.below(2) == 0 { members.append("\"d\":{\((0..<rng.below(3)).map { "\"k\($0)\":\(scalar())" }.joined(separator: ","))}") }
            if rng.below(2) == 0 { members.append("\"e\":\(scalar())") }
            let text = "{" + members.joined(separator: ",") + "}"
            let ours = try? JSONValueDecoder.decode(Shape.self, from: JSONValue.parse(Data(text.utf8)))
            let foundation = try? VigilJSON.decoder.decode(Shape.self, from: Data(text.utf8))
            #expect(ours == foundation, "\(text)")
            if ours != nil { agreed += 1 }
        }
        // Both outcomes are exercised.
        #expect(agreed > 100 && agreed < 1_900)
    }

    @Test func valuesThatDoNotFitAreErrorsNamingTheirPath() throws {
        struct Small: Decodable { var n: UInt8 }
        struct Nested: Decodable { var items: [Small] }
        let value = try JSONValue.parse(Data(#"{"items":[{"n":1},{"n":300}]}"#.utf8))
        #expect { try JSONValueDecoder.decode(Nested.self, from: value) } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["items", "1", "n"] && context.debugDescription.contains("UInt8")
        }
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Small.self, from: JSONValue.parse(Data(#"{"n":1.5}"#.utf8))) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Small.self, from: JSONValue.parse(Data(#"{"n":"1"}"#.utf8))) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Small.self, from: JSONValue.parse(Data(#"{}"#.utf8))) }
        #expect(try JSONValueDecoder.decode(Small.self, from: JSONValue.parse(Data(#"{"n":2.0}"#.utf8))).n == 2)
        struct When: Decodable { var at: Date }
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(When.self, from: JSONValue.parse(Data(#"{"at":"2026-02-30T00:00:00Z"}"#.utf8))) }
    }
}
