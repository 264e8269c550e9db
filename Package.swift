// swift-tools-version: 6.2
// Vigil: one package, five domains, one host. The targets below are generated from the
// lists at the top so that adding a domain or a region is a one-line change.
import Foundation
import PackageDescription

/// The domains, in the order the host composes them. Each is a module under Modules/<name>,
/// a SwiftPM trait of the same name, and a test target <name>Tests.
let domains = ["IncidentOps", "RiderCompliance", "TrainingOps", "ITServiceDesk", "SafetyLiaison"]

/// Regions enable sets of domains. A region build names the product:
/// `swift build --product vigil --disable-default-traits --traits RegionMX`.
let regions: [String: [String]] = [
    "RegionBR": domains,
    "RegionMX": ["IncidentOps", "RiderCompliance", "TrainingOps"],
    "RegionCO": ["IncidentOps"],
]

let warningsAreErrors: [SwiftSetting] = [
    .treatAllWarnings(as: .error)
]

/// `FUZZ=1 swift build --product VigilFuzz` (Tools/fuzz/run.sh): the Kernel's parsers and the fuzz
/// driver are built with libFuzzer's coverage and AddressSanitizer; nothing else is, so the
/// dependencies are the ordinary build's. Without FUZZ=1 the driver replays its corpus.
let fuzzing = Context.environment["FUZZ"] == "1"
let fuzzSettings: [SwiftSetting] = fuzzing ? [.unsafeFlags(["-sanitize=fuzzer,address"]), .define("FUZZING")] : []
let fuzzLinking: [LinkerSetting] = fuzzing ? [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])] : []

let sqlKit = Target.Dependency.product(name: "SQLKit", package: "sql-kit")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
]

/// Working parts: small modules, each named for what it holds, each with its own test target.
/// The Kernel stands on the first two (its contract speaks of JSON values, days and instants); the
/// rest stand on the Kernel, and a domain imports only those it uses.
let parts: [(name: String, dependencies: [Target.Dependency])] = [
    ("Calendars", []),
    ("JSONCoding", ["Calendars"]),
    ("TextEscaping", []),
    ("Monetary", ["Kernel"]),
    ("CSVCoding", ["Kernel", "TextEscaping"]),
    ("ReportDocuments", ["JSONCoding", "CSVCoding", "TextEscaping"]),
    ("WorkAssignment", ["Kernel", "Calendars", sqlKit]),
    ("SQLParts", ["Kernel", sqlKit]),
    ("EntityHistory", ["Kernel", "JSONCoding", sqlKit]),
]
/// Interfaces: the protocols and values through which one domain offers a capability to others
/// (`CapabilityDirectory`), so that neither imports the other and the Kernel holds neither.
let interfaces: [String] = ["AgentPerformanceInterface"]

let partTargets: [Target] =
    parts.map { part in
        .target(
            name: part.name, dependencies: part.dependencies, path: "Modules/\(part.name)",
            swiftSettings: warningsAreErrors + (["Calendars", "JSONCoding", "CSVCoding", "TextEscaping"].contains(part.name) ? fuzzSettings : []))
    }
    + interfaces.map { name in
        .target(name: name, dependencies: ["Kernel"], path: "Modules/Interfaces/\(name)", swiftSettings: warningsAreErrors)
    }

