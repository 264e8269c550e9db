import Calendars
import Foundation
import JSONCoding
import Kernel
import SQLKit
import Testing
import VigilTesting

/// What `StoredEntity` derives from a Codable type, on a record with every stored form: the
/// column names, each form written and read back unchanged (instants to the microsecond), a patch
/// applied, only changed columns updated, a stale version refused, pages of one region only.
@Suite struct StoredEntityKitTests {
    @Test func theColumnsAreThePropertiesInSnakeCase() {
        #expect(
            Sample.columnNames == [
                "id", "region", "name", "kind", "tags", "due_on", "count", "closed_at", "limits", "created_at", "updated_at", "version",
            ])
        #expect(StoredColumnName.of("slaDueAt") == "sla_due_at")
    }

    @Test(arguments: TestEngine.available)
    func everyFormIsWrittenAndReadBackUnchanged(_ engine: TestEngine) async throws {
        try await withSampleDesk(engine) { desk in
            let full = Sample.make(id: "s-full", region: "BR-SP", at: Sample.instant, dueOn: LocalDate(year: 2027, month: 2, day: 28), closedAt: Sample.instant)
            let bare = Sample.make(id: "s-bare", region: "BR-SP", at: Sample.instant)
            for sample in [full, bare] {
                _ = try await desk.context.transaction(desk.test.system()) { tx in try await tx.create(sample, action: "record-kit.sample.create") }
            }
            #expect(try await desk.context.get(Sample.self, "s-full", by: desk.reader) == full)
            #expect(try await desk.context.get(Sample.self, "s-bare", by: desk.reader) == bare)
            // The stored forms themselves: microseconds, a comma list, NULL for an absent value.
            let row = try #require(try await desk.sql.select().column("*").from(Sample.table).where("id", .equal, "s-bare").first())
            #expect(try row.decode(column: "created_at", as: Int64.self) == 1_767_225_600_123_456)
            #expect(try row.decode(column: "tags", as: String.self) == ",night,rain,")
            #expect(try row.decodeNil(column: "due_on"))
            #expect(try row.decode(column: "kind", as: String.self) == "urgent")
            let audited = try await desk.sql.raw("SELECT COUNT(*) AS n FROM vigil_audit WHERE action = 'record-kit.sample.create'").first()
            #expect(try audited?.decode(column: "n", as: Int.self) == 2)
        }
    }

    @Test func aPatchReplacesWhatItHoldsAndKeepsTheRestToTheMicrosecond() throws {
        let before = Sample.make(id: "s-1", region: "BR-SP", at: Sample.instant, closedAt: Sample.instant)
        let after = try before.merging(SamplePatch(name: "Renamed", kind: nil, count: 7))
        #expect(after.name == "Renamed" && after.count == 7 && after.kind == before.kind)
        #expect(after.createdAt == before.createdAt && after.closedAt == before.closedAt)
        #expect(after.createdAt.epochMicros == 1_767_225_600_123_456)
        #expect(throws: VigilError.self) { try before.merging(["colour": "red"]) }
    }

    @Test(arguments: TestEngine.available)
    func anUpdateWritesTheChangedColumnsAtTheVersionReadAndRefusesAStaleOne(_ engine: TestEngine) async throws {
        try await withSampleDesk(engine) { desk in
            let created = Sample.make(id: "s-u", region: "BR-SP", at: Sample.instant, dueOn: LocalDate(year: 2027, month: 1, day: 4))
            _ = try await desk.context.transaction(desk.test.system()) { tx in try await tx.create(created, action: "record-kit.sample.create") }
            var change = created
            change.name = "Second"
            change.dueOn = nil
            let updated = try await desk.context.transaction(desk.test.system()) { [change] tx in
                try await tx.update(created, to: change, expectedVersion: 1, action: "record-kit.sample.update")
            }
            #expect(updated.version == 2 && updated.name == "Second" && updated.dueOn == nil)
            // The clock's instant, not the one the caller left: every update stamps updated_at.
            #expect(updated.updatedAt == desk.test.clock.now() && updated.createdAt == created.createdAt)
            let audit = try #require(try await desk.sql.raw("SELECT changes FROM vigil_audit WHERE action = 'record-kit.sample.update'").first())
            let changes = try audit.decode(column: "changes", as: String.self)
            #expect(changes.contains("\"name\"") && changes.contains("\"dueOn\"") && !changes.contains("\"tags\""))

            // A change worked out from version 1 again: refused, and nothing is written.
            await #expect(throws: VigilError.self) {
                try await desk.context.transaction(desk.test.system()) { [change] tx in
                    try await tx.update(created, to: change, expectedVersion: 1, action: "record-kit.sample.update")
                }
            }
            #expect(try await desk.context.get(Sample.self, "s-u", by: desk.reader) == updated)
        }
    }

    @Test(arguments: TestEngine.available)
    func pagesHoldTheReadersRegionsOnlyEachRecordOnce(_ engine: TestEngine) async throws {
        try await withSampleDesk(engine) { desk in
            for n in 0..<7 {
                let sample = Sample.make(
                    id: "s-\(n)", region: n < 5 ? "BR-SP" : "MX-CMX", at: Sample.instant.addingTimeInterval(Double(n % 3)))
                _ = try await desk.context.transaction(desk.test.system()) { tx in try await tx.create(sample, action: "record-kit.sample.create") }
            }
            var seen: [String] = []
            var cursor: Cursor?
            repeat {
                let page = try await desk.context.list(Sample.self, page: PageRequest(limit: 2, after: cursor), by: desk.reader)
                seen += page.items.map(\.id)
                cursor = page.nextCursor.flatMap(Cursor.init(encoded:))
            } while cursor != nil
            // Newest first, ties by id descending; MX-CMX's two are in no page.
            #expect(seen == ["s-2", "s-4", "s-1", "s-3", "s-0"])
            await #expect(throws: VigilError.self) { try await desk.context.get(Sample.self, "s-5", by: desk.reader) }
            let all = try await desk.context.list(Sample.self, page: PageRequest(), by: Principal.system("test", permissions: [Sample.readPermission]))
            #expect(all.items.count == 7)
        }
    }

    @Test func theSchemaOfATypeHasItsMembersAndTheirForms() throws {
        let schema = Schema.of(SampleInput.self)
        guard case .named("DomainGuideTests.SampleInput", .object(let object)) = schema else {
            Issue.record("not a named object: \(schema)")
            return
        }
        #expect(object.properties.map(\.name) == ["region", "name", "kind", "tags", "dueOn", "limits"])
        #expect(object.properties.filter(\.required).map(\.name) == ["region", "name", "kind", "tags"])
        let good = try JSONValue.parse(Data(#"{"region":"BR-SP","name":"A","kind":"routine","tags":["x"],"limits":{"most":3}}"#.utf8))
        #expect(schema.validate(good).isEmpty)
        let bad = try JSONValue.parse(Data(#"{"region":"Brazil","name":1,"kind":"whenever","tags":"x","dueOn":"soon","extra":true}"#.utf8))
        #expect(Set(schema.validate(bad).map(\.field)) == ["region", "name", "kind", "tags", "dueOn", "extra"])
    }

    // MARK: The record and its desk

    struct Desk {
        let test: TestRuntime
        let context: DomainContext
        let reader: Principal
        var sql: any SQLDatabase { context.database.sql }
    }

    func withSampleDesk(_ engine: TestEngine, _ body: (Desk) async throws -> Void) async throws {
        let test = try await TestRuntime.make(engine, domains: [SampleDomain.self])
        do {
            let reader = try await test.user("reader@samples.test", roles: ["sample-reader"], regions: .only([RegionCode("BR-SP")!]))
            try await body(Desk(test: test, context: test.runtime.context(for: SampleDomain.id), reader: reader.principal))
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }
}

enum SampleKind: String, Codable, Sendable, StoredEnum { case urgent, routine }

struct SampleLimits: Codable, Sendable, Equatable { var most: Int }

struct Sample: StoredEntity, Equatable {
    static let table = "record_kit_samples"
    static let entityType = "record-kit.sample"
    static let readPermission: Permission = "record-kit.sample.read"
    /// 2026-01-01T00:00:00.123456Z: a fraction JSON's milliseconds would round away.
    static let instant = Date(epochMicros: 1_767_225_600_123_456)

    var id: String
    var region: RegionCode
    var name: String
    var kind: SampleKind
    var tags: [String]
    var dueOn: LocalDate?
    var count: Int
    var closedAt: Date?
    var limits: SampleLimits
    var createdAt: Date
    var updatedAt: Date
    var version: Int

    static func make(id: String, region: String, at instant: Date, dueOn: LocalDate? = nil, closedAt: Date? = nil) -> Sample {
        Sample(
            id: id, region: RegionCode(region)!, name: "Sample \(id)", kind: .urgent, tags: ["night", "rain"], dueOn: dueOn, count: 1,
            closedAt: closedAt, limits: SampleLimits(most: 3), createdAt: instant, updatedAt: instant, version: 1)
    }
}

struct SamplePatch: Encodable {
    var name: String?
    var kind: SampleKind?
    var count: Int?
}

struct SampleInput: Codable {
    var region: RegionCode
    var name: String
    var kind: SampleKind
    var tags: [String]
    var dueOn: LocalDate?
    var limits: SampleLimits?
}

struct SampleDomain: DomainModule {
    static let id: DomainID = "record-kit"
    static let title = "Samples of every stored form"
    static var permissions: [PermissionDescriptor] { [.init(Sample.readPermission, "Read samples", readOnly: true)] }
    static var roles: [RoleDescriptor] { [.init("sample-reader", "Sample reader", "Reads samples")] }
    static var roleGrants: [Role: [Permission]] { ["sample-reader": [Sample.readPermission]] }
    static var migrations: [Migration] {
        [
            Migration(
                "0001-samples", "samples",
                [
                    """
                    CREATE TABLE record_kit_samples (
                        id TEXT PRIMARY KEY, region TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, tags TEXT NOT NULL, due_on TEXT,
                        count INTEGER NOT NULL, closed_at BIGINT, limits TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                        version INTEGER NOT NULL
                    )
                    """
                ])
        ]
    }
    init(context: DomainContext) {}
}
