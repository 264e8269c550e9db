import ArgumentParser
import Calendars
import Foundation
import Kernel

/// `vigil incident-ops case open|list|show|update`, over the same service as the API.
struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Open, list, show and correct incident cases.",
        subcommands: [
            Open.self, List.self, Count.self, Show.self, Update.self, Transition.self, Note.self, Timeline.self, Assign.self, Claim.self, Link.self, Links.self,
            Merge.self,
        ]
    )

    static func table(_ cases: [IncidentCase]) -> Table {
        Table(
            ["reference", "created", "region", "line", "category", "sev", "status", "description"],
            cases.map { incident in
                [
                    incident.reference + (incident.sensitive ? " *" : ""), ISO8601.format(incident.createdAt), incident.region.rawValue,
                    incident.businessLine.rawValue,
                    incident.category, incident.severity.rawValue, incident.status.rawValue, String(incident.description.prefix(60)),
                ]
            })
    }

    static func detail(_ incident: IncidentCase) -> Table {
        Table.record([
            ("reference", incident.reference), ("id", incident.id), ("region", incident.region.rawValue), ("business line", incident.businessLine.rawValue),
            ("category", [incident.category, incident.subcategory].compactMap { $0 }.joined(separator: " / ")), ("severity", incident.severity.rawValue),
            ("priority", "\(incident.priority.rawValue) (urgency \(incident.urgency.rawValue))"), ("status", incident.status.rawValue),
            ("sensitive", incident.sensitive ? "yes" : "no"), ("description", incident.description),
            (
                "location",
                [incident.location?.address, incident.location?.latitude.map { "\($0)" }, incident.location?.longitude.map { "\($0)" }].compactMap { $0 }
                    .joined(separator: " ")
            ),
            ("reporter", [incident.reporterName, incident.reporterContact].compactMap { $0 }.joined(separator: ", ")),
            ("occurred", incident.occurredAt.map(ISO8601.format) ?? "-"), ("created", "\(ISO8601.format(incident.createdAt)) by \(incident.createdBy)"),
            ("updated", ISO8601.format(incident.updatedAt)), ("version", String(incident.version)),
        ])
    }

    struct LocationOptions: ParsableArguments {
        @Option(help: "Address or landmark.") var address: String?
        @Option(help: "Latitude, -90 to 90.") var latitude: Double?
        @Option(help: "Longitude, -180 to 180.") var longitude: Double?

        var location: CaseLocation? {
            address == nil && latitude == nil && longitude == nil ? nil : CaseLocation(address: address, latitude: latitude, longitude: longitude)
        }
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "open",
            abstract: "Open a case.",
            discussion:
                "Example: vigil incident-ops case open --region BR-SP --business-line drivers --category traffic-accident --severity S2 --description 'Rider hit by car at Av. Paulista'"
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Region code, e.g. BR-SP.") var region: String
        @Option(help: "drivers, clients or business-units.") var businessLine: String
        @Option(help: "\(CaseCategory.all.joined(separator: ", ")).") var category: String
        @Option(help: "S1 (life at risk) to S4.") var severity: String
        @Option(help: "What happened.") var description: String
        @OptionGroup var location: LocationOptions
        @Flag(help: "Restrict visibility to those granted sensitive access.") var sensitive = false
        @Option(help: "Who reported it.") var reporterName: String?
        @Option(help: "How to reach the reporter.") var reporterContact: String?
        @Option(help: "When it happened (ISO 8601), if not now.", transform: ArgumentValue.instant) var occurredAt: Date?
        @Option(help: "A subcategory of the region's taxonomy.") var subcategory: String?
        @Option(help: "high, medium (default) or low; with severity it sets the priority.") var urgency: String?

        func run() async throws {
            let input = OpenCaseInput(
                region: region, businessLine: businessLine, category: category, severity: severity, description: description,
                location: location.location, sensitive: sensitive, reporterName: reporterName, reporterContact: reporterContact, occurredAt: occurredAt,
                subcategory: subcategory, urgency: urgency)
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let incident = try await CaseService(context: session.context).open(input, by: session.invocation)
                try session.output.emit(incident) { CaseCommand.detail(incident) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List cases, newest first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var filters: CaseFilterOptions
        @Option(help: "Cases per page, 1 to 200.") var limit: Int = 50
        @Option(help: "The cursor printed after the previous page.") var cursor: String?

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let filter = try filters.filter()
                let page = try await CaseService(context: session.context).list(
                    filter, page: try PageRequest(limit: String(limit), cursor: cursor), by: session.principal)
                try session.output.emit(page) { CaseCommand.table(page.items) }
                if let next = page.nextCursor { session.output.note("more: --cursor \(next)") }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a case by id or reference.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id or reference (INC-2026-000123).") var id: String

        func run() async throws {
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let incident = try await CaseService(context: session.context).get(id, by: session.principal)
                try session.output.emit(incident) { CaseCommand.detail(incident) }
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "update", abstract: "Correct a case's intake details at the version you read.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id or reference.") var id: String
        @Option(help: "The version you read (case show); a stale one changes nothing.") var expectVersion: Int
        @Option var businessLine: String?
        @Option var category: String?
        @Option var severity: String?
        @Option var description: String?
        @OptionGroup var location: LocationOptions
        @Option(help: "true or false.") var sensitive: Bool?
        @Option var reporterName: String?
        @Option var reporterContact: String?

        func run() async throws {
            let input = UpdateCaseInput(
                businessLine: businessLine, category: category, severity: severity, description: description, location: location.location,
                sensitive: sensitive, reporterName: reporterName, reporterContact: reporterContact)
            try await CommandRuntime.run(global, domain: IncidentOpsModule.id) { session in
                let incident = try await CaseService(context: session.context).update(id, input, expectedVersion: expectVersion, by: session.invocation)
                try session.output.emit(incident) { CaseCommand.detail(incident) }
            }
        }
    }
}
