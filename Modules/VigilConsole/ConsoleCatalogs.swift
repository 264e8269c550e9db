import Foundation
import Kernel
import Mustache

/// Every owner's catalog in every language, its texts parsed as templates so that a text can
/// name the values of the page it is on (`{{count}} cases without an owner`), escaped as any
/// value is. Looked up in the page's domain first, then in the platform's.
struct ConsoleCatalogs: Sendable {
    private let texts: [String: [DomainID: [String: String]]]
    private let parsed: [String: [DomainID: [String: MustacheTemplate]]]

    init(_ folders: [ConsoleResourceFolder]) throws {
        _ = SafeHTML.registered
        var texts: [String: [DomainID: [String: String]]] = [:]
        var parsed: [String: [DomainID: [String: MustacheTemplate]]] = [:]
        for folder in folders {
            for (language, catalog) in folder.catalogs {
                texts[language, default: [:]][folder.owner] = catalog
                var templates: [String: MustacheTemplate] = [:]
                for (key, text) in catalog {
                    do {
                        templates[key] = try MustacheTemplate(string: SafeHTML.pragma + text)
                    } catch {
                        throw VigilError(.internal, "the \(language) text \(key) of \(folder.owner) is not a valid template: \(error)")
                    }
                }
                parsed[language, default: [:]][folder.owner] = templates
            }
        }
        self.texts = texts
        self.parsed = parsed
    }

    func text(_ key: String, language: String, owner: DomainID) -> String? {
        texts[language]?[owner]?[key] ?? texts[language]?[.platform]?[key]
    }

    func texts(language: String, owner: DomainID) -> ConsoleTexts {
        let own = texts[language]?[owner] ?? [:]
        let platform = texts[language]?[.platform] ?? [:]
        return ConsoleTexts { key in own[key] ?? platform[key] }
    }

    /// The `_t` of a page's context.
    func view(language: String, owner: DomainID) -> CatalogView {
        CatalogView(own: parsed[language]?[owner] ?? [:], platform: parsed[language]?[.platform] ?? [:])
    }

    /// Keys some language of an owner has and another lacks: each a missing translation.
    func missingKeys() -> [String] {
        var problems: [String] = []
        let owners = Set(texts.values.flatMap(\.keys))
        for owner in owners {
            let all = Set(ConsoleLocale.languages.flatMap { texts[$0]?[owner].map { Array($0.keys) } ?? [] })
            for language in ConsoleLocale.languages {
                let have = Set(texts[language]?[owner]?.keys.map { $0 } ?? [])
                for key in all.subtracting(have).sorted() { problems.append("\(owner) \(language): \(key)") }
            }
        }
        return problems.sorted()
    }
}

/// `{{_t.key}}` in a template: the text in the viewer's language, rendered with the current
/// context; an unknown key shows as `⟦key⟧` so that no page can hide a missing text.
struct CatalogView: MustacheParent, Sendable {
    let own: [String: MustacheTemplate]
    let platform: [String: MustacheTemplate]

    func child(named name: String) -> Any? { own[name] ?? platform[name] ?? ConsoleTexts.missing(name) }
}
