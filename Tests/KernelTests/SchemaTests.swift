import Foundation
import JSONCoding
import Kernel
import Testing

@Suite struct SchemaTests {
    let schema: Schema = .object([
        .required("name", .string(maxLength: 5, minLength: 1)),
        .required("count", .integer(minimum: 0, maximum: 10)),
        .optional("flag", .boolean),
        .optional("kind", .enumeration(["a", "b"])),
        .optional("at", .dateTime),
        .optional("nested", .object([.required("lat", .number)])),
        .optional("tags", .array(.string(maxLength: 3), maxItems: 2)),
    ])

    func issues(_ json: String) throws -> [String] {
        let value = try VigilJSON.decoder.decode(JSONValue.self, from: Data(json.utf8))
        return schema.validate(value).map { "\($0.field):\($0.code.rawValue)" }
    }

    @Test func validBodyHasNoIssues() throws {
        #expect(try issues(#"{"name":"ok","count":3,"flag":true,"kind":"a","at":"2026-01-01T00:00:00Z","nested":{"lat":1.5},"tags":["x"]}"#).isEmpty)
    }

    @Test func everyProblemIsReportedWithItsPath() throws {
        let found = try issues(
            #"{"name":"toolong","count":"3","flag":1,"kind":"c","at":"yesterday","nested":{"lat":"n"},"tags":["abcd","b","c"],"extra":null}"#)
        #expect(
            Set(found) == [
                "name:too-long", "count:type", "flag:type", "kind:not-allowed", "at:format", "nested.lat:type", "tags:too-long", "extra:unknown-field",
            ])
    }

    @Test func missingAndNullRequiredFieldsAreReported() throws {
        #expect(Set(try issues(#"{"name":null}"#)) == ["name:required", "count:required"])
    }

    @Test func integerOutOfRangeAndFractionAreRejected() throws {
        #expect(try issues(#"{"name":"a","count":11}"#) == ["count:out-of-range"])
        #expect(try issues(#"{"name":"a","count":1.5}"#) == ["count:type"])
    }

    @Test func bodyOfWrongTypeIsReportedAsBody() throws {
        #expect(try issues("[1,2]") == ["body:type"])
    }

    @Test func requestBodyDecodingSeparatesMalformedFromInvalid() {
        struct Input: Decodable { let name: String; let count: Int }
        #expect { try RequestBody.decode(Input.self, from: Data("{nope".utf8), schema: schema) } throws: { ($0 as? VigilError)?.kind == .malformedBody }
        #expect { try RequestBody.decode(Input.self, from: Data(#"{"name":1}"#.utf8), schema: schema) } throws: { ($0 as? VigilError)?.kind == .validation }
        #expect { try RequestBody.decode(Input.self, from: Data(), schema: schema) } throws: { ($0 as? VigilError)?.kind == .malformedBody }
    }
}
