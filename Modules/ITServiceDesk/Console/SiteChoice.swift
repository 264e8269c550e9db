import Foundation
import JSONCoding
import Kernel

/// A form's `site` field as a choice among the sites the person may use (what `listSites`
/// returns for them), not free text; a single site is chosen already.
enum SiteChoice {
    static func select(_ field: [String: JSONValue], sites: [JSONValue], chosen: String?) -> [String: JSONValue] {
        var members = field
        members["input"] = nil
        members["select"] = .bool(true)
        let chosen = chosen ?? (sites.count == 1 ? sites[0][member: "code"]?.text : nil)
        members["options"] = .array(
            sites.map { site in
                let code = site[member: "code"]?.text ?? ""
                return .object(["value": .string(code), "label": .string("\(site[member: "name"]?.text ?? code) (\(code))"), "selected": .bool(code == chosen)])
            })
        return members
    }
}
