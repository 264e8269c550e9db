import SQLKit

extension SQLRow {
    /// A nullable column. Decoding `T?` directly makes the caller instantiate `Optional<T>`'s
    /// metadata on every call, which showed in profiles of the case list; this asks for `T`.
    @inlinable
    public func optional<T: Decodable>(_ column: String, as type: T.Type) throws -> T? {
        try decodeNil(column: column) ? nil : decode(column: column, as: T.self)
    }
}
