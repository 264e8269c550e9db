import Foundation
import JSONCoding
import Kernel
import Testing

@Suite struct JSONTextTests {
    @Test func parsesWhatFoundationParsesKeepingIntegersApart() throws {
        let text = #"{"a":1,"b":-2.5,"c":1e3,"d":"x\"y\\z\u00e9\ud83d\ude80\n","e":[true,false,null],"f":{},"g":[],"h":9223372036854775807,"i":0}"#
        let value = try JSONValue.parse(Data(text.utf8))
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members["a"] == .integer(1))
        #expect(members["b"] == .number(-2.5))
        #expect(members["c"] == .number(1000))
        #expect(members["d"] == .string("x\"y\\zé🚀\n"))
        #expect(members["e"] == .array([.bool(true), .bool(false), .null]))
        #expect(members["h"] == .integer(Int64.max))
        // Written back, it is read the same by Foundation.
        let reparsed = try JSONSerialization.jsonObject(with: Data(value.jsonText.utf8)) as? [String: Any]
        #expect(reparsed?["d"] as? String == "x\"y\\zé🚀\n")
        // Written back, 1e3 reads as the integer 1000: every writer spells an integral number
        // without a fraction, as Foundation's JSONEncoder does; everything else is unchanged.
        guard case .object(var expected) = value else { return }
        expected["c"] = .integer(1000)
        #expect(try JSONValue.parse(Data(value.jsonText.utf8)) == .object(expected))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "tru", "\"\u{01}\"", "\"abc", "[1] 2", "{\"a\":1,\"a\":2}", "\"\\ud800\"",
        String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Data(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Data([0x22, 0xC3, 0x28, 0x22])) }
    }

    @Test func encoderMatchesTheProductsJSONEncoder() throws {
        struct Inner: Codable, Equatable { let x: Int; let when: Date }
        struct Outer: Codable, Equatable {
            let name: String
            let inner: Inner
            let list: [Inner]
            let optional: String?
            let flag: Bool
            let ratio: Double
        }
        let value = Outer(
            name: "n", inner: Inner(x: 1, when: Date(timeIntervalSince1970: 1_768_478_400.5)), list: [Inner(x: 2, when: Date(timeIntervalSince1970: 0))],
            optional: nil, flag: true, ratio: 0.25)
        let direct = try JSONValueEncoder.encode(value)
        let viaText = try JSONValue.parse(VigilJSON.encoder.encode(value))
        #expect(direct == viaText)
        #expect(try VigilJSON.decoder.decode(Outer.self, from: Data(direct.jsonText.utf8)) == value)
    }

    @Test func hexMatchesFormat() {
        let bytes: [UInt8] = [0, 1, 15, 16, 127, 128, 254, 255]
        #expect(Hex.encode(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
    }
}

@Suite struct StreamingJSONTests {
    struct Location: Codable, Equatable { let address: String?; let latitude: Double? }
    struct Item: Codable, Equatable {
        let id: String
        let when: Date
        let location: Location?
        let tags: [String]
        let nested: [[Int]]
        let note: String?
        let score: Double
        let flag: Bool
    }
    struct PageOf: Codable, Equatable { let items: [Item]; let nextCursor: String? }

    @Test func writesWhatTheProductsDecoderReadsBack() throws {
        let items = [
            Item(
                id: "a\"b\\c\n\u{01}é", when: Date(timeIntervalSince1970: 1_768_478_400.125), location: Location(address: "Rua 1", latitude: -23.5),
                tags: ["x", "y"],
                nested: [[1, 2], []], note: nil, score: 0.1, flag: true),
            Item(id: "2", when: Date(timeIntervalSince1970: 0), location: nil, tags: [], nested: [], note: "n", score: 3, flag: false),
        ]
        let page = PageOf(items: items, nextCursor: nil)
        let data = try StreamingJSON.encode(page)
        #expect(try VigilJSON.decoder.decode(PageOf.self, from: data) == page)
        // Same content as Foundation's encoder, whatever the key order.
        #expect(try JSONValue.parse(data) == JSONValue.parse(VigilJSON.encoder.encode(page)))
        #expect(try StreamingJSON.encode(["k": 1]) == Data(#"{"k":1}"#.utf8))
        #expect(try StreamingJSON.encode([Location]()) == Data("[]".utf8))
    }
}
