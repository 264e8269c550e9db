import Foundation

/// Work a domain runs in the background on a fixed interval (SLA scans, reminders).
public struct BackgroundJob: Sendable {
    public let name: String
    public let interval: Duration
    public let run: @Sendable () async throws -> Void

    public init(name: String, every interval: Duration, run: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.run = run
    }
}

/// A report a domain offers (its data comes from an endpoint or a command of the domain).
public struct ReportDescriptor: Sendable, Hashable {
    public let id: String
    public let title: String
    public let formats: [String]
    public let permission: Permission

    public init(id: String, title: String, formats: [String], permission: Permission) {
        self.id = id
        self.title = title
        self.formats = formats
        self.permission = permission
    }
}

/// A gauge at /metrics (open cases per region, say), read in the background rather than at scrape
/// time so that a scrape never waits on a query.
public struct DomainGauge: Sendable {
    public let name: String
    public let help: String
    public let read: @Sendable () async throws -> [GaugeSample]

    public init(name: String, help: String, read: @escaping @Sendable () async throws -> [GaugeSample]) {
        self.name = name
        self.help = help
        self.read = read
    }
}

public struct GaugeSample: Sendable, Hashable {
    public let labels: [String: String]
    public let value: Double

    public init(labels: [String: String] = [:], value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// A setting a domain reads from its config scope, listed by `vigil config show`.
public struct ConfigSetting: Sendable, Hashable {
    /// Relative to the domain's scope: `intake.max-description-length`.
    public let key: String
    public let summary: String
    public let defaultValue: String
    public let secret: Bool

    public init(_ key: String, _ summary: String, default defaultValue: String, secret: Bool = false) {
        self.key = key
        self.summary = summary
        self.defaultValue = defaultValue
        self.secret = secret
    }
}
