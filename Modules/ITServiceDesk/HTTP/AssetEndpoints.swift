import Calendars
import CSVCoding
import Foundation
import Kernel
import Synchronization

/// /api/it-service-desk/assets and friends: models, the asset list, the lifecycle, imports,
/// exports and the money reports.
struct AssetEndpoints {
    let assets: AssetService
    let book: AssetBook
    let importer: AssetImporter

    var all: [Endpoint] {
        [
            createModel, listModels, create, list, show, history, schedule, transition, checkOut, checkIn, audit, bulk, attention, importCSV, importRecord,
            exportCSV,
            bookValues, depreciation,
        ]
    }

    var createModel: Endpoint {
        Endpoint(
            .post, "/asset-models", operationID: "createAssetModel", summary: "Add a model of equipment", permission: ITServiceDeskPermissions.assetManage,
            requestBody: AssetSchemas.modelInput, responses: [ResponseDoc(201, "The model", AssetSchemas.model)], idempotent: true
        ) { request in
            let input = try request.decode(AssetModelInput.self, schema: AssetSchemas.modelInput)
            let model = try await assets.createModel(input, by: request.invocation)
            return try .json(model, status: 201, version: model.version)
        }
    }

    var listModels: Endpoint {
        Endpoint(
            .get, "/asset-models", operationID: "listAssetModels", summary: "Models of equipment", permission: ITServiceDeskPermissions.assetRead,
            responses: [ResponseDoc(200, "Models", .array(AssetSchemas.model))]
        ) { request in
            try .json(try await assets.models(by: request.principal))
        }
    }

    var create: Endpoint {
        Endpoint(
            .post, "/assets", operationID: "createAsset", summary: "Register an asset", permission: ITServiceDeskPermissions.assetManage,
            requestBody: AssetSchemas.input, responses: [ResponseDoc(201, "The asset", AssetSchemas.asset)], idempotent: true
        ) { request in
            let input = try request.decode(AssetInput.self, schema: AssetSchemas.input)
            let asset = try await assets.create(input.fields, by: request.invocation)
            return try .json(asset, status: 201, version: asset.version, location: "/api/it-service-desk/assets/\(asset.tag)")
        }
    }

    var list: Endpoint {
        Endpoint(
            .get, "/assets", operationID: "listAssets", summary: "Assets in tag order, filtered by site, status, category or holder, paged by cursor",
            permission: ITServiceDeskPermissions.assetRead,
            query: [
                QueryParameter("site", .string(maxLength: 20), "Site code"),
                QueryParameter("status", .enumeration(AssetStatus.allCases.map(\.rawValue)), "Status"),
                QueryParameter("category", .enumeration(AssetCategory.all), "Category"), QueryParameter("assignedTo", .string(maxLength: 200), "Holder"),
                .pagingLimit, .pagingCursor,
            ],
            responses: [ResponseDoc(200, "A page of assets", AssetSchemas.page)]
        ) { request in
            let query = request.query
            let filter = AssetFilter(
                site: query["site"], status: query["status"].flatMap(AssetStatus.init(rawValue:)), category: query["category"], assignedTo: query["assignedTo"])
            return try .json(try await assets.list(filter, page: try ITEndpoints.page(query), by: request.principal))
        }
    }

    var show: Endpoint {
        Endpoint(
            .get, "/assets/{tag}", operationID: "getAsset", summary: "One asset", permission: ITServiceDeskPermissions.assetRead,
            responses: [ResponseDoc(200, "The asset", AssetSchemas.asset)]
        ) { request in
            let asset = try await assets.get(request.path("tag"), by: request.principal)
            return try .json(asset, version: asset.version)
        }
    }

    var history: Endpoint {
        Endpoint(
            .get, "/assets/{tag}/history", operationID: "assetHistory", summary: "Moves, check-outs and check-ins, audits of an asset, oldest first",
            permission: ITServiceDeskPermissions.assetRead, query: [.pagingLimit, .pagingCursor],
            responses: [ResponseDoc(200, "A page of history", .page("AssetEventPage", of: AssetSchemas.event))]
        ) { request in
            let page = try PageRequest(limit: request.query["limit"], cursor: request.query["cursor"])
            return try .json(try await assets.history(request.path("tag"), page: page, by: request.principal))
        }
    }

    var schedule: Endpoint {
        Endpoint(
            .get, "/assets/{tag}/depreciation", operationID: "assetDepreciation", summary: "An asset's depreciation schedule by its site's fiscal years",
            permission: ITServiceDeskPermissions.assetRead, responses: [ResponseDoc(200, "The schedule", AssetSchemas.schedule)]
        ) { request in
            try .json(try await book.schedule(request.path("tag"), by: request.principal))
        }
    }

    private struct TransitionInput: Decodable { let status: String; let disposal: AssetDisposal?; let note: String? }

