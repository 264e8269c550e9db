import CSVCoding
import Foundation
import Kernel
import PropertyTesting
import Testing

/// The one CSV writer neutralises cells a spreadsheet would run as formulas (OWASP's CSV
/// injection rule) without losing a value on the way back through import; the reader refuses
/// bytes that are not UTF-8 instead of replacing them silently, wherever the chunks split.
@Suite struct CSVSafetyTests {
    /// Chunk sizes to read with: all at once, byte by byte, and sizes that split multi-byte
    /// characters, doubled quotes and CRLF at every offset.
    static let chunkSizes: [Int?] = [nil, 1, 2, 3, 7, 64]

    @Test(arguments: [
        (#"=HYPERLINK("http://x","y")"#, #""'=HYPERLINK(""http://x"",""y"")""#), ("=1+2", "'=1+2"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"), ("@SUM(1+1)", "'@SUM(1+1)"), ("\t=x", "'\t=x"), ("\r=x", "\"'\r=x\""), ("=1,2", "\"'=1,2\""), ("-", "'-"), ("+", "'+"),
        ("-1-2", "'-1-2"), ("'abc", "''abc"), ("'", "''"), ("'=1+2", "''=1+2"),
    ])
    func formulaCellsAreNeutralised(_ value: String, _ written: String) throws {
        #expect(CSV.escape(value) == written)
        let cell = try #require(try records(Array(CSV.line([value]).utf8), chunk: nil).first?.fields.first)
        #expect(cell.first == "'", "the spreadsheet sees \(cell.debugDescription)")
        #expect(CSV.unneutralized(cell) == value)
    }

    /// Found by the CSV fuzzer. A quote followed by a combining mark is one Swift character but
    /// two code points: the writer doubled quotes by character and wrote a line that did not read.
    /// A field starting with U+FEFF, written as a file's first line, read back as a byte order mark.
    @Test(arguments: ["d telg\"\u{7AF}ad", "\"\u{301}", "a,\"\u{301}\n", "'\u{301}=x", "=\u{301}1", "\"\u{200D}👩\"", "\u{FEFF}d/"])
    func fieldsTheFuzzerFoundRoundTrip(_ value: String) throws {
        for chunk in Self.chunkSizes {
            let cell = try #require(try records(Array(CSV.line([value]).utf8), chunk: chunk).first?.fields.first)
            #expect(Array(CSV.unneutralized(cell).unicodeScalars) == Array(value.unicodeScalars), "chunk \(String(describing: chunk))")
        }
    }

    @Test(arguments: ["-12.50", "+3", "42", "-0.5", "0", "12.", ".5", "plain text", "", "a=b", "x@y", "é"])
    func plainNumbersAndTextStayAsTheyAre(_ value: String) {
        #expect(CSV.escape(value) == value)
        #expect(CSV.unneutralized(value) == value)
    }

    /// Every value, formulas and random text with commas, quotes and line breaks included, comes
    /// back exactly through line → reader → unneutralized, on the line it was written on; and no
    /// cell a spreadsheet opens starts a formula.
    @Test func everyValueSurvivesARoundTripAndNoCellStartsAFormula() throws {
        var rng = SplitMix64(seed: 0xC5F)
        let fixed = [
            #"=HYPERLINK("http://x","y")"#, "=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=x", "\r=x", "-12.50", "+3", "42", "'abc", "'", "''",
            "'-12.50",
            "", "\"", "\"\"", ",", "\n", "\r\n", "a\rb", "line\nbreak", "-", "+.", "-1e5", "=", "@", "\t", "\r",
        ]
        var rows: [[String]] = fixed.map { [$0] } + [fixed]
        for _ in 0..<300 {
            rows.append((0..<(1 + rng.below(4))).map { _ in rng.below(5) == 0 ? rng.pick(fixed) : randomCell(&rng) })
        }
        var text = ""
        var lines: [Int] = []
        for row in rows {
            lines.append(1 + text.utf8.filter { $0 == UInt8(ascii: "\n") }.count)
            text += CSV.line(row)
        }
        for chunk in CSVSafetyTests.chunkSizes {
            let read = try records(Array(text.utf8), chunk: chunk)
            #expect(read.count == rows.count, "chunk \(String(describing: chunk))")
            for (index, (record, row)) in zip(read, rows).enumerated() {
                #expect(record.fields.map(CSV.unneutralized) == row, "record \(index), chunk \(String(describing: chunk))")
                #expect(record.line == lines[index], "record \(index), chunk \(String(describing: chunk))")
                #expect(record.malformedField == nil)
                for cell in record.fields where !isSafeForASpreadsheet(cell) {
                    Issue.record("the cell \(cell.debugDescription) of record \(index) would run as a formula")
                }
            }
        }
    }

    /// A record whose bytes are not UTF-8 names its first bad field, in a quoted or unquoted
    /// field, wherever the chunks split; the records around it are not affected.
    @Test(arguments: CSVSafetyTests.chunkSizes)
    func invalidUTF8IsReportedWithItsField(_ chunk: Int?) throws {
        let bad: [UInt8] = [0xC3, 0x28]
        let cases: [(bytes: [UInt8], malformed: Int?)] = [
            (Array("ok,".utf8) + bad + Array(",z\n".utf8), 1),
            (Array("ok,\"".utf8) + bad + Array("\",z\n".utf8), 1),
            (Array("ok,\"x,\n".utf8) + bad + Array("\",z\n".utf8), 1),
            (bad + Array(",b\n".utf8), 0),
            (Array("ok,".utf8) + [0xFF] + Array(",".utf8) + bad + Array("\n".utf8), 1),
            (Array("a,b,".utf8) + [0xC0, 0xAF] + Array("\r\n".utf8), 2),  // overlong "/"
            (Array("a,".utf8) + [0xED, 0xA0, 0x80] + Array("\n".utf8), 1),  // a surrogate
            (Array("a,".utf8) + [0x80] + Array("\n".utf8), 1),  // a lone continuation byte
            (Array("é,🚀,\"日本\"\n".utf8), nil),  // valid multi-byte text, split by small chunks
        ]
        for (bytes, malformed) in cases {
            let file = Array("h1,h2,h3\n".utf8) + bytes + Array("x,y,z\n".utf8)
            let read = try records(file, chunk: chunk)
            #expect(read.map(\.malformedField) == [nil, malformed, nil], "\(bytes)")
            #expect(read.first?.fields == ["h1", "h2", "h3"] && read.last?.fields == ["x", "y", "z"])
            #expect(read.dropFirst().first?.line == 2)
        }
        // At the very end of the file, without a line break.
        #expect(try records(Array("a,".utf8) + [0xC3], chunk: chunk).map(\.malformedField) == [1])
        #expect(try records(Array("a,\"".utf8) + bad + Array("\"".utf8), chunk: chunk).map(\.malformedField) == [1])
        #expect(try records(Array("é,🚀,\"日本\"\n".utf8), chunk: chunk).first?.fields == ["é", "🚀", "日本"])
    }

    /// A UTF-8 byte order mark is skipped however the first bytes arrive (a file read in 1 MB
    /// chunks gets it whole; a reader fed small chunks gets it in pieces).
    @Test(arguments: CSVSafetyTests.chunkSizes)
    func aByteOrderMarkIsSkippedWhateverTheChunks(_ chunk: Int?) throws {
        let read = try records([0xEF, 0xBB, 0xBF] + Array("a,b\nc,d\n".utf8), chunk: chunk)
        #expect(read.map(\.fields) == [["a", "b"], ["c", "d"]])
    }

    private func randomCell(_ rng: inout SplitMix64) -> String {
        let pieces = [",", "\"", "\n", "\r", "\r\n", "=", "+", "-", "@", "\t", "'", "a", "Z", "1", "0", ".", " ", "é", "🚀", "日本", "e\u{301}", "\u{0}", ";"]
        return rng.array(upTo: 8) { $0.pick(pieces) }.joined()
    }

    /// What a spreadsheet would not run: a cell that starts with none of = + - @ tab CR, or a
    /// plain signed number (-12.50, +3). Written out here rather than taken from the writer.
    private func isSafeForASpreadsheet(_ cell: String) -> Bool {
        guard let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return true }
        guard first == "+" || first == "-" else { return false }
        let rest = cell.unicodeScalars.dropFirst()
        return rest.contains { ("0"..."9").contains($0) } && rest.allSatisfy { ("0"..."9").contains($0) || $0 == "." } && rest.filter { $0 == "." }.count <= 1
    }

    /// Every record of `bytes`, given all at once (nil) or in chunks of `chunk` bytes.
    private func records(_ bytes: [UInt8], chunk: Int?) throws -> [CSVRecord] {
        let reader: CSVReader
        if let chunk {
            var offset = 0
            reader = CSVReader {
                guard offset < bytes.count else { return nil }
                defer { offset += chunk }
                return Array(bytes[offset..<min(offset + chunk, bytes.count)])
            }
        } else {
            reader = CSVReader(data: Data(bytes))
        }
        var all: [CSVRecord] = []
        while let record = try reader.next() { all.append(record) }
        return all
    }
}
