import Calendars
import Foundation
import Kernel
import Monetary
import Testing

@Suite struct ValueTests {
    @Test func uuidv7IsVersionedTimeOrderedAndStrictlyIncreasing() {
        let clock = FixedWallClock()
        let generator = UUIDv7Generator(clock: clock)
        let ids = (0..<5_000).map { _ in generator.next() }
        #expect(ids.allSatisfy { $0.uuidString.dropFirst(14).first == "7" })
        #expect(ids.allSatisfy { ["8", "9", "A", "B"].contains($0.uuidString.dropFirst(19).first!) })
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0.lowercased < $1.lowercased })
        #expect(ids[0].v7Milliseconds == UInt64(clock.now().timeIntervalSince1970 * 1000))
        clock.advance(by: 1)
        #expect(generator.next().lowercased > ids.last!.lowercased)
    }

    @Test func cursorRoundTripsAndRejectsGarbage() {
        let cursor = Cursor([.integer(1_768_478_400_000_000), .text("01a2-xyz")])
        #expect(Cursor(encoded: cursor.encoded) == cursor)
        #expect(Cursor(encoded: "not a cursor!!") == nil)
        #expect(Cursor(encoded: "") == nil)
    }

    @Test func pageRequestValidatesLimitAndCursor() throws {
        #expect(try PageRequest(limit: nil, cursor: nil).limit == 50)
        #expect(try PageRequest(limit: "200", cursor: nil).limit == 200)
        #expect(throws: VigilError.self) { try PageRequest(limit: "201", cursor: nil) }
        #expect(throws: VigilError.self) { try PageRequest(limit: "ten", cursor: nil) }
        #expect(throws: VigilError.self) { try PageRequest(limit: nil, cursor: "%%%") }
    }

    @Test func regionCodesAreValidated() {
        #expect(RegionCode("br-sp")?.rawValue == "BR-SP")
        #expect(RegionCode("MX-CMX") != nil)
        #expect(RegionCode("BR") != nil)
        #expect(RegionCode("Brazil") == nil)
        #expect(RegionCode("BR-SPXX") == nil)
    }

    @Test func iso8601RoundTripsWithMilliseconds() {
        let date = Date(timeIntervalSince1970: 1_768_478_400.123)
        #expect(ISO8601.format(date) == "2026-01-15T12:00:00.123Z")
        #expect(ISO8601.parse("2026-01-15T09:00:00-03:00") == Date(timeIntervalSince1970: 1_768_478_400))
        #expect(ISO8601.parse("15/01/2026") == nil)
        #expect(ISO8601.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
        #expect(ISO8601.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        // Every format parses back to the same millisecond, across years and leap days.
        for seconds in stride(from: -2_000_000_000.0, to: 4_000_000_000.0, by: 7_777_777.777) {
            let instant = Date(timeIntervalSince1970: (seconds * 1000).rounded() / 1000)
            #expect(ISO8601.parse(ISO8601.format(instant)).map { abs($0.timeIntervalSince(instant)) < 0.0005 } == true)
        }
    }

    @Test func fieldDiffListsOnlyChangedFields() throws {
        struct Snapshot: Encodable { let a: Int; let b: String; let c: String? }
        let changes = try FieldChange.diff(before: Snapshot(a: 1, b: "x", c: nil), after: Snapshot(a: 2, b: "x", c: "new"))
        #expect(changes.map(\.field) == ["a", "c"])
        #expect(changes[0].before == .integer(1) && changes[0].after == .integer(2))
    }

    @Test func ifMatchVersionsParse() {
        #expect(EndpointResponse.parseVersion(ifMatch: "\"3\"") == 3)
        #expect(EndpointResponse.parseVersion(ifMatch: "W/\"12\"") == 12)
        #expect(EndpointResponse.parseVersion(ifMatch: "7") == 7)
        #expect(EndpointResponse.parseVersion(ifMatch: "\"abc\"") == nil)
    }
}