    var transition: Endpoint {
        Endpoint(
            .post, "/assets/{tag}/transition", operationID: "transitionAsset", summary: "Move an asset along its lifecycle (receive, repair, retire, dispose)",
            permission: ITServiceDeskPermissions.assetManage, requestBody: AssetSchemas.transition,
            responses: [ResponseDoc(200, "The asset", AssetSchemas.asset)],
            versioned: true
        ) { request in
            let input = try request.decode(TransitionInput.self, schema: AssetSchemas.transition)
            let asset = try await assets.transition(
                request.path("tag"), to: AssetStatus(rawValue: input.status)!, disposal: input.disposal, note: input.note,
                expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(asset, version: asset.version)
        }
    }

    private struct CheckOutInput: Decodable { let to: String; let expectedBack: String? }

    var checkOut: Endpoint {
        Endpoint(
            .post, "/assets/{tag}/check-out", operationID: "checkOutAsset", summary: "Hand an asset in stock to a person or place",
            permission: ITServiceDeskPermissions.assetManage, requestBody: AssetSchemas.checkOut,
            responses: [ResponseDoc(200, "The asset", AssetSchemas.asset)],
            versioned: true
        ) { request in
            let input = try request.decode(CheckOutInput.self, schema: AssetSchemas.checkOut)
            let asset = try await assets.checkOut(
                request.path("tag"), to: input.to, expectedBack: input.expectedBack.flatMap(LocalDate.init(input:)),
                expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(asset, version: asset.version)
        }
    }

    private struct NoteInput: Decodable { let note: String? }

    var checkIn: Endpoint {
        Endpoint(
            .post, "/assets/{tag}/check-in", operationID: "checkInAsset", summary: "Take a deployed asset back into stock",
            permission: ITServiceDeskPermissions.assetManage, requestBody: AssetSchemas.checkIn, responses: [ResponseDoc(200, "The asset", AssetSchemas.asset)],
            versioned: true
        ) { request in
            let input = try request.decode(NoteInput.self, schema: AssetSchemas.checkIn)
            let asset = try await assets.checkIn(request.path("tag"), note: input.note, expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(asset, version: asset.version)
        }
    }

    private struct AuditInput: Decodable { let date: String?; let note: String? }

    var audit: Endpoint {
        Endpoint(
            .post, "/assets/{tag}/audit", operationID: "auditAsset", summary: "Record a physical audit; the next falls due a period later",
            permission: ITServiceDeskPermissions.assetManage, requestBody: AssetSchemas.audit, responses: [ResponseDoc(200, "The asset", AssetSchemas.asset)]
        ) { request in
            let input = try request.decode(AuditInput.self, schema: AssetSchemas.audit)
            let asset = try await assets.audit(request.path("tag"), on: input.date.flatMap(LocalDate.init(input:)), note: input.note, by: request.invocation)
            return try .json(asset, version: asset.version)
        }
    }

    var bulk: Endpoint {
        Endpoint(
            .post, "/assets/bulk", operationID: "bulkAssets",
            summary: "One action (move along the lifecycle, move site, audit) on up to 1000 assets, all or nothing",
            permission: ITServiceDeskPermissions.assetManage, requestBody: AssetSchemas.bulk,
            responses: [ResponseDoc(200, "The assets", .array(AssetSchemas.asset))]
        ) { request in
            let input = try request.decode(AssetBulkInput.self, schema: AssetSchemas.bulk)
            return try .json(try await assets.bulk(input, by: request.invocation))
        }
    }

    var attention: Endpoint {
        Endpoint(
            .get, "/reports/asset-attention", operationID: "assetAttention", summary: "Assets whose audit or check-in is overdue, or whose warranty ends soon",
            permission: ITServiceDeskPermissions.assetRead,
            query: [
                QueryParameter("kind", .enumeration(AssetAttention.allCases.map(\.rawValue)), "Which list"),
                QueryParameter("site", .string(maxLength: 20), "Site code"),
                QueryParameter("withinDays", .integer(minimum: 1, maximum: 730), "Warranty ending within (default 60)"),
            ],
            responses: [ResponseDoc(200, "Assets", .array(AssetSchemas.asset))]
        ) { request in
            guard let kind = request.query["kind"].flatMap(AssetAttention.init(rawValue:)) else {
                throw VigilError.invalid("kind", .required, "say which list")
            }
            return try .json(
                try await assets.attention(
                    kind, site: request.query["site"], withinDays: request.query["withinDays"].flatMap(Int.init) ?? 60, by: request.principal))
        }
    }

    var importCSV: Endpoint {
        Endpoint(
            .post, "/imports/assets", operationID: "importAssets",
            summary: "Import assets from CSV (the export's columns): good rows import, bad ones are listed with the reason; the same tag updates",
            permission: ITServiceDeskPermissions.assetManage,
            query: [QueryParameter("name", .string(maxLength: 200), "The file's name, for the import record")],
            requestBody: .string(.init()),
            responses: [ResponseDoc(200, "What was imported and what was not", AssetSchemas.importReport)]
        ) { request in
            let report = try await importer.run(CSVReader(data: request.body), fileName: request.query["name"] ?? "upload.csv", by: request.invocation)
            return try .json(report)
        }.accepting("text/csv", upTo: 64 << 20)
    }

    static let importRecord: Schema = .named(
        "AssetImportRecord",
        .object([
            .required("id", .uuid), .required("fileName", .string(.init())), .required("actor", .string(.init())), .required("startedAt", .dateTime),
            .optional("finishedAt", .dateTime, "Absent while it runs (or if its server stopped during it)"), .required("rows", .integer()),
            .required("created", .integer()), .required("updated", .integer()), .required("unchanged", .integer()), .required("rejected", .integer()),
            .required(
                "errors",
                .array(
                    .object([
                        .required("line", .integer()), .required("tag", .string(.init())), .required("field", .string(.init())),
                        .required("message", .string(.init())),
                    ])), "The first 1,000 problems"),
        ]))

    var importRecord: Endpoint {
        Endpoint(
            .get, "/imports/assets/{id}", operationID: "getAssetImport", summary: "An asset import as recorded: its file, counts and first problems",
            permission: ITServiceDeskPermissions.assetManage, responses: [ResponseDoc(200, "The import", Self.importRecord)]
        ) { request in
            try .json(try await importer.record(request.path("id"), by: request.principal))
        }
    }

    var exportCSV: Endpoint {
        Endpoint(
            .get, "/exports/assets.csv", operationID: "exportAssets", summary: "Assets as CSV with the import's columns, streamed",
            permission: ITServiceDeskPermissions.assetRead,
            query: [
                QueryParameter("site", .string(maxLength: 20), "Site code"),
                QueryParameter("status", .enumeration(AssetStatus.allCases.map(\.rawValue)), "Status"),
            ],
            responses: [ResponseDoc(200, "CSV", .string(.init()), mediaType: "text/csv")]
        ) { request in
            let export = try await AssetCSVExport.make(
                context: request.context, site: request.query["site"],
                status: request.query["status"].flatMap(AssetStatus.init(rawValue:)), by: request.principal)
            let box = ExportBox(export)
            return .streaming(contentType: "text/csv; charset=utf-8", headers: ["Content-Disposition": "attachment; filename=\"assets.csv\""]) { box.take() }
        }
    }

    var bookValues: Endpoint {
        Endpoint(
            .get, "/reports/book-value", operationID: "assetBookValue", summary: "Book value of every asset as of a date, by site, cost center and currency",
            permission: ITServiceDeskPermissions.assetRead,
            query: [
                QueryParameter("asOf", .date, "Any past or future date (default today, UTC)"), QueryParameter("site", .string(maxLength: 20), "Site code"),
            ],
            responses: [ResponseDoc(200, "Book values", AssetSchemas.bookValues)]
        ) { request in
            let asOf = request.query["asOf"].flatMap(LocalDate.init(input:)) ?? LocalDate(of: request.context.clock.now(), in: "UTC")
            return try .json(try await book.bookValues(asOf: asOf, site: request.query["site"], by: request.principal))
        }
    }

    var depreciation: Endpoint {
        Endpoint(
            .get, "/reports/depreciation", operationID: "depreciationByCostCenter", summary: "A fiscal year's depreciation by site and cost center",
            permission: ITServiceDeskPermissions.assetRead,
            query: [
                QueryParameter("fiscalYear", .integer(minimum: 1900, maximum: 2200), "The calendar year the fiscal year starts in"),
                QueryParameter("site", .string(maxLength: 20), "Site code"),
            ],
            responses: [ResponseDoc(200, "Lines", AssetSchemas.depreciationLines)]
        ) { request in
            guard let year = request.query["fiscalYear"].flatMap(Int.init) else { throw VigilError.invalid("fiscalYear", .required, "give the fiscal year") }
            return try .json(try await book.depreciation(fiscalYear: year, site: request.query["site"], by: request.principal))
        }
    }
}

/// Hands the prepared export to the response body once (the body is made when the client reads).
private final class ExportBox: Sendable {
    private let export: Mutex<AssetCSVExport?>
    init(_ export: sending AssetCSVExport) { self.export = Mutex(export) }
    func take() -> any ByteChunkSource {
        let taken = export.withLock { box -> AssetCSVExport? in
            let value = box
            box = nil
            return value
        }
        return taken ?? EmptySource()
    }
}

private final class EmptySource: ByteChunkSource {
    func next() async throws -> [UInt8]? { nil }
}