/// Shared implementation modules: what every domain stands on besides the Kernel contract.
let platformTargets: [Target] =
    partTargets + [
        .target(
            name: "Kernel",
            dependencies: [
                "Calendars", "JSONCoding", sqlKit, logging, argumentParser,
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            path: "Modules/Kernel",
            swiftSettings: warningsAreErrors + fuzzSettings
        ),
        .target(name: "VigilSQLiteShim", path: "Modules/VigilSQLiteShim"),
        .target(
            name: "VigilStorage",
            dependencies: [
                "Kernel", "Calendars", "JSONCoding", "VigilSQLiteShim", sqlKit, logging,
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ] + nio,
            path: "Modules/VigilStorage",
            swiftSettings: warningsAreErrors
        ),
        .target(
            name: "VigilIdentity",
            dependencies: [
                "Kernel", "Calendars", "JSONCoding", "VigilStorage", sqlKit,
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
            ] + nio,
            path: "Modules/VigilIdentity",
            swiftSettings: warningsAreErrors
        ),
        .target(
            name: "VigilServer",
            dependencies: [
                "Kernel", "JSONCoding", "VigilStorage", "VigilIdentity", hummingbird,
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ] + nio,
            path: "Modules/VigilServer",
            swiftSettings: warningsAreErrors
        ),
        .target(
            name: "VigilConsole",
            dependencies: [
                "Kernel", "JSONCoding", "TextEscaping", "VigilStorage", "VigilIdentity", "VigilServer", hummingbird,
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ] + nio,
            path: "Modules/VigilConsole",
            resources: [.copy("Resources")],
            swiftSettings: warningsAreErrors
        ),
        .target(
            name: "VigilHost",
            dependencies: [
                "Kernel", "Calendars", "VigilStorage", "VigilIdentity", "VigilServer", "VigilConsole", argumentParser, logging,
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            path: "Modules/VigilHost",
            swiftSettings: warningsAreErrors
        ),
    ]

/// The working parts and interfaces each domain uses, beside the Kernel.
let domainParts: [String: [String]] = [
    "IncidentOps": [
        "Calendars", "JSONCoding", "TextEscaping", "CSVCoding", "ReportDocuments", "WorkAssignment", "SQLParts", "EntityHistory", "AgentPerformanceInterface",
    ],
    "ITServiceDesk": ["Calendars", "JSONCoding", "Monetary", "CSVCoding", "ReportDocuments", "WorkAssignment", "SQLParts", "EntityHistory"],
]

/// Every domain keeps its console templates, catalogs and assets in Modules/<domain>/Resources
/// (a README there until it has pages), so adding pages touches nothing outside its folder.
let domainTargets: [Target] = domains.map { domain in
    .target(
        name: domain,
        dependencies: ["Kernel", sqlKit, argumentParser] + (domainParts[domain] ?? []).map { .target(name: $0) },
        path: "Modules/\(domain)",
        resources: [.copy("Resources")],
        swiftSettings: warningsAreErrors
    )
}

let fuzzTarget: Target = .executableTarget(
    name: "VigilFuzz",
    dependencies: ["Kernel", "Calendars", "JSONCoding", "CSVCoding", "Monetary"],
    path: "Tools/fuzz/VigilFuzz",
    swiftSettings: warningsAreErrors + fuzzSettings,
    linkerSettings: fuzzLinking
)

let hostTarget: Target = .executableTarget(
    name: "vigil",
    dependencies: ["VigilHost", "Kernel"]
        + domains.map { .target(name: $0, condition: .when(traits: [$0])) },
    path: "Apps/vigil",
    swiftSettings: warningsAreErrors
)

/// Test-only helpers (temporary databases, fixed clocks, a live server on loopback).
let testSupportTarget: Target = .target(
    name: "VigilTesting",
    dependencies: [
        "Kernel", "JSONCoding", "VigilStorage", "VigilIdentity", "VigilServer", "VigilConsole", "VigilHost", hummingbird,
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "PostgresKit", package: "postgres-kit"),
        .product(name: "Configuration", package: "swift-configuration"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
    ] + nio,
    path: "Tests/VigilTesting",
    swiftSettings: warningsAreErrors
)

/// The contract every domain keeps, run from each domain's test target in one line.
let contractKitTarget: Target = .target(
    name: "DomainContractKit",
    dependencies: ["VigilTesting", "Kernel", "JSONCoding", "VigilServer", sqlKit],
    path: "Tests/DomainContractKit",
    swiftSettings: warningsAreErrors
)

/// docs/NEW-DOMAIN.md's example domain with its tests: the guide's code, compiled and checked.
let domainGuideTestTarget: Target = .testTarget(
    name: "DomainGuideTests",
    dependencies: ["Kernel", "Calendars", "JSONCoding", "VigilTesting", "DomainContractKit", sqlKit, argumentParser],
    path: "Tests/DomainGuideTests",
    swiftSettings: warningsAreErrors
)

/// Seeded randomness shared by the property tests of every target.
let propertyTestingTarget: Target = .target(name: "PropertyTesting", path: "Tests/PropertyTesting", swiftSettings: warningsAreErrors)

/// Each working part is tested on its own: itself and the Kernel, and real databases (both
/// engines) for the parts that run SQL.
let partTestTargets: [Target] = parts.map { part in
    .testTarget(
        name: "\(part.name)Tests",
        dependencies: [.target(name: part.name), "Kernel", "PropertyTesting", sqlKit]
            + (["WorkAssignment", "SQLParts", "EntityHistory"].contains(part.name) ? ["VigilTesting"] : []),
        path: "Tests/\(part.name)Tests",
        swiftSettings: warningsAreErrors
    )
}

/// Every part and interface, for the test targets that cross them.
let allParts: [Target.Dependency] = (parts.map(\.name) + interfaces).map { .target(name: $0) } + ["PropertyTesting"]

let platformTestTargets: [Target] = ["Kernel", "VigilStorage", "VigilIdentity", "VigilServer", "VigilConsole", "VigilHost"].map { name in
    .testTarget(
        name: "\(name)Tests",
        dependencies: Array(Set([name, "VigilTesting", "Kernel", "VigilStorage", "IncidentOps", "RiderCompliance", "TrainingOps", "ITServiceDesk"])).sorted()
            .map {
                .target(name: $0)
            }
            + allParts + [sqlKit, .product(name: "Logging", package: "swift-log")],
        path: "Tests/\(name)Tests",
        swiftSettings: warningsAreErrors
    )
}

let domainTestTargets: [Target] = domains.map { domain in
    .testTarget(
        name: "\(domain)Tests",
        dependencies: [.target(name: domain), "VigilTesting", "DomainContractKit", "Kernel", "VigilServer", sqlKit] + allParts
            + (domain == "IncidentOps" ? ["TrainingOps"] : domain == "ITServiceDesk" ? ["IncidentOps"] : []),
        path: "Tests/\(domain)Tests",
        swiftSettings: warningsAreErrors
    )
}

let endToEndTestTarget: Target = .testTarget(
    name: "EndToEndTests",
    dependencies: [
        "VigilTesting", "Kernel", "VigilHost", "VigilServer", "VigilStorage", hummingbird, sqlKit,
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ] + allParts + domains.map { .target(name: $0) },
    path: "Tests/EndToEndTests",
    swiftSettings: warningsAreErrors
)

let package = Package(
    name: "vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .executable(name: "VigilFuzz", targets: ["VigilFuzz"]),
    ],
    traits: Set(
        domains.map { Trait(name: $0, description: "Compile the \($0) domain into vigil") }
            + regions.map { Trait(name: $0.key, description: "Domains of \($0.key)", enabledTraits: Set($0.value)) }
            + [.default(enabledTraits: Set(domains))]
    ),
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: platformTargets + domainTargets + [hostTarget, fuzzTarget, testSupportTarget, contractKitTarget, propertyTestingTarget]
        + partTestTargets + platformTestTargets + domainTestTargets + [endToEndTestTarget, domainGuideTestTarget]
)
