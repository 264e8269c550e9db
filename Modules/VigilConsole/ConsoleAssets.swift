import Crypto
import Foundation
import Kernel

/// The console's stylesheets and scripts, read once at start and served from memory under a
/// name that carries their content hash, so that browsers keep them for a year and a new build
/// is fetched at once. Nothing comes from another origin.
struct ConsoleAssets: Sendable {
    struct Asset: Sendable {
        let body: Data
        let contentType: String
        let path: String
    }

    /// By owner and file name (`platform/vigil.css`).
    private(set) var byName: [String: Asset] = [:]
    /// By the hashed path the pages link to.
    private(set) var byPath: [String: Asset] = [:]

    init(_ folders: [ConsoleResourceFolder]) {
        for folder in folders {
            for (name, body) in folder.assets {
                let digest = SHA256.hash(data: body).prefix(6).map { String(format: "%02x", $0) }.joined()
                let path = "/console/assets/\(folder.owner)/\(digest)/\(name)"
                let asset = Asset(body: body, contentType: ConsoleAssets.contentType(name), path: path)
                byName["\(folder.owner)/\(name)"] = asset
                byPath[path] = asset
            }
        }
    }

    static func contentType(_ name: String) -> String {
        switch name.split(separator: ".").last {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        default: "application/octet-stream"
        }
    }

    func path(_ owner: DomainID, _ name: String) -> String? { byName["\(owner)/\(name)"]?.path }

    /// The stylesheets and scripts of a page: the platform's, then its domain's.
    func links(for owner: DomainID, extension suffix: String) -> [String] {
        let own = byName.filter { $0.key.hasPrefix("\(DomainID.platform)/") && $0.key.hasSuffix(suffix) }.map(\.value.path).sorted()
        guard owner != .platform else { return own }
        return own + byName.filter { $0.key.hasPrefix("\(owner)/") && $0.key.hasSuffix(suffix) }.map(\.value.path).sorted()
    }
}
