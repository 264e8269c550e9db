import ArgumentParser
import Foundation
import Kernel
import VigilServer

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Inspect the configuration.", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the effective configuration and where each value comes from; secrets are masked."
        )

        @OptionGroup var global: GlobalOptions

        private struct Row: Encodable {
            let key: String
            let value: String
            let source: String
            let environmentVariable: String
            let summary: String
        }

        func run() async throws {
            do {
                let config = try await LoadedConfig.load(configFile: global.config)
                let settings = try RuntimeSettings(config: config.reader, databaseOverride: global.database)
                let catalog =
                    RuntimeSettings.catalog.map { ($0, $0.key) }
                    + VigilCLI.registry.modules.flatMap { module in module.settings.map { ($0, "domains.\(module.id).\($0.key)") } }
                let rows = catalog.map { setting, key -> Row in
                    let raw = config.reader.string(forKey: .init(key))
                    var value = raw ?? setting.defaultValue
                    if key == "database.url" { value = settings.database.description } else if setting.secret && raw != nil { value = "***" }
                    let source = global.database != nil && key == "database.url" ? "--database" : config.source(of: key)
                    let variable = "VIGIL_" + key.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
                    return Row(key: key, value: value, source: source, environmentVariable: variable, summary: setting.summary)
                }
                let output = CommandOutput(json: global.json)
                output.note("config file: \(config.filePath ?? "none")")
                try output.emit(rows) {
                    Table(["key", "value", "source", "environment variable"], rows.map { [$0.key, $0.value, $0.source, $0.environmentVariable] })
                }
            } catch {
                throw CommandFailure.from(error)
            }
        }
    }
}
