import Foundation
import Hummingbird
import Kernel
import Logging
import ServiceLifecycle
import VigilStorage
import VigilServer

/// The web console: the host's sign-in, layout and platform pages, and every page the build's
/// domains declare (`DomainModule.consolePages`), mounted under /console beside the API. Its
/// resources are read when it is built, so a missing or broken template stops the start with a
/// message instead of failing a page later.
public struct ConsoleServer: ServerExtension {
    let templates: ConsoleTemplates
    let catalogs: ConsoleCatalogs
    let assets: ConsoleAssets
    let folders: [ConsoleResourceFolder]
    /// The browsers following live pages; at most `liveCapacity` at once (each holds a connection).
    let hub: LiveHub
    let liveHeartbeat: Duration
    static let liveCapacity = 2000
    /// How often the live feed reads the outbox: a change shows on a live page within this plus
    /// the page's refresh.
    static let livePoll = Duration.milliseconds(250)

    /// Loads the host's resources and those of every domain module of the registry.
    public init(registry: DomainRegistry, liveHeartbeat: Duration = .seconds(15)) throws {
        var folders: [ConsoleResourceFolder] = []
        guard let hostRoot = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            throw VigilError(.internal, "the console's resources (vigil_VigilConsole.resources) are not beside the binary")
        }
        folders.append(try ConsoleResourceFolder.load(hostRoot, owner: .platform))
        for module in registry.modules {
            if let root = module.consoleResources { folders.append(try ConsoleResourceFolder.load(root, owner: module.id)) }
        }
        try self.init(folders: folders, liveHeartbeat: liveHeartbeat)
    }

    init(folders: [ConsoleResourceFolder], liveHeartbeat: Duration = .seconds(15)) throws {
        self.folders = folders
        self.liveHeartbeat = liveHeartbeat
        hub = LiveHub(capacity: ConsoleServer.liveCapacity)
        templates = try ConsoleTemplates(folders)
        catalogs = try ConsoleCatalogs(folders)
        assets = ConsoleAssets(folders)
    }

    /// Texts one language has and another lacks, by owner: empty in a complete build.
    public var missingTranslations: [String] { catalogs.missingKeys() }

    public func services(runtime: VigilRuntime) -> [any Service] {
        [
            LiveFeedService(
                hub: hub, outbox: OutboxStore(database: runtime.database), snapshots: runtime.database.snapshots, interval: ConsoleServer.livePoll,
                logger: runtime.logger)
        ]
    }

    /// `{{_t.key}}` names in templates that the owner's English catalog (or the platform's) does
    /// not hold: each would show as `⟦key⟧` on its page. Empty in a complete build.
    public var unknownTextKeys: [String] {
        var problems: [String] = []
        for folder in folders {
            for (name, text) in folder.templates {
                for key in ConsoleServer.textKeys(in: text) where catalogs.text(key, language: "en", owner: folder.owner) == nil {
                    problems.append("\(folder.owner) \(name): \(key)")
                }
            }
        }
        return problems.sorted()
    }

    /// The keys a template names as `_t.key` (in a variable or a section).
    static func textKeys(in template: String) -> Set<String> {
        var keys: Set<String> = []
        var rest = template[...]
        while let start = rest.range(of: "_t.") {
            let key = rest[start.upperBound...].prefix { !$0.isWhitespace && $0 != "}" }
            if !key.isEmpty { keys.insert(String(key)) }
            rest = rest[start.upperBound...]
        }
        return keys
    }

    public func mount(on router: Router<VigilRequestContext>, runtime: VigilRuntime) {
        let console = Console(
            runtime: runtime, templates: templates, catalogs: catalogs, assets: assets, sessions: ConsoleSessions(runtime: runtime),
            caller: VigilServer.endpointCaller(runtime), hub: hub, liveHeartbeat: liveHeartbeat)
        console.mount(on: router)
    }
}
