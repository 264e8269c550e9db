import Mustache
import TextEscaping

/// The escaping of every console template. swift-mustache's own HTML escaper compares whole
/// Characters, so a quote followed by a combining mark (`"` + U+0301, one Character) is not
/// escaped and can end an attribute; this one escapes by Unicode scalar. Each template file is
/// given the pragma that selects it when it is loaded (`ConsoleTemplates`), partials included,
/// because the library resets the content type for every partial.
struct SafeHTML: MustacheContentType {
    static let name = "VIGIL_HTML"
    static let pragma = "{{%CONTENT_TYPE: \(name)}}"

    func escapeText(_ text: String) -> String { HTMLText.escape(text) }

    /// Registers the content type once, before any template is parsed (the pragma is resolved then).
    static let registered: Bool = {
        MustacheContentTypes.register(SafeHTML(), named: name)
        return true
    }()
}
