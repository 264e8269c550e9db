import Foundation

/// Lists stored as `,a,b,` (an empty list as `,`), so that `LIKE '%,a,%'` finds a whole member:
/// the form `WorkerPool` matches skills and languages in.
public enum CommaList {
    public static func stored(_ items: [String]) -> String { items.isEmpty ? "," : "," + items.joined(separator: ",") + "," }
    public static func items(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }

    /// A member such a list can hold: a short word of letters, digits and dashes (a skill, a
    /// subcategory, a step key).
    public static func isToken(_ text: String) -> Bool {
        (1...40).contains(text.count) && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
    }
}
