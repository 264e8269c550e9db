import CSVCoding
import Foundation
import JSONCoding
import Kernel

/// Assets imported from a CSV file sent from the browser: the import runs in the background (a
/// large file takes a minute), its page shows how far it has got and reloads itself until it
/// ends, then shows what was created, updated and left alone, and each refused row with its line
/// and reason — as a table and as a CSV to fix the file with.
struct AssetImportPages {
    static let base = "/console/it-service-desk/assets"
    static let limit = 64 << 20

    var all: [ConsolePage] {
        [
            .get("/assets/import", permission: ITServiceDeskPermissions.assetManage, navigation: ConsoleNavigation("nav-asset-import", order: 35)) { _ in
                .page(ConsoleView("asset-import", title: "asset-import-title", data: ["columns": .string(AssetColumns.all.joined(separator: ","))]))
            },
            .upload("/assets/import", permission: ITServiceDeskPermissions.assetManage, limit: Self.limit, handler: start),
            .get("/assets/imports/{id}", permission: ITServiceDeskPermissions.assetManage, handler: show),
            .get("/assets/imports/{id}/errors.csv", permission: ITServiceDeskPermissions.assetManage, handler: errors),
        ]
    }

    func start(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        guard let file = request.uploads["file"], !file.data.isEmpty else { return .redirect("\(Self.base)/import", .error("asset-import-no-file")) }
        let board = AssetImportBoard.shared
        let proposed = request.context.ids.next().lowercased
        let key = request.form.single("_idem").flatMap { $0.isEmpty ? nil : "\(request.principal.actor) \($0)" }
        let id = board.start(proposed, actor: request.principal.actor, totalBytes: file.data.count, key: key)
        if id == proposed {
            let importer = AssetImporter(context: request.context)
            let invocation = request.invocation
            let name = String(file.fileName.prefix(200))
            // Not tied to this request: the browser is sent to the progress page at once.
            Task.detached {
                do {
                    _ = try await importer.run(
                        CSVReader(data: file.data), fileName: name.isEmpty ? "upload.csv" : name, by: invocation, importID: id,
                        progress: { board.update(id, $0) })
                    board.finish(id)
                } catch let error as VigilError {
                    board.finish(id, failure: error.fields.isEmpty ? error.detail : error.fields.map(\.message).joined(separator: "; "))
                } catch {
                    board.finish(id, failure: String(describing: error))
                }
            }
        }
        return .redirect("\(Self.base)/imports/\(id)")
    }

    func show(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let id = request.path("id")
        if let entry = AssetImportBoard.shared.entry(id), !entry.finished || entry.failure != nil {
            guard entry.actor == request.principal.actor || request.principal.regions.filter == nil else { throw VigilError.notFound("import \(id)") }
            let share = entry.totalBytes == 0 ? 0 : Double(entry.bytesRead) / Double(entry.totalBytes)
            var view = ConsoleView(
                "asset-import-progress", title: "asset-import-title",
                data: [
                    "running": .bool(!entry.finished), "failure": entry.failure.map(JSONValue.string) ?? .null,
                    "percent": .string(request.locale.percent(min(share, 1))), "value": .integer(Int64(min(share, 1) * 100)),
                    "rows": .string(request.locale.number(Int64(entry.rows))), "rejected": .string(request.locale.number(Int64(entry.rejected))),
                ])
            if !entry.finished { view.refreshSeconds = 1 }
            return .page(view)
        }
        let record = try await request.read("getAssetImport", path: ["id": id])
        let zone = try await request.homeZone()
        let count = { (name: String) in JSONValue.string(request.locale.number(record[member: name]?.intValue ?? 0)) }
        let errors = record[member: "errors"]?.items ?? []
        let data: [String: JSONValue] = [
            "id": .string(id), "fileName": record[member: "fileName"] ?? .string(""),
            "by": .string(ConsoleRequest.person(record[member: "actor"]?.text)),
            "started": .string(request.localTime(record[member: "startedAt"], zone: zone) ?? ""),
            "finished": record[member: "finishedAt"].flatMap { request.localTime($0, zone: zone) }.map(JSONValue.string) ?? .null,
            "rows": count("rows"), "created": count("created"), "updated": count("updated"), "unchanged": count("unchanged"),
            "rejected": count("rejected"), "errors": .array(errors), "hasErrors": .bool(!errors.isEmpty),
            "errorsHref": .string("\(Self.base)/imports/\(id)/errors.csv"),
        ]
        return .page(ConsoleView("asset-import-result", title: "asset-import-title", data: data, titleDetail: record[member: "fileName"]?.text))
    }

    /// The refused rows as CSV (line, tag, field, message): the list to fix the file from.
    func errors(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let id = request.path("id")
        let record = try await request.read("getAssetImport", path: ["id": id])
        var text = CSV.line(["line", "tag", "field", "message"])
        for error in record[member: "errors"]?.items ?? [] {
            text += CSV.line([
                String(error[member: "line"]?.intValue ?? 0), error[member: "tag"]?.text ?? "", error[member: "field"]?.text ?? "",
                error[member: "message"]?.text ?? "",
            ])
        }
        return .download(contentType: "text/csv; charset=utf-8", filename: "import-\(id)-errors.csv", body: Data(text.utf8))
    }
}
