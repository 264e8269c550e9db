import Foundation
import JSONCoding
import PropertyTesting
import Testing

/// `jsonText` is the canonical form the audit chain hashes: its bytes for a given value may never
/// change. The writer works on UTF-8 bytes; this holds it to the scalar-by-scalar writer it
/// replaced, on random values made of the characters that matter (quotes, backslashes, controls,
/// combining marks, CJK, emoji, a byte-order mark) and on keys that sort differently by bytes and
/// by Swift's String order.
@Suite struct JSONTextBytesTests {
    @Test func theTextIsTheScalarWritersByteForByte() {
        var rng = SplitMix64(seed: 20_261_203)
        let pieces: [String] = [
            "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "\"\u{7AF}",
            "ß", "中文", "🚀", "👩🏽‍🚒", "\u{FEFF}", "\u{2028}", "Ω", "ǅ",
        ]
        func text(_ rng: inout SplitMix64) -> String { rng.array(upTo: 8) { $0.pick(pieces) }.joined() }
        func value(_ rng: inout SplitMix64, depth: Int) -> JSONValue {
            switch rng.below(depth > 2 ? 5 : 7) {
            case 0: return .null
            case 1: return .bool(rng.below(2) == 0)
            case 2: return .integer(Int64(bitPattern: rng.next()) >> Int64(rng.below(64)))
            case 3: return .number(Double(rng.below(2_000_000)) / 7 - 100_000)
            case 4: return .string(text(&rng))
            case 5: return .array(rng.array(upTo: 4) { value(&$0, depth: depth + 1) })
            default:
                var members: [String: JSONValue] = [:]
                for _ in 0..<rng.below(5) { members[text(&rng)] = value(&rng, depth: depth + 1) }
                return .object(members)
            }
        }
        var mismatches = 0
        for _ in 0..<3_000 {
            let sample = value(&rng, depth: 0)
            if sample.jsonText != ScalarWriter.text(sample) {
                mismatches += 1
                if mismatches < 4 { Issue.record("\(sample): \(sample.jsonText) vs \(ScalarWriter.text(sample))") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func controlCharactersAndQuotesAreEscapedAsBefore() {
        #expect(JSONValue.string("a\"b\\c\n\r\t\u{0}\u{1F}é").jsonText == #""a\"b\\c\n\r\t\u0000\u001fé""#)
        #expect(JSONValue.object(["b": .integer(1), "a": .array([.null, .bool(true)])]).jsonText == #"{"a":[null,true],"b":1}"#)
    }
}

/// The writer `jsonText` used until it wrote bytes: String appends, scalar by scalar.
private enum ScalarWriter {
    static func text(_ value: JSONValue) -> String {
        var output = ""
        write(value, to: &output)
        return output
    }

    static func write(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .integer(let number): output += String(number)
        case .number(let number): output += JSONNumberText.textOrNull(number)
        case .string(let text): string(text, to: &output)
        case .array(let values):
            output += "["
            for (index, element) in values.enumerated() {
                if index > 0 { output += "," }
                write(element, to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                string(key, to: &output)
                output += ":"
                write(members[key]!, to: &output)
            }
            output += "}"
        }
    }

    static func string(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case let control where control.value < 0x20: output += "\\u00" + Hex.byte(UInt8(control.value))
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
