import Foundation
import Kernel

/// One owner's console resources as read from its folder at start: the host's (owner
/// `platform`) or a domain's. `templates/**.mustache` by path without the extension,
/// `i18n/<language>.json` flat catalogs of key to text, `assets/*` served as they are.
struct ConsoleResourceFolder: Sendable {
    let owner: DomainID
    var templates: [String: String] = [:]
    var catalogs: [String: [String: String]] = [:]
    var assets: [String: Data] = [:]

    init(owner: DomainID, templates: [String: String] = [:], catalogs: [String: [String: String]] = [:], assets: [String: Data] = [:]) {
        self.owner = owner
        self.templates = templates
        self.catalogs = catalogs
        self.assets = assets
    }

    static func load(_ root: URL, owner: DomainID) throws -> ConsoleResourceFolder {
        var folder = ConsoleResourceFolder(owner: owner)
        let files = FileManager.default
        let templates = root.appendingPathComponent("templates")
        if let walker = files.enumerator(atPath: templates.path) {
            while let relative = walker.nextObject() as? String {
                guard relative.hasSuffix(".mustache") else { continue }
                let text = try String(contentsOf: templates.appendingPathComponent(relative), encoding: .utf8)
                folder.templates[String(relative.dropLast(".mustache".count))] = text
            }
        }
        for language in ConsoleLocale.languages {
            let file = root.appendingPathComponent("i18n/\(language).json")
            guard files.fileExists(atPath: file.path) else { continue }
            do {
                folder.catalogs[language] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: file))
            } catch {
                throw VigilError(.internal, "the \(language) catalog of \(owner) (\(file.path)) is not a JSON object of texts: \(error)")
            }
        }
        let assets = root.appendingPathComponent("assets")
        for name in (try? files.contentsOfDirectory(atPath: assets.path)) ?? [] where !name.hasPrefix(".") {
            folder.assets[name] = try Data(contentsOf: assets.appendingPathComponent(name))
        }
        return folder
    }
}
