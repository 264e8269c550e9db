/// Text placed in HTML, in element content or in a quoted attribute value.
public enum HTMLText {
    /// `& < > " '` as character references; everything else as it is (the page is UTF-8).
    public static func escape(_ text: String) -> String {
        text.replacingScalars { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#39;"
            default: nil
            }
        }
    }
}
