import Kernel

/// A refusal the console itself makes (an expired form, a cross-site post, an oversized form):
/// unlike a service's error, its message is one of the console's texts, so the person reads it in
/// their language.
struct ConsoleRefusal: Error {
    let kind: VigilError.Kind
    let key: String

    static let expiredForm = ConsoleRefusal(kind: .forbidden, key: "refused-expired-form")
    static let crossSite = ConsoleRefusal(kind: .forbidden, key: "refused-cross-site")
    static let tooLarge = ConsoleRefusal(kind: .payloadTooLarge, key: "refused-too-large")
    static let notAForm = ConsoleRefusal(kind: .unsupportedMediaType, key: "refused-not-a-form")
}
