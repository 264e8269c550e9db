import PropertyTesting
import Testing
import TextEscaping

/// Escaping works on Unicode scalars, as the parsers that read the result do: a special character
/// followed by a combining mark is still escaped (grapheme-wise replacing left `"` U+07AF as it
/// was, which the CSV fuzzer found and which would end an HTML attribute).
@Suite struct TextEscapingTests {
    static let specials: [String] = ["&", "<", ">", "\"", "'", "%", "_", "a", "é", "\u{301}", "\u{7AF}", "\u{200D}", "\u{FE0F}", "👩", " "]

    @Test(arguments: [
        ("\"\u{301}", "&quot;\u{301}"), ("<\u{7AF}script>", "&lt;\u{7AF}script&gt;"), ("'\u{301}", "&#39;\u{301}"),
        ("a&b", "a&amp;b"), ("plain é", "plain é"), ("", ""),
    ])
    func htmlEscapesSpecialsEvenBeforeCombiningMarks(_ text: String, _ escaped: String) {
        #expect(Array(HTMLText.escape(text).unicodeScalars) == Array(escaped.unicodeScalars))
    }

    /// Whatever the text, the escaped form has no raw markup scalar and decodes back to the text.
    @Test func htmlEscapingIsTotalAndReversible() {
        var rng = SplitMix64(seed: 0x7E47)
        for _ in 0..<2_000 {
            let text = rng.array(upTo: 12) { $0.pick(Self.specials) }.joined()
            let escaped = HTMLText.escape(text)
            #expect(!escaped.unicodeScalars.contains { "<>\"'".unicodeScalars.contains($0) }, "\(text.debugDescription)")
            #expect(Self.decoded(escaped) == Array(text.unicodeScalars), "\(text.debugDescription)")
        }
    }

    /// The five references decoded by scalars (String's own replacing compares characters, and a
    /// mark after `;` would hide the reference from it).
    static func decoded(_ escaped: String) -> [Unicode.Scalar] {
        let references: [(String, Unicode.Scalar)] = [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'")]
        var scalars = Array(escaped.unicodeScalars)[...]
        var out: [Unicode.Scalar] = []
        while let first = scalars.first {
            if let (reference, scalar) = references.first(where: { scalars.starts(with: $0.0.unicodeScalars) }) {
                out.append(scalar)
                scalars = scalars.dropFirst(reference.unicodeScalars.count)
            } else {
                out.append(first)
                scalars = scalars.dropFirst()
            }
        }
        return out
    }

    @Test func likePatternHasNoWildcardTheUserTyped() {
        #expect(LikePattern.containing("50%\u{301}_x") == "%50\u{301}x%")
        #expect(LikePattern.containing("Moto") == "%moto%")
    }

    @Test func droppingFirstScalarKeepsTheMarksAfterIt() {
        #expect(Array("'\u{301}=x".droppingFirstScalar.unicodeScalars) == Array("\u{301}=x".unicodeScalars))
        #expect("".droppingFirstScalar == "")
    }
}
