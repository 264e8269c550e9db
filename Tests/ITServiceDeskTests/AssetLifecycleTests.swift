import Calendars
import Foundation
import ITServiceDesk
import JSONCoding
import Kernel
import Monetary
import Testing
import VigilTesting

@Suite struct AssetLifecycleTests {
    static func register(
        _ desk: ITDeskFixture, _ tag: String, cost: Int64 = 360_000, date: String = "2026-01-10", currency: String = "BRL", status: String = "in-stock"
    ) async throws -> Asset {
        try await AssetService(context: desk.context).create(
            AssetFields([
                "tag": tag, "model": "ThinkPad T14", "site": "SP-HQ", "cost_center": "CC-IT", "purchase_date": date,
                "cost": MoneyText.text(cost, currency: currency),
                "currency": currency, "status": status, "warranty_end": "2027-01-10",
            ]), by: desk.test.system())
    }

    @Test func movesFollowTheTableAndCheckOutInKeepHistory() async throws {
        let desk = try await ITDeskFixture.make()
        try await AssetImportTests.prepare(desk)
        let service = AssetService(context: desk.context)
        let system = desk.test.system()
        let laptop = try await Self.register(desk, "nb-1")
        #expect(laptop.tag == "NB-1" && laptop.status == .inStock && laptop.category == "laptop")
        let duplicate = await #expect(throws: VigilError.self) { () async throws in _ = try await Self.register(desk, "NB-1") }
        #expect(duplicate?.kind == .conflict)

        // Deploying is a check-out; disposing straight from stock is not a move of the table.
        let direct = await #expect(throws: VigilError.self) { () async throws in
            _ = try await service.transition("NB-1", to: .deployed, expectedVersion: 1, by: system)
        }
        #expect(direct?.kind == .conflict)
        let skip = await #expect(throws: VigilError.self) { () async throws in
            _ = try await service.transition("NB-1", to: .disposed, expectedVersion: 1, by: system)
        }
        #expect(skip?.detail.contains("can become deployed, in-repair, retired") == true)

        let out = try await service.checkOut("NB-1", to: "maria@x.com", expectedBack: LocalDate("2026-03-01"), expectedVersion: laptop.version, by: system)
        #expect(out.status == .deployed && out.assignedTo == "maria@x.com" && out.checkInDue == LocalDate("2026-03-01"))
        let stale = await #expect(throws: VigilError.self) { () async throws in
            _ = try await service.checkIn("NB-1", note: nil, expectedVersion: laptop.version, by: system)
        }
        #expect(stale?.kind == .preconditionFailed)
        // Overdue after the expected date.
        desk.at("2026-03-05T12:00:00Z")
        let overdue = try await service.attention(.checkInOverdue, site: "SP-HQ", by: desk.test.runtime.systemPrincipal("t"))
        #expect(overdue.map(\.tag) == ["NB-1"])
        let back = try await service.checkIn("NB-1", note: "returned by courier", expectedVersion: out.version, by: system)
        #expect(back.status == .inStock && back.assignedTo == nil)
        let repair = try await service.transition("NB-1", to: .inRepair, note: "keyboard", expectedVersion: back.version, by: system)
        let retired = try await service.transition("NB-1", to: .retired, expectedVersion: repair.version, by: system)
        #expect(retired.retiredOn == LocalDate("2026-03-05"))
        let noMethod = await #expect(throws: VigilError.self) { () async throws in
            _ = try await service.transition("NB-1", to: .disposed, expectedVersion: retired.version, by: system)
        }
        #expect(noMethod?.kind == .validation)
        let disposed = try await service.transition(
            "NB-1", to: .disposed, disposal: AssetDisposal(method: "sold", value: 35_000), expectedVersion: retired.version, by: system)
        #expect(disposed.disposalMethod == "sold" && disposed.disposalValue == 35_000)
        // The list's hand-written JSON says exactly what Codable says, for a full and a bare asset.
        for asset in [disposed, laptop] {
            let handWritten = try JSONValue.parse(StreamingJSON.encode(asset))
            let codable = try JSONValue.parse(VigilJSON.encoder.encode(asset))
            #expect(handWritten == codable)
        }
        let history = try await service.history("NB-1", by: desk.test.runtime.systemPrincipal("t"))
        #expect(history.items.map(\.kind.rawValue) == ["registered", "check-out", "check-in", "status", "status", "status"])
        #expect(history.items.last?.toStatus == "disposed")
        await desk.close()
    }

    /// The list resolves names from a short-lived cache: a site added a moment ago shows, and a
    /// user of one region sees only that region's assets.
    @Test func listShowsOnlyTheRegionsOfTheReaderWithFreshNames() async throws {
        let desk = try await ITDeskFixture.make()
        try await AssetImportTests.prepare(desk)
        let service = AssetService(context: desk.context)
        _ = try await Self.register(desk, "SP-1")
        let reader = try await desk.test.user("sp.agent@x.com", roles: [.itAgent], regions: .only([desk.sp]))
        #expect(try await service.list(AssetFilter(), page: PageRequest(), by: reader.principal).items.map(\.tag) == ["SP-1"])
        _ = try await desk.sites.create(
            SiteInput(code: "CMX-1", name: "CDMX", country: "MX", region: "MX-CMX", timeZone: "America/Mexico_City", currency: "MXN"), by: desk.test.system())
        _ = try await service.create(
            AssetFields(["tag": "MX-1", "model": "ThinkPad T14", "site": "CMX-1", "purchase_date": "2026-01-10", "cost": "100.00", "currency": "MXN"]),
            by: desk.test.system())
        let all = try await service.list(AssetFilter(), page: PageRequest(), by: desk.test.runtime.systemPrincipal("t")).items
        #expect(
            all.map(\.tag) == ["MX-1", "SP-1"] && all.first?.site == "CMX-1" && all.first?.timeZone == "America/Mexico_City" && all.last?.costCenter == "CC-IT")
        #expect(try await service.list(AssetFilter(), page: PageRequest(), by: reader.principal).items.map(\.tag) == ["SP-1"])
        let hidden = await #expect(throws: VigilError.self) { () async throws in
            _ = try await service.list(AssetFilter(site: "CMX-1"), page: PageRequest(), by: reader.principal)
        }
        // Another region's site answers as a site that does not exist: the same words, the same status.
        #expect(hidden?.kind == .validation)
        let missing = await #expect(throws: VigilError.self) { () async throws in
            _ = try await service.list(AssetFilter(site: "NOPE-9"), page: PageRequest(), by: reader.principal)
        }
        #expect(hidden?.fields == missing?.fields.map { FieldIssue($0.field, $0.code, $0.message.replacingOccurrences(of: "NOPE-9", with: "CMX-1")) })
        await desk.close()
    }

    @Test func bulkChecksEveryAssetFirstAndWritesAllOrNothing() async throws {
        let desk = try await ITDeskFixture.make()
        try await AssetImportTests.prepare(desk)
        let service = AssetService(context: desk.context)
        for tag in ["A-1", "A-2"] { _ = try await Self.register(desk, tag) }
        _ = try await Self.register(desk, "A-3", status: "ordered")
        let refused = await #expect(throws: VigilError.self) { () async throws in
            _ = try await service.bulk(AssetBulkInput(tags: ["A-1", "A-2", "A-3", "A-9"], action: .transition, status: "in-repair"), by: desk.test.system())
        }
        #expect(Set(refused?.fields.map(\.field) ?? []) == ["tags[2]", "tags[3]"])
        let untouched = try await service.list(AssetFilter(status: .inStock), page: PageRequest(), by: desk.test.runtime.systemPrincipal("t")).items.map(\.tag)
        #expect(untouched == ["A-1", "A-2"])
        let moved = try await service.bulk(
            AssetBulkInput(tags: ["A-1", "A-2"], action: .transition, status: "in-repair", note: "battery recall"), by: desk.test.system())
        #expect(moved.map(\.status) == [.inRepair, .inRepair])
        let audited = try await service.bulk(AssetBulkInput(tags: ["A-1", "A-3"], action: .audit), by: desk.test.system())
        #expect(audited.allSatisfy { $0.lastAudit == LocalDate("2026-02-13") && $0.nextAuditDue == LocalDate("2027-02-13") })
        await desk.close()
    }

    @Test func bookValueByCostCenterBeforePurchaseDuringAndAfterLife() async throws {
        let desk = try await ITDeskFixture.make()
        try await AssetImportTests.prepare(desk)
        _ = try await desk.sites.addCostCenter(site: "SP-HQ", costCenter: "CC-OPS", name: "Operations", by: desk.test.system())
        // 36 months straight line, no salvage: 3,600.00 loses 100.00 a month from January 2026.
        _ = try await Self.register(desk, "B-1", cost: 360_000, date: "2026-01-10")
        _ = try await Self.register(desk, "B-2", cost: 720_000, date: "2026-07-01")
        _ = try await Self.register(desk, "B-3", cost: 120_000, date: "2026-01-10", currency: "USD")
        // Bought in January like B-1, disposed of on 1 July: on the books until 30 June.
        _ = try await AssetService(context: desk.context).create(
            AssetFields([
                "tag": "B-4", "model": "ThinkPad T14", "site": "SP-HQ", "cost_center": "CC-IT", "purchase_date": "2026-01-10", "cost": "3600.00",
                "currency": "BRL",
                "status": "disposed", "disposal_method": "sold", "disposal_value": "1500.00", "retired_on": "2026-07-01",
            ]), by: desk.test.system())
        let book = AssetBook(context: desk.context)
        let system = desk.test.runtime.systemPrincipal("t")
        let before = try await book.bookValues(asOf: LocalDate("2025-12-31")!, site: nil, by: system)
        #expect(before.assets == 0 && before.lines.isEmpty)
        let mid = try await book.bookValues(asOf: LocalDate("2026-06-30")!, site: nil, by: system)
        let brl = try #require(mid.lines.first { $0.currency == "BRL" })
        // B-1 and B-4 after 6 months: 3,000.00 each; B-2 not bought yet.
        #expect(brl.assets == 2 && brl.bookValue == 600_000 && brl.accumulated == 120_000 && brl.costCenter == "CC-IT")
        let usd = try #require(mid.lines.first { $0.currency == "USD" })
        #expect(usd.bookValue == 100_000)
        let end = try await book.bookValues(asOf: LocalDate("2026-12-31")!, site: "SP-HQ", by: system)
        // B-1: 12 months → 2,400.00; B-2: 6 months of 200.00 → 6,000.00.
        let endBRL = end.lines.first { $0.currency == "BRL" }?.bookValue
        #expect(endBRL == 840_000)
        let after = try await book.bookValues(asOf: LocalDate("2031-01-01")!, site: nil, by: system)
        #expect(after.lines.allSatisfy { $0.bookValue == 0 } && after.assets == 3)
        let year = try await book.depreciation(fiscalYear: 2026, site: nil, by: system)
        let line = try #require(year.first { $0.currency == "BRL" })
        // Opening at cost (all bought in 2026); B-4 leaves at 3,000.00 after 6 months of 100.00.
        #expect(line.assets == 3 && line.opening == 360_000 + 720_000 + 360_000 && line.disposals == 300_000)
        #expect(line.depreciation == 120_000 + 120_000 + 60_000 && line.closing == 840_000)
        #expect(line.opening - line.depreciation - line.disposals == line.closing)
        let next = try await book.depreciation(fiscalYear: 2027, site: nil, by: system).first { $0.currency == "BRL" }
        #expect(next?.assets == 2 && next?.opening == 840_000 && next?.disposals == 0)
        // Today (13 February 2026) January is booked: 3,500.00.
        let schedule = try await book.schedule("B-1", by: system)
        #expect(schedule.periods.map(\.depreciation) == [120_000, 120_000, 120_000] && schedule.bookValueToday == 350_000)
        await desk.close()
    }
}
