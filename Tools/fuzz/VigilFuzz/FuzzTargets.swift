import Calendars
import CSVCoding
import Foundation
import JSONCoding
import Kernel
import Monetary

/// The properties each target checks on one input.
enum FuzzTargets {
    /// JSON: an accepted document writes back to text that reads as the same document (numbers
    /// compared by value: 1.0 writes as 1), and what the strict parser accepts Foundation accepts.
    static func json(_ input: [UInt8]) {
        guard let value = try? JSONValue.parse(Data(input)) else { return }
        let text = value.jsonText
        guard let again = try? JSONValue.parse(Data(text.utf8)) else { return require(false, "written JSON does not parse: \(text.prefix(200))") }
        require(sameByValue(value, again), "round trip changed the document: \(text.prefix(200))")
        require((try? JSONSerialization.jsonObject(with: Data(input), options: [.fragmentsAllowed])) != nil, "Foundation refuses what the parser accepted")
    }

    static func sameByValue(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .integer(let y)), (.integer(let y), .number(let x)): return x == Double(y)
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(sameByValue)
        case (.object(let x), .object(let y)): return x.count == y.count && x.allSatisfy { key, value in y[key].map { sameByValue(value, $0) } ?? false }
        default: return a == b
        }
    }

    /// CSV: the same bytes read whole and a few bytes at a time give the same records; every
    /// record written back with the one writer reads back to the same fields.
    static func csv(_ input: [UInt8]) {
        guard let whole = try? records(CSVReader(data: Data(input))) else { return }
        var offset = 0
        let step = max(1, Int(input.first ?? 3) % 7 + 1)
        let chunked = CSVReader {
            guard offset < input.count else { return nil }
            defer { offset += step }
            return Array(input[offset..<min(offset + step, input.count)])
        }
        guard let pieces = try? records(chunked) else { return require(false, "chunked read failed where the whole read did not") }
        require(whole.map(\.fields) == pieces.map(\.fields), "chunked and whole reads differ")
        for record in whole where record.malformedField == nil {
            let written = CSV.line(record.fields.map(CSV.unneutralized))
            guard let back = try? records(CSVReader(data: Data(written.utf8))).first else {
                return require(false, "written line does not read: \(written.prefix(200))")
            }
            require(back.fields.map(CSV.unneutralized) == record.fields.map(CSV.unneutralized), "CSV round trip changed a record")
        }
    }

    static func records(_ reader: CSVReader) throws -> [CSVRecord] {
        var all: [CSVRecord] = []
        while let record = try reader.next() {
            all.append(record)
            if all.count > 10_000 { break }
        }
        return all
    }

    /// The validator over every kind of schema, on whatever JSON the input is; an accepted body
    /// decodes with Foundation into the Codable type the schema stands for.
    static func schema(_ input: [UInt8]) {
        guard let value = try? JSONValue.parse(Data(input)) else { return }
        let issues = sample.validate(value)
        if issues.isEmpty {
            require((try? RequestBody.decode(SampleBody.self, from: Data(input), schema: sample)) != nil, "an accepted body does not decode")
        }
        for issue in issues { require(!issue.field.isEmpty && !issue.message.isEmpty, "an issue without field or message") }
    }

    struct SampleBody: Decodable {
        let region: String
        let amount: Int64
        let on: String?
        let at: Date?
        let kind: String
        let tags: [String]?
        let nested: Nested?
        let ratio: Double?
        let flag: Bool?
        let free: JSONValue?
        let maybe: String?
        struct Nested: Decodable { let id: String; let count: Int }
    }

    static let sample: Schema = .named(
        "Sample",
        .object([
            .required("region", .regionCode), .required("amount", .money(allowingNegative: true)), .optional("on", .date), .optional("at", .dateTime),
            .required("kind", .enumeration(["a", "b"])), .optional("tags", .array(.string(maxLength: 20, minLength: 1), maxItems: 5)),
            .optional("nested", .object([.required("id", .uuid), .required("count", .integer(minimum: 0, maximum: 100))])),
            .optional("ratio", .number), .optional("flag", .boolean), .optional("free", .freeObject), .optional("maybe", .nullable(.currencyCode)),
        ]))

    static let declared: [QueryParameter] = [
        QueryParameter("limit", .integer(minimum: 1, maximum: 200), ""), QueryParameter("cursor", .string(maxLength: 512), ""),
        QueryParameter("region", .regionCode, ""), QueryParameter("from", .dateTime, ""), QueryParameter("on", .date, ""),
        QueryParameter("state", .enumeration(["open", "closed"]), ""), QueryParameter("flag", .boolean, ""), QueryParameter("ratio", .number, ""),
    ]

    /// A query string, split as a URL's would be: valid names and values are kept and typed, the
    /// rest refused with their names; a cursor value either decodes or is refused.
    static func query(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        let pairs = text.split(separator: "&", omittingEmptySubsequences: false).prefix(64).map { part -> (String, String) in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(pieces[0]), pieces.count > 1 ? String(pieces[1]) : "")
        }
        guard let values = try? QueryValidation.validate(pairs, against: declared) else { return }
        if let limit = values["limit"] { require(Int(limit).map { (1...200).contains($0) } ?? false, "limit \(limit) passed") }
        if let cursor = values["cursor"], let decoded = Cursor(encoded: cursor) {
            require(Cursor(encoded: decoded.encoded) == decoded, "cursor round trip changed it")
        }
        _ = try? PageRequest(limit: values["limit"], cursor: values["cursor"])
    }

    /// The small text forms people type: what parses formats back to itself.
    static func text(_ input: [UInt8]) {
        let text = String(decoding: input.prefix(256), as: UTF8.self)
        if let date = LocalDate(text) {
            require(date.description == text, "LocalDate \(text) formats as \(date)")
            _ = date.adding(months: Int(input.first ?? 0) * 1_000_000).adding(days: Int.max).description
        }
        if let instant = ISO8601.parse(text) {
            _ = instant.epochMicros
            require(ISO8601.parse(ISO8601.format(instant)) != nil, "an instant's own format does not parse: \(text)")
        }
        for currency in ["BRL", "CLP", "KWD"] {
            if let minor = MoneyText.minorUnits(text, currency: currency) {
                require(minor >= 0 && minor <= Money.maximumMinorUnits, "amount \(text) beyond the bound")
                require(MoneyText.minorUnits(MoneyText.text(minor, currency: currency), currency: currency) == minor, "amount \(text) does not round-trip")
            }
        }
        if let region = RegionCode(text) { require(RegionCode(region.rawValue) == region, "region \(text)") }
        _ = EndpointResponse.parseVersion(ifMatch: text)
        _ = EntityRef(parsing: text)
        _ = try? IdempotencyKey.validate(text)
    }
}
