/// A user's search text inside an SQL LIKE pattern.
public enum LikePattern {
    /// `%text%` over the lowercased text, with the wildcards `%` and `_` the user typed taken out
    /// (by scalar: a wildcard followed by a combining mark is still a wildcard to the database).
    public static func containing(_ text: String) -> String {
        "%" + text.lowercased().replacingScalars { $0 == "%" || $0 == "_" ? "" : nil } + "%"
    }
}
