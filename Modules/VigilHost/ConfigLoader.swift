import Configuration
import Foundation
import Kernel
import SystemPackage

/// Configuration in order of precedence: environment variables (VIGIL_*), then a JSON config file
/// (`--config`, else VIGIL_CONFIG, else ./vigil.json when it exists), then built-in defaults.
public struct LoadedConfig: Sendable {
    public let reader: ConfigReader
    public let environment: ConfigReader
    public let file: ConfigReader?
    public let filePath: String?

    public static func load(configFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> LoadedConfig {
        let secrets = SecretsSpecifier<String, String>.dynamic { key, _ in
            let upper = key.uppercased()
            return upper.contains("SECRET") || upper.contains("PASSWORD") || upper == "VIGIL_DATABASE_URL"
        }
        let environmentProvider = EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: secrets).prefixKeys(with: "vigil")
        let environmentReader = ConfigReader(provider: environmentProvider)
        var path = configFile ?? environment["VIGIL_CONFIG"]
        if path == nil, FileManager.default.fileExists(atPath: "vigil.json") { path = "vigil.json" }
        guard let path else {
            return LoadedConfig(reader: environmentReader, environment: environmentReader, file: nil, filePath: nil)
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw VigilError(.badRequest, "the config file \(path) does not exist")
        }
        let fileProvider: FileProvider<JSONSnapshot>
        do {
            fileProvider = try await FileProvider<JSONSnapshot>(filePath: FilePath(path))
        } catch {
            throw VigilError(.badRequest, "the config file \(path) is not valid JSON: \(error)")
        }
        return LoadedConfig(
            reader: ConfigReader(providers: [environmentProvider, fileProvider]),
            environment: environmentReader,
            file: ConfigReader(provider: fileProvider),
            filePath: path
        )
    }

    /// Where a key's effective value comes from.
    public func source(of key: String) -> String {
        if environment.string(forKey: ConfigKey(key)) != nil { return "environment" }
        if let file, file.string(forKey: ConfigKey(key)) != nil { return "file" }
        return "default"
    }
}
