import JSONCoding

/// A JSON answer read by member names, for seeding code that keeps ids.
public struct ContractJSON: Sendable {
    public let value: JSONValue

    public init(value: JSONValue) { self.value = value }

    public subscript(_ key: String) -> ContractJSON {
        if case .object(let members) = value, let member = members[key] { return ContractJSON(value: member) }
        return ContractJSON(value: .null)
    }

    public var text: String? {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        default: nil
        }
    }

    public var int: Int? {
        if case .integer(let number) = value { return Int(number) }
        return nil
    }

    /// The items of a page or of an array.
    public var items: [ContractJSON] {
        if case .array(let items) = value { return items.map(ContractJSON.init) }
        if case .array(let items) = self["items"].value { return items.map(ContractJSON.init) }
        return []
    }
}
