import Foundation

/// A file sent with a console form (`enctype="multipart/form-data"`): what the browser called it
/// and its bytes, read whole up to the page's limit.
public struct ConsoleUpload: Sendable {
    public let fileName: String
    public let contentType: String?
    public let data: Data

    public init(fileName: String, contentType: String?, data: Data) {
        self.fileName = fileName
        self.contentType = contentType
        self.data = data
    }
}
