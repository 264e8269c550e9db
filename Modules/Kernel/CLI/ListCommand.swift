import ArgumentParser

/// `vigil <domain> <entity> list` for any `StoredEntity`: one region or all of the caller's,
/// newest first, a page at a time (`--cursor` takes the `nextCursor` of `--json`). The same
/// `DomainContext.list` the API's list answers from, so both show the same records.
public struct ListCommand<Entity: StoredEntity>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: "List \(Entity.entityName)s, newest first.")
    }

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this region's (default: all of yours).", transform: ArgumentValue.region) var region: RegionCode?
    @Option(help: "How many (1 to \(PageRequest.maximumLimit)).") var limit = PageRequest.defaultLimit
    @Option(help: "The nextCursor of the previous page.") var cursor: String?

    public init() {}

    public func run() async throws {
        try await CommandRuntime.run(global, domain: Entity.domain) { session in
            let page = try await session.context.list(
                Entity.self, region: region, page: try PageRequest(limit: String(limit), cursor: cursor), by: session.principal)
            try session.output.emit(page) { try Table.of(page.items, columns: Entity.tableColumns) }
            if let next = page.nextCursor { session.output.note("more: --cursor \(next)") }
        }
    }
}
