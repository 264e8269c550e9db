/// Replacing characters one Unicode scalar at a time.
///
/// Why not `replacingOccurrences(of:with:)`: a Swift `String` compares grapheme clusters, so a
/// quote followed by a combining mark (`"` U+0301) is one character that is not `"`, and is left
/// unescaped; a CSV reader or an HTML parser, which read code points, still sees the quote. Every
/// escaper in Vigil goes through this one function so that none can make that mistake again.
extension String {
    /// This text with each scalar that `replacement` maps to a string replaced by it.
    public func replacingScalars(_ replacement: (Unicode.Scalar) -> String?) -> String {
        var result = String.UnicodeScalarView()
        var changed = false
        for scalar in unicodeScalars {
            if let substitute = replacement(scalar) {
                result.append(contentsOf: substitute.unicodeScalars)
                changed = true
            } else {
                result.append(scalar)
            }
        }
        return changed ? String(result) : self
    }

    /// This text without its first Unicode scalar (not its first character, which may carry
    /// combining marks that belong to the rest).
    public var droppingFirstScalar: String {
        String(String.UnicodeScalarView(unicodeScalars.dropFirst()))
    }
}
