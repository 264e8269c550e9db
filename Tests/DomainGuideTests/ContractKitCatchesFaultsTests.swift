import DomainContractKit
import Foundation
import Kernel
import SQLKit
import Testing
import VigilTesting

/// The kit fails when a domain breaks the contract: a board with one fault at a time must make
/// `DomainContract.verify` record an issue (`withKnownIssue` fails when none is recorded).
@Suite struct ContractKitCatchesFaultsTests {
    @Test func aListThatShowsOtherRegionsIsCaught() async throws {
        await withKnownIssue { try await DomainContract.verify(FaultyBoard<ShowsEveryRegion>.self, samples: FaultyBoardSamples(), on: .sqlite) }
    }

    @Test func aCreateWithoutAuditIsCaught() async throws {
        await withKnownIssue { try await DomainContract.verify(FaultyBoard<SkipsTheAudit>.self, samples: FaultyBoardSamples(), on: .sqlite) }
    }

    @Test func aWriteWithoutPermissionIsCaught() async throws {
        await withKnownIssue { try await DomainContract.verify(FaultyBoard<AsksNoPermission>.self, samples: FaultyBoardSamples(), on: .sqlite) }
    }

    @Test func anAnswerOutsideItsSchemaIsCaught() async throws {
        await withKnownIssue { try await DomainContract.verify(FaultyBoard<AnswersOffSchema>.self, samples: FaultyBoardSamples(), on: .sqlite) }
    }

    /// And without a fault, the same board passes: the issues above are the faults'.
    @Test func theBoardWithoutAFaultPasses() async throws {
        try await DomainContract.verify(FaultyBoard<NoFault>.self, samples: FaultyBoardSamples(), on: .sqlite)
    }
}

protocol BoardFault: Sendable {}
enum NoFault: BoardFault {}
enum ShowsEveryRegion: BoardFault {}
enum SkipsTheAudit: BoardFault {}
enum AsksNoPermission: BoardFault {}
enum AnswersOffSchema: BoardFault {}

/// A one-table board whose code is right except for `Fault`.
struct FaultyBoard<Fault: BoardFault>: DomainModule {
    static var id: DomainID { "faulty-board" }
    static var title: String { "A board with a fault" }
    static var read: Permission { "faulty-board.item.read" }
    static var write: Permission { "faulty-board.item.write" }
    static var permissions: [PermissionDescriptor] { [.init(read, "Read", readOnly: true), .init(write, "Write")] }
    static var roles: [RoleDescriptor] { [.init("board-keeper", "Keeper", "Keeps the board")] }
    static var roleGrants: [Role: [Permission]] { ["board-keeper": [read, write]] }
    static var migrations: [Migration] {
        [Migration("0001-items", "items", ["CREATE TABLE faulty_items (id TEXT PRIMARY KEY, region TEXT NOT NULL, title TEXT NOT NULL)"])]
    }

    struct Item: Codable, Sendable, StoredRow {
        var id: String
        var region: RegionCode
        var title: String
        init(id: String, region: RegionCode, title: String) {
            self.id = id
            self.region = region
            self.title = title
        }
        init(_ row: RowReader) throws {
            id = try row["id"]
            region = try row["region"]
            title = try row["title"]
        }
    }

    static var item: Schema { .named("Item", .object([.required("id", .uuid), .required("region", .regionCode), .required("title", .string(maxLength: 80))])) }
    static var input: Schema { .named("ItemInput", .object([.required("region", .regionCode), .required("title", .string(maxLength: 80, minLength: 1))])) }

    let context: DomainContext
    init(context: DomainContext) { self.context = context }

    func endpoints() -> [Endpoint] {
        let context = self.context
        let list = Endpoint(
            .get, "/items", operationID: "listItems", summary: "Items", permission: Self.read, responses: [ResponseDoc(200, "Items", .array(Self.item))]
        ) { request in
            try request.principal.require(Self.read)
            var items = try await context.database.sql.select().column(SQLRaw(Item.columns)).from("faulty_items").all().map(Item.init(row:))
            if Fault.self != ShowsEveryRegion.self { items = items.filter { request.principal.canAccess($0.region) } }
            if Fault.self == AnswersOffSchema.self {
                return try .json(items.map { ["id": $0.id, "region": $0.region.rawValue, "title": $0.title, "secret": "extra"] })
            }
            return try .json(items)
        }
        let create = Endpoint(
            .post, "/items", operationID: "createItem", summary: "Add an item", permission: Fault.self == AsksNoPermission.self ? nil : Self.write,
            requestBody: Self.input, responses: [ResponseDoc(201, "The item", Self.item)], idempotent: true
        ) { request in
            let input = try request.decode(FaultyItemInput.self, schema: Self.input)
            let region = try RegionCode.parse(input.region)
            let item = Item(id: context.ids.next().lowercased, region: region, title: input.title)
            return try .json(
                try await context.transaction(request.invocation) { tx in
                    try await tx.sql.insert(into: "faulty_items").row(["id": item.id, "region": item.region, "title": item.title]).run()
                    if Fault.self != SkipsTheAudit.self {
                        try await tx.audit(
                            AuditEntry(action: "faulty-board.item.create", entity: EntityRef("faulty-board.item", item.id), region: region, changes: []))
                    }
                    return item
                }, status: 201)
        }
        return [list, create]
    }
}

struct FaultyItemInput: Decodable {
    let region: String
    let title: String
}

struct FaultyBoardSamples: ContractSamples {
    func seed(_ admin: ContractAdmin, in region: RegionCode) async throws -> ContractRecords {
        let item = try await admin.send("POST", "/api/faulty-board/items", #"{"region":"\#(region)","title":"Seeded item"}"#)
        return ContractRecords(words: [item["id"].text ?? "", "Seeded item"])
    }

    func body(for operationID: String, _ records: ContractRecords) -> String? {
        operationID == "createItem" ? #"{"region":"BR-SP","title":"Another"}"# : nil
    }
}
