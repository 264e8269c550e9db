import Kernel
import VigilTesting

/// What a domain hands the contract kit: a few records made through its own API, and bodies for
/// the operations the kit sends. Everything else the kit finds in the registry and /openapi.json.
public protocol ContractSamples: Sendable {
    /// Makes records of the domain in `region` as the admin (through the API, as a user would) and
    /// says which path values name them.
    func seed(_ admin: ContractAdmin, in region: RegionCode) async throws -> ContractRecords

    /// A valid JSON body for an operation, by operation id, given the seeded records; nil: none.
    /// Every operation that takes a body and is not named in `unreached` needs one. The kit sends
    /// the writes once each, in the order of their operation ids.
    func body(for operationID: String, _ records: ContractRecords) -> String?

    /// Operations the kit leaves alone, each with the reason (it still checks their document
    /// entry and refusals). Every other operation must answer the admin with success, so a new
    /// endpoint is either covered or named here.
    var unreached: [String: String] { get }

    /// Operations that may succeed without an audit record here, each with the reason (a
    /// rebalance with nothing to move changes nothing).
    var unaudited: [String: String] { get }
}

extension ContractSamples {
    public var unreached: [String: String] { [:] }
    public var unaudited: [String: String] { [:] }
}

/// The seeded records as path and query values.
public struct ContractRecords: Sendable {
    /// Path values: `"cases/{id}"` (the parameter after a collection) or `"{tag}"` (wherever it appears).
    public var paths: [String: String]
    /// Query strings a read cannot do without, by operation id (`"fiscalYear=2026"`).
    public var queries: [String: String]
    /// Words (ids, references, names) that only readers of the seeded region may read.
    public var words: Set<String>
    /// A whole path for one operation, by operation id, where the shared values do not fit (a
    /// merge that closes the case every other sample works on takes a case of its own).
    public var operationPaths: [String: String]
    /// Anything else the samples' bodies need from the seeding (another record's id).
    public var values: [String: String]
    /// The If-Match of an update, by operation id, where the nearest read up its path is not the
    /// record it changes (a plan task inside its requirement). Otherwise the kit reads the ETag.
    public var ifMatch: [String: Int]

    public init(
        paths: [String: String] = [:], queries: [String: String] = [:], words: Set<String> = [], operationPaths: [String: String] = [:],
        values: [String: String] = [:], ifMatch: [String: Int] = [:]
    ) {
        self.paths = paths
        self.queries = queries
        self.words = words
        self.operationPaths = operationPaths
        self.values = values
        self.ifMatch = ifMatch
    }

    /// The operation's path with each `{parameter}` filled, or nil when one has no value.
    func fill(_ endpoint: Endpoint) -> String? {
        operationPaths[endpoint.operationID] ?? fill(endpoint.path)
    }

    /// The path with each `{parameter}` filled, or nil when one has no value.
    func fill(_ path: String) -> String? {
        var previous = ""
        var filled: [String] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).map(String.init) {
            if segment.hasPrefix("{") {
                guard let value = paths["\(previous)/\(segment)"] ?? paths[segment] else { return nil }
                filled.append(value)
            } else {
                filled.append(segment)
            }
            previous = segment
        }
        return filled.joined(separator: "/")
    }

    /// The path with each parameter filled, made-up values where the records have none (for
    /// requests that must be refused before any record is looked up).
    func fillOrMakeUp(_ path: String) -> String {
        fill(path)
            ?? path.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix("{") ? "made-up-0" : String($0) }.joined(separator: "/")
    }
}

/// The admin of the kit's server, for seeding.
public struct ContractAdmin: Sendable {
    public let client: TestClient
    let test: TestRuntime

    /// A user of the home region with these roles, as `vigil user add` makes one.
    public func user(_ email: String, roles: [Role]) async throws {
        _ = try await test.user(email, roles: roles, regions: .only([DomainContract.home]))
    }

    /// A new user of the home region with these roles, to seed as (the author of a handover is
    /// not the one who acknowledges it).
    public func acting(as email: String, roles: [Role]) async throws -> ContractAdmin {
        let user = try await test.user(email, roles: roles, regions: .only([DomainContract.home]))
        return ContractAdmin(client: TestClient(baseURL: client.baseURL, token: user.token), test: test)
    }

    /// Sends a request that must succeed; its JSON answer.
    @discardableResult
    public func send(_ method: String, _ path: String, _ body: String? = nil, ifMatch version: Int? = nil) async throws -> ContractJSON {
        var headers: [String: String] = [:]
        if let version { headers["If-Match"] = "\"\(version)\"" }
        let response = try await client.request(method, path, json: body, headers: headers)
        guard (200..<300).contains(response.status) else { throw ContractFailure("seeding: \(method) \(path) → \(response.status) \(response.text)") }
        return ContractJSON(value: response.json ?? .null)
    }
}

struct ContractFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
