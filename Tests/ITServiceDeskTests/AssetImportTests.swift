import CSVCoding
import Foundation
import ITServiceDesk
import Kernel
import Testing
import VigilTesting

@Suite struct AssetImportTests {
    static let header = AssetColumns.all.joined(separator: ",")

    /// A row with the given fields, others empty.
    static func row(_ values: [String: String]) -> String {
        AssetColumns.all.map { CSV.escape(values[$0] ?? "") }.joined(separator: ",")
    }

    static func laptop(_ tag: String, serial: String? = nil, cost: String = "5000.00", site: String = "SP-HQ", extra: [String: String] = [:]) -> String {
        var values = [
            "tag": tag, "model": "ThinkPad T14", "status": "in-stock", "site": site, "cost_center": "CC-IT", "purchase_date": "2026-01-10",
            "cost": cost, "currency": "BRL", "salvage": "500.00", "supplier": "Dell, Inc.",
        ]
        values["serial"] = serial
        values.merge(extra) { _, new in new }
        return row(values)
    }

    static func prepare(_ desk: ITDeskFixture) async throws {
        let system = desk.test.system()
        _ = try await desk.sites.addCostCenter(site: "SP-HQ", costCenter: "CC-IT", name: "IT", by: system)
        _ = try await AssetService(context: desk.context).createModel(
            AssetModelInput(name: "ThinkPad T14", manufacturer: "Lenovo", category: "laptop", expectedLifeMonths: 36, unitCost: 550_000, currency: "BRL"),
            by: system)
    }

    @Test(arguments: TestEngine.available)
    func badRowsAreListedAndGoodRowsImportWhole(_ engine: TestEngine) async throws {
        let desk = try await ITDeskFixture.make(engine)
        try await Self.prepare(desk)
        let importer = AssetImporter(context: desk.context)
        let lines = [
            Self.header,
            Self.laptop("NB-0001", serial: "SN1"),
            Self.laptop("NB-0002", serial: "SN2", cost: "12,50"),  // bad amount
            Self.laptop("NB-0003", serial: "SN3", extra: ["purchase_date": "2026-02-30", "model": "Nope"]),  // two problems
            Self.laptop("NB-0004", serial: "SN1"),  // serial of NB-0001
            Self.laptop("NB-0005", extra: ["location": "3rd floor, \"east\"\nrack 2"]),
            "NB-0006,too,few",
            "",
            Self.laptop("NB-0007", site: "RJ-XX"),  // unknown site
        ]
        let report = try await importer.run(CSVReader(data: Data(lines.joined(separator: "\r\n").utf8)), fileName: "first.csv", by: desk.test.system())
        #expect(report.rows == 7 && report.created == 2 && report.rejected == 5)
        let byLine = Dictionary(grouping: report.errors, by: \.line)
        #expect(byLine[3]?.map(\.field) == ["cost"])
        #expect(Set(byLine[4]?.map(\.field) ?? []) == ["model", "purchase_date"])
        #expect(byLine[5]?.first?.field == "serial" && byLine[5]?.first?.message.contains("NB-0001") == true)
        #expect(byLine[8]?.first?.field == "csv")
        #expect(byLine[10]?.first?.field == "site")
        // Nothing of a bad row was written; the good ones are whole, quotes and line breaks included.
        #expect(try await desk.test.count("it_assets") == 2)
        let service = AssetService(context: desk.context)
        let system = desk.test.runtime.systemPrincipal("t")
        let five = try await service.get("NB-0005", by: system)
        #expect(five.location == "3rd floor, \"east\"\nrack 2" && five.supplier == "Dell, Inc." && five.cost == 500_000 && five.salvage == 50_000)
        #expect(five.lifeMonths == 36 && five.depreciation == "straight-line" && five.costCenter == "CC-IT" && five.importId == report.id)
        await desk.close()
    }

    @Test(arguments: TestEngine.available)
    func reimportingUpdatesByTagAndChangesNothingTheSecondTime(_ engine: TestEngine) async throws {
        let desk = try await ITDeskFixture.make(engine)
        try await Self.prepare(desk)
        let importer = AssetImporter(context: desk.context)
        let file = ([Self.header] + (1...250).map { Self.laptop(String(format: "NB-%04d", $0), serial: "SN\($0)") }).joined(separator: "\n") + "\n"
        let first = try await importer.run(CSVReader(data: Data(file.utf8)), fileName: "a.csv", by: desk.test.system())
        #expect(first.created == 250 && first.updated == 0 && first.rejected == 0)
        let again = try await importer.run(CSVReader(data: Data(file.utf8)), fileName: "a.csv", by: desk.test.system())
        #expect(again.created == 0 && again.updated == 0 && again.unchanged == 250)
        #expect(try await desk.test.count("it_assets") == 250)
        // One changed row updates that asset only, and its version moves.
        let changed = file.replacingOccurrences(of: Self.laptop("NB-0007", serial: "SN7"), with: Self.laptop("NB-0007", serial: "SN7", cost: "4800.00"))
        let third = try await importer.run(CSVReader(data: Data(changed.utf8)), fileName: "b.csv", by: desk.test.system())
        #expect(third.updated == 1 && third.unchanged == 249)
        let seven = try await AssetService(context: desk.context).get("NB-0007", by: desk.test.runtime.systemPrincipal("t"))
        #expect(seven.cost == 480_000 && seven.version == 2)
        // Each import is audited with its counts.
        let audits = try await desk.test.runtime.database.sql.raw("SELECT COUNT(*) AS n FROM vigil_audit WHERE action = 'it-service-desk.asset.import'")
            .first()?.decode(column: "n", as: Int.self)
        #expect(audits == 3)
        await desk.close()
    }

