import ArgumentParser
import Calendars
import CSVCoding
import Foundation
import Kernel
import Monetary

struct AssetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asset", abstract: "IT assets: models, lifecycle, check-out, audits, CSV import and export, book values.",
        subcommands: [
            AddModel.self, Models.self, List.self, Show.self, History.self, Transition.self, CheckOut.self, CheckIn.self, Audit.self,
            Import.self, Export.self, BookValue.self, Depreciation.self, Attention.self,
        ])

    static func listTable(_ assets: [Asset]) -> Table {
        Table(
            ["tag", "model", "status", "site", "cost center", "holder", "cost", "purchased"],
            assets.map {
                [
                    $0.tag, $0.model, $0.status.rawValue, $0.site, $0.costCenter ?? "-", $0.assignedTo ?? "-",
                    "\($0.currency) \(MoneyText.text($0.cost, currency: $0.currency))", $0.purchaseDate.description,
                ]
            })
    }

    static func detail(_ asset: Asset) -> Table {
        Table.record([
            ("tag", asset.tag), ("serial", asset.serial ?? "-"), ("model", "\(asset.model) (\(asset.category))"), ("status", asset.status.rawValue),
            ("site", asset.site), ("cost center", asset.costCenter ?? "-"), ("holder", asset.assignedTo ?? "-"),
            ("expected back", asset.checkInDue?.description ?? "-"),
            (
                "purchased",
                "\(asset.purchaseDate) for \(asset.currency) \(MoneyText.text(asset.cost, currency: asset.currency)) (PO \(asset.purchaseOrder ?? "-"), invoice \(asset.invoice ?? "-"))"
            ),
            ("depreciation", "\(asset.depreciation) over \(asset.lifeMonths) months, salvage \(MoneyText.text(asset.salvage, currency: asset.currency))"),
            ("warranty ends", asset.warrantyEnd?.description ?? "-"),
            ("audits", "last \(asset.lastAudit?.description ?? "never"), next due \(asset.nextAuditDue?.description ?? "-")"),
            ("version", String(asset.version)),
        ])
    }

    struct AddModel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-model", abstract: "Add a model of equipment.")
        @OptionGroup var global: GlobalOptions
        @Option var name: String
        @Option var manufacturer: String
        @Option(help: "\(AssetCategory.all.joined(separator: ", ")).") var category: String
        @Option(help: "Expected life in months.") var lifeMonths: Int
        @Option(help: "Unit cost in the currency's units, e.g. 5499.90.") var unitCost: String
        @Option var currency: String
        @Option(help: "straight-line or declining-balance:FACTOR.") var depreciation: String = "straight-line"

        func run() async throws {
            guard let cost = MoneyText.minorUnits(unitCost, currency: currency) else {
                throw CommandFailure.usage("--unit-cost must be an amount like 5499.90")
            }
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let model = try await AssetService(context: session.context).createModel(
                    AssetModelInput(
                        name: name, manufacturer: manufacturer, category: category, expectedLifeMonths: lifeMonths, unitCost: cost, currency: currency,
                        depreciation: depreciation), by: session.invocation)
                try session.output.emit(model) {
                    Table.record([("name", model.name), ("category", model.category), ("life", "\(model.expectedLifeMonths) months")])
                }
            }
        }
    }

    struct Models: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "models", abstract: "List models.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let models = try await AssetService(context: session.context).models(by: session.principal)
                try session.output.emit(models) {
                    Table(
                        ["name", "manufacturer", "category", "life (months)", "unit cost", "depreciation"],
                        models.map {
                            [
                                $0.name, $0.manufacturer, $0.category, String($0.expectedLifeMonths),
                                "\($0.currency) \(MoneyText.text($0.unitCost, currency: $0.currency))", $0.depreciation,
                            ]
                        })
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List assets in tag order.")
        @OptionGroup var global: GlobalOptions
        @Option var site: String?
        @Option var status: AssetStatus?
        @Option var category: String?
        @Option var limit: Int = 50
        @Option var cursor: String?

        func run() async throws {
            var filter = AssetFilter(site: site, category: category)
            filter.status = status
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let page = try await AssetService(context: session.context).list(
                    filter, page: try PageRequest(limit: String(limit), cursor: cursor), by: session.principal)
                try session.output.emit(page) { AssetCommand.listTable(page.items) }
                if let next = page.nextCursor { session.output.note("more: --cursor \(next)") }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an asset.")
        @OptionGroup var global: GlobalOptions
        @Argument var tag: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let asset = try await AssetService(context: session.context).get(tag, by: session.principal)
                try session.output.emit(asset) { AssetCommand.detail(asset) }
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: "An asset's moves, check-outs, check-ins and audits.")
        @OptionGroup var global: GlobalOptions
        @Argument var tag: String
        @Option var limit: Int = 50
        @Option var cursor: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let page = try await AssetService(context: session.context).history(
                    tag, page: try PageRequest(limit: String(limit), cursor: cursor), by: session.principal)
                try session.output.emit(page) {
                    Table(
                        ["at", "actor", "what", "details"],
                        page.items.map {
                            [ISO8601.format($0.at), $0.actor, $0.kind.rawValue + ($0.toStatus.map { " → \($0)" } ?? ""), $0.details.jsonText]
                        })
                }
                if let next = page.nextCursor { session.output.note("more: --cursor \(next)") }
            }
        }
    }

    struct Transition: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transition", abstract: "Move an asset along its lifecycle at the version you read.",
            discussion:
                "Example: vigil it-service-desk asset transition NB-0042 --expect-version 4 --to disposed --disposal-method sold --disposal-value 350.00")
        @OptionGroup var global: GlobalOptions
        @Argument var tag: String
        @Option var expectVersion: Int
        @Option(help: "\(AssetStatus.allCases.filter { $0 != .deployed }.map(\.rawValue).joined(separator: ", ")).") var to: AssetStatus
        @Option(help: "\(AssetLifecycle.disposalMethods.joined(separator: ", ")).") var disposalMethod: String?
        @Option(help: "What it fetched, in the asset's currency.") var disposalValue: String?
        @Option var note: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let service = AssetService(context: session.context)
                var disposal: AssetDisposal?
                if let disposalMethod {
                    let asset = try await service.get(tag, by: session.principal)
                    guard let value = MoneyText.minorUnits(disposalValue ?? "0", currency: asset.currency) else {
                        throw VigilError.invalid("disposalValue", .format, "must be an amount like 350.00")
                    }
                    disposal = AssetDisposal(method: disposalMethod, value: value)
                }
                let asset = try await service.transition(tag, to: to, disposal: disposal, note: note, expectedVersion: expectVersion, by: session.invocation)
                try session.output.emit(asset) { AssetCommand.detail(asset) }
            }
        }
    }

    struct CheckOut: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check-out", abstract: "Hand an asset in stock to a person or place.")
        @OptionGroup var global: GlobalOptions
        @Argument var tag: String
        @Option var expectVersion: Int
        @Option(help: "A person (email) or a place.") var to: String
        @Option(help: "Expected back, YYYY-MM-DD.", transform: ArgumentValue.date) var expectedBack: LocalDate?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let asset = try await AssetService(context: session.context).checkOut(
                    tag, to: to, expectedBack: expectedBack, expectedVersion: expectVersion, by: session.invocation)
                try session.output.emit(asset) { AssetCommand.detail(asset) }
            }
        }
    }

    struct CheckIn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check-in", abstract: "Take a deployed asset back into stock.")
        @OptionGroup var global: GlobalOptions
        @Argument var tag: String
        @Option var expectVersion: Int
        @Option var note: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let asset = try await AssetService(context: session.context).checkIn(tag, note: note, expectedVersion: expectVersion, by: session.invocation)
                try session.output.emit(asset) { AssetCommand.detail(asset) }
            }
        }
    }

    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "audit", abstract: "Record a physical audit of an asset.")
        @OptionGroup var global: GlobalOptions
        @Argument var tag: String
        @Option(help: "YYYY-MM-DD; default today.", transform: ArgumentValue.date) var date: LocalDate?
        @Option var note: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let asset = try await AssetService(context: session.context).audit(tag, on: date, note: note, by: session.invocation)
                try session.output.emit(asset) { AssetCommand.detail(asset) }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import assets from a CSV file (the export's columns); bad rows are listed, good rows import.",
            discussion:
                "The same tag updates its asset, so a file can be imported again. Rows that fail are written with their line and reason to --errors (default FILE.errors.csv)."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file.") var file: String
        @Option(help: "Where to write the rows that did not import.") var errors: String?
        @Flag(help: "No progress bar.") var quiet = false

        func run() async throws {
            guard let handle = FileHandle(forReadingAtPath: file) else { throw CommandFailure(message: "cannot read \(file)", exitCode: 66) }
            defer { try? handle.close() }
            let total = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            let errorsPath = errors ?? file + ".errors.csv"
            let errorFile = ErrorFile(path: errorsPath)
            let bar = ProgressBar(total: total, enabled: !quiet && isatty(2) == 1)
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let report = try await AssetImporter(context: session.context).run(
                    CSVReader(file: handle), fileName: (file as NSString).lastPathComponent, by: session.invocation,
                    progress: { bar.update(bytes: $0.bytesRead, rows: $0.rows, rejected: $0.rejected) }, errors: { errorFile.write($0) })
                bar.finish()
                errorFile.close()
                try session.output.emit(report) {
                    Table.record([
                        ("rows", String(report.rows)), ("created", String(report.created)), ("updated", String(report.updated)),
                        ("unchanged", String(report.unchanged)), ("rejected", String(report.rejected) + (report.rejected > 0 ? " (see \(errorsPath))" : "")),
                        ("seconds", String(format: "%.1f", report.seconds)),
                        ("rows per second", report.seconds > 0 ? String(Int(Double(report.rows) / report.seconds)) : "-"),
                    ])
                }
                if report.rejected > 0 { throw CommandFailure.data("\(report.rejected) rows did not import; see \(errorsPath)") }
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Export assets as CSV (the import's columns).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Write here instead of standard output.") var output: String?
        @Option var site: String?
        @Option var status: AssetStatus?

        func run() async throws {
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil), let opened = FileHandle(forWritingAtPath: output) else {
                    throw CommandFailure(message: "cannot write \(output)", exitCode: 73)
                }
                handle = opened
            } else {
                handle = FileHandle.standardOutput
            }
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let export = try await AssetCSVExport.make(context: session.context, site: site, status: status, by: session.principal)
                while let chunk = try await export.next() { handle.write(Data(chunk)) }
            }
            if output != nil { try? handle.close() }
        }
    }

    struct BookValue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "book-value", abstract: "Book value of every asset as of a date, by site and cost center.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "YYYY-MM-DD, past or future.", transform: ArgumentValue.date) var asOf: LocalDate
        @Option var site: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let report = try await AssetBook(context: session.context).bookValues(asOf: asOf, site: site, by: session.principal)
                try session.output.emit(report) {
                    Table(
                        ["site", "cost center", "currency", "assets", "cost", "accumulated", "book value"],
                        report.lines.map {
                            [
                                $0.site, $0.costCenter, $0.currency, String($0.assets), MoneyText.text($0.cost, currency: $0.currency),
                                MoneyText.text($0.accumulated, currency: $0.currency), MoneyText.text($0.bookValue, currency: $0.currency),
                            ]
                        })
                }
                session.output.note("\(report.assets) assets in \(String(format: "%.2f", report.seconds)) s")
            }
        }
    }

    struct Depreciation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "depreciation", abstract: "A fiscal year's depreciation by site and cost center.")
        @OptionGroup var global: GlobalOptions
        @Option var fiscalYear: Int
        @Option var site: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let lines = try await AssetBook(context: session.context).depreciation(fiscalYear: fiscalYear, site: site, by: session.principal)
                try session.output.emit(lines) {
                    Table(
                        ["site", "cost center", "currency", "from", "to", "assets", "opening", "depreciation", "disposals", "closing"],
                        lines.map {
                            [
                                $0.site, $0.costCenter, $0.currency, $0.from.description, $0.to.description, String($0.assets),
                                MoneyText.text($0.opening, currency: $0.currency),
                                MoneyText.text($0.depreciation, currency: $0.currency), MoneyText.text($0.disposals, currency: $0.currency),
                                MoneyText.text($0.closing, currency: $0.currency),
                            ]
                        })
                }
            }
        }
    }

    struct Attention: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "attention", abstract: "Overdue audits, overdue check-ins, warranties ending soon.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "\(AssetAttention.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: AssetAttention
        @Option var site: String?
        @Option var withinDays: Int = 60

        func run() async throws {
            try await CommandRuntime.run(global, domain: ITServiceDeskModule.id) { session in
                let assets = try await AssetService(context: session.context).attention(kind, site: site, withinDays: withinDays, by: session.principal)
                try session.output.emit(assets) { AssetCommand.listTable(assets) }
            }
        }
    }
}

/// The rows that did not import, as CSV: line, tag, field, reason.
final class ErrorFile {
    private let path: String
    private var handle: FileHandle?

    init(path: String) { self.path = path }

    func write(_ error: AssetImportError) {
        if handle == nil {
            _ = FileManager.default.createFile(atPath: path, contents: Data(CSV.line(["line", "tag", "field", "reason"]).utf8))
            handle = FileHandle(forWritingAtPath: path)
            handle?.seekToEndOfFile()
        }
        handle?.write(Data(CSV.line([String(error.line), error.tag, error.field, error.message]).utf8))
    }

    func close() { try? handle?.close() }
}

/// A one-line progress bar on standard error, for people watching a long import.
final class ProgressBar {
    private let total: Int
    private let enabled: Bool
    private let started = Date()

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(bytes: Int, rows: Int, rejected: Int) {
        guard enabled else { return }
        let fraction = total > 0 ? min(1, Double(bytes) / Double(total)) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let rate = Int(Double(rows) / max(0.001, Date().timeIntervalSince(started)))
        let line =
            "\r[\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] \(Int(fraction * 100))%  \(rows) rows  \(rate) rows/s  \(rejected) rejected"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
