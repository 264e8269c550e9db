import Foundation

/// How an agent of the incident desk performed over a period: offered by IncidentOps, read by
/// TrainingOps to show the impact of training, through the Kernel rather than by import.
public struct AgentPerformance: Sendable, Codable, Hashable {
    public let userID: UUID
    public let from: Date
    public let to: Date
    public let casesAssigned: Int
    public let casesResolved: Int
    /// Median seconds from creation to resolution of the cases they resolved; nil when none.
    public let medianResolveSeconds: Int64?
    /// Share of their cases whose clocks all stayed within target (0…1); nil when none.
    public let slaAttainment: Double?
    /// Share of their checklists completed on time (0…1); nil when none applied.
    public let sopOnTime: Double?
    /// Average quality-review score of their reviewed cases (0…100); nil when none was reviewed.
    public let qaScore: Double?

    public init(
        userID: UUID, from: Date, to: Date, casesAssigned: Int, casesResolved: Int, medianResolveSeconds: Int64?, slaAttainment: Double?,
        sopOnTime: Double?, qaScore: Double? = nil
    ) {
        self.userID = userID
        self.from = from
        self.to = to
        self.casesAssigned = casesAssigned
        self.casesResolved = casesResolved
        self.medianResolveSeconds = medianResolveSeconds
        self.slaAttainment = slaAttainment
        self.sopOnTime = sopOnTime
        self.qaScore = qaScore
    }
}

public protocol AgentPerformanceProvider: Sendable {
    func performance(of userID: UUID, from: Date, to: Date) async throws -> AgentPerformance
}