    /// A serial reused two batches apart: whether the check before writing sees the first row (it
    /// may still be being written) or the database refuses the batch and its rows are retried one
    /// by one, the reused row is the only one left out.
    @Test func aSerialReusedInALaterBatchLeavesOnlyThatRowOut() async throws {
        let desk = try await ITDeskFixture.make()
        try await Self.prepare(desk)
        var lines = [Self.header]
        for n in 1...2_100 { lines.append(Self.laptop(String(format: "NB-%05d", n), serial: n == 2_050 ? "SN1" : "SN\(n)")) }
        let report = try await AssetImporter(context: desk.context).run(
            CSVReader(data: Data(lines.joined(separator: "\n").utf8)), fileName: "big.csv", by: desk.test.system())
        #expect(report.created == 2_099 && report.rejected == 1)
        #expect(report.errors.map(\.tag) == ["NB-02050"] && report.errors.first?.line == 2_051)
        #expect(try await desk.test.count("it_assets") == 2_099)
        await desk.close()
    }

    @Test func aBadHeaderWritesNothing() async throws {
        let desk = try await ITDeskFixture.make()
        try await Self.prepare(desk)
        let file = "tag,model,colour\nNB-1,ThinkPad T14,red\n"
        let error = await #expect(throws: VigilError.self) { () async throws in
            _ = try await AssetImporter(context: desk.context).run(CSVReader(data: Data(file.utf8)), fileName: "x.csv", by: desk.test.system())
        }
        #expect(error?.fields.contains { $0.code == .unknownField && $0.message.contains("colour") } == true)
        #expect(error?.fields.contains { $0.message.contains("'site'") } == true)
        let imports = try await desk.test.count("it_asset_imports")
        let assets = try await desk.test.count("it_assets")
        #expect(imports == 0 && assets == 0)
        await desk.close()
    }

    @Test func exportReadsBackAsAnUnchangedImportOverHTTP() async throws {
        let desk = try await ITDeskFixture.make()
        try await Self.prepare(desk)
        let server = try await LiveServer.start(desk.test.runtime)
        let agent = try await desk.test.user("it@x.com", roles: [.itAgent], regions: .only([desk.sp]))
        let client = TestClient(baseURL: server.baseURL, token: agent.token)
        let file =
            ([Self.header] + (1...30).map { Self.laptop(String(format: "NB-%04d", $0), serial: "SN\($0)", extra: ["location": "floor \($0), desk \"A\""]) })
            .joined(separator: "\n")
        let wrongType = try await client.request(
            "POST", "/api/it-service-desk/imports/assets", body: Data(file.utf8), headers: ["Content-Type": "application/json"])
        #expect(wrongType.status == 415)
        let imported = try await client.request(
            "POST", "/api/it-service-desk/imports/assets?name=office.csv", body: Data(file.utf8), headers: ["Content-Type": "text/csv"])
        #expect(imported.status == 200)
        #expect(try imported.decode(AssetImportReport.self).created == 30)
        let exported = try await client.get("/api/it-service-desk/exports/assets.csv?site=SP-HQ")
        #expect(exported.status == 200 && exported[header: "content-type"]?.hasPrefix("text/csv") == true)
        #expect(exported.text.split(separator: "\n").first.map(String.init) == Self.header)
        let reimport = try await client.request("POST", "/api/it-service-desk/imports/assets", body: exported.body, headers: ["Content-Type": "text/csv"])
        let report = try reimport.decode(AssetImportReport.self)
        #expect(report.rows == 30 && report.unchanged == 30 && report.rejected == 0)
        // The list pages by tag with a cursor.
        let first = try await client.get("/api/it-service-desk/assets?site=SP-HQ&status=in-stock&limit=20")
        let page = try #require(first.json)
        guard case .object(let members) = page, case .array(let items)? = members["items"], case .string(let cursor)? = members["nextCursor"] else {
            Issue.record("no page"); return
        }
        #expect(items.count == 20)
        let second = try await client.get("/api/it-service-desk/assets?site=SP-HQ&status=in-stock&limit=20&cursor=\(cursor)")
        guard case .object(let next)? = second.json, case .array(let rest)? = next["items"] else { Issue.record("no second page"); return }
        #expect(rest.count == 10 && next["nextCursor"] == nil)
        try await server.stop()
        await desk.close()
    }

    @Test func csvReaderHandlesQuotesChunksAndLineEnds() throws {
        let text = "\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n"
        // Fed three bytes at a time, so that every field and line end straddles a chunk edge.
        var bytes = Array(text.utf8)[...]
        let reader = CSVReader {
            guard !bytes.isEmpty else { return nil }
            let chunk = Array(bytes.prefix(3))
            bytes = bytes.dropFirst(3)
            return chunk
        }
        var records: [CSVRecord] = []
        while let record = try reader.next() { records.append(record) }
        #expect(records.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["last", "", ""]])
        #expect(records.map(\.line) == [1, 2, 4])
        let broken = CSVReader(data: Data("a,b\nc,\"open\n".utf8))
        #expect(try broken.next()?.fields == ["a", "b"])
        #expect(throws: VigilError.self) { _ = try broken.next() }
    }
}
