import Foundation
import JSONCoding
import Kernel
import VigilServer
import VigilStorage

/// What an admin checks first: the domains compiled into this build, the database answering, how
/// far the outbox has got, and how many browsers follow live pages.
struct SystemPage: Sendable {
    let runtime: VigilRuntime
    let hub: LiveHub
    let catalogs: ConsoleCatalogs

    var all: [ConsolePage] {
        [.get("/system", permission: PlatformPermissions.userManage, navigation: ConsoleNavigation("nav-system", order: 820), handler: show)]
    }

    func show(_ request: ConsoleRequest) async throws -> ConsoleResponse {
        let started = ContinuousClock.now
        try await runtime.database.ping()
        let elapsed = ContinuousClock.now - started
        let head = try await OutboxStore(database: runtime.database).latestSequence()
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        let data: [String: JSONValue] = [
            "domains": .array(
                runtime.registry.modules.map { module in
                    .object([
                        "id": .string(module.id.rawValue), "title": .string(module.title),
                        "label": .string(catalogs.text("domain-title", language: request.locale.language, owner: module.id) ?? module.title),
                    ])
                }),
            "engine": .string(runtime.database.family.rawValue),
            "databaseMilliseconds": .string(String(format: "%.1f", milliseconds)),
            "outboxHead": .integer(head),
            "liveListeners": .integer(Int64(hub.count)),
            "version": .string(VigilServer.version),
        ]
        return .page(ConsoleView("system", title: "system-title", data: data))
    }
}
