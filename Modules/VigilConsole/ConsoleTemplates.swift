import Foundation
import JSONCoding
import Kernel
import Mustache

/// Every console template in one library, so a domain's page can extend the host's layout and
/// use its partials: the host's by their name (`layout`, `form-fields`), a domain's as
/// `<domain>/<name>`. Each is given the escaping pragma first (`SafeHTML`).
struct ConsoleTemplates: Sendable {
    let library: MustacheLibrary

    init(_ folders: [ConsoleResourceFolder]) throws {
        _ = SafeHTML.registered
        var library = MustacheLibrary()
        for folder in folders {
            for (name, text) in folder.templates {
                let fullName = folder.owner == .platform ? name : "\(folder.owner)/\(name)"
                do {
                    try library.register(SafeHTML.pragma + text, named: fullName)
                } catch {
                    throw VigilError(.internal, "the console template \(fullName) does not parse: \(error)")
                }
            }
        }
        self.library = library
    }

    func has(_ name: String) -> Bool { library.getTemplate(named: name) != nil }

    func render(_ name: String, _ context: [String: Any]) throws -> String {
        guard let html = library.render(context, withTemplate: name) else {
            throw VigilError(.internal, "the console has no template \(name)")
        }
        return html
    }

    /// JSON as the template library reads it: objects as dictionaries, arrays as arrays, numbers
    /// as their text, and null as absent (a false section).
    static func value(_ json: JSONValue) -> Any? {
        switch json {
        case .null: nil
        case .bool(let value): value
        case .integer(let value): String(value)
        case .number(let value): value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .string(let value): value
        case .array(let items): items.compactMap { value($0) }
        case .object(let members): members.compactMapValues { value($0) }
        }
    }
}
