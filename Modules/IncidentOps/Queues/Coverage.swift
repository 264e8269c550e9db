import Foundation
import Kernel
import SQLKit

/// One hour of a region's roster against its expected intake: who is on shift and the gaps.
public struct CoverageSlot: Codable, Sendable, Hashable {
    public let from: Date
    public let to: Date
    public let analysts: Int
    public let specialists: Int
    public let coordinators: Int
    /// Open cases the analysts on shift can hold at once.
    public let capacity: Int
    /// Cases opened in the same hour of the week, averaged over the four weeks before.
    public let expectedCases: Double
    /// "no analyst", "no specialist", "no coordinator".
    public let gaps: [String]
}

/// The live load of a region's desk: each analyst's open cases and SLA trouble, each queue's wait.
public struct Workload: Codable, Sendable, Hashable {
    public struct AnalystLoad: Codable, Sendable, Hashable {
        public let analyst: String
        public let onShift: Bool
        public let activeCases: Int
        public let capacity: Int
        public let slaBreached: Int
        public let slaAtRisk: Int
        public let oldestOpenAt: Date?
    }

    public struct QueueLoad: Codable, Sendable, Hashable {
        public let queueId: String?
        public let name: String
        public let open: Int
        public let waiting: Int
        public let oldestWaitingAt: Date?
        /// Running SLA clocks of the queue's open cases past their warning, and past their target.
        public let slaAtRisk: Int
        public let slaBreached: Int
        /// The soonest deadline of a running clock not yet breached: the next one to watch.
        public let nextDueAt: Date?
    }

    public let region: String
    public let at: Date
    public let analysts: [AnalystLoad]
    public let queues: [QueueLoad]
}

/// Coverage (roster against demand) and workload views for the shift coordinator.
public struct CoverageService: Sendable {
    let context: DomainContext

    public init(context: DomainContext) { self.context = context }

    /// Hourly slots over at most two weeks (default: the next 24 hours).
    public func coverage(region: RegionCode, from: Date?, to: Date?, by principal: Principal) async throws -> [CoverageSlot] {
        try principal.require(IncidentOpsPermissions.caseRead)
        try context.authorization.requireVisible(principal, region: region, entity: "region \(region)")
        let hour: Int64 = 3_600_000_000
        let start = ((from ?? context.clock.now()).epochMicros / hour) * hour
        let end = (to ?? Date(epochMicros: start).addingTimeInterval(86_400)).epochMicros
        guard end > start else { throw VigilError.invalid("to", .outOfRange, "must be after from") }
        guard end - start <= 14 * 24 * hour else { throw VigilError.invalid("to", .outOfRange, "coverage spans at most 14 days") }
        // Every dashboard of the region asks for the same hours: computed once per change.
        return try await context.database.snapshots.value("incident-ops.coverage \(region.rawValue) \(start) \(end)") { [self] in
            try await computeCoverage(region: region, start: start, end: end)
        }
    }

    func computeCoverage(region: RegionCode, start: Int64, end: Int64) async throws -> [CoverageSlot] {
        let hour: Int64 = 3_600_000_000
        let sql = context.database.sql
        let shifts = try await sql.raw(
            """
            SELECT \(unsafeRaw: ShiftEntry.columns) FROM incident_shifts
            WHERE region = \(bind: region.rawValue) AND ends_at > \(bind: start) AND starts_at < \(bind: end)
            """
        ).all().map(ShiftEntry.init(row:))
        var capacities: [String: Int] = [:]
        for row in try await sql.raw("SELECT user_id, capacity FROM incident_analysts WHERE region = \(bind: region.rawValue)").all() {
            capacities[try row.decode(column: "user_id", as: String.self)] = try row.decode(column: "capacity", as: Int.self)
        }
        let slots = Int((end - start + hour - 1) / hour)
        // Demand: the same hours of the four previous weeks, counted in one grouped range each
        // (grouped by position: PostgreSQL does not see a repeated expression with fresh binds as
        // the selected one).
        var opened = [Int](repeating: 0, count: slots)
        let week = 7 * 24 * hour
        for weeksBack in 1...4 {
            let windowStart = start - Int64(weeksBack) * week
            for row in try await sql.raw(
                """
                SELECT (created_at - \(bind: windowStart)) / \(bind: hour) AS slot, COUNT(*) AS n FROM incident_cases
                WHERE region = \(bind: region.rawValue) AND created_at >= \(bind: windowStart) AND created_at < \(bind: windowStart + Int64(slots) * hour)
                GROUP BY 1
                """
            ).all() {
                let slot = try row.decode(column: "slot", as: Int.self)
                if (0..<slots).contains(slot) { opened[slot] += try row.decode(column: "n", as: Int.self) }
            }
        }
        return (0..<slots).map { index in
            let slotStart = start + Int64(index) * hour
            let slotEnd = min(end, slotStart + hour)
            let on = shifts.filter { $0.startsAt.epochMicros < slotEnd && $0.endsAt.epochMicros > slotStart }
            func people(_ role: ShiftEntry.Role) -> Set<String> { Set(on.filter { $0.role == role }.map(\.userId)) }
            let analysts = people(.analyst)
            let counts = [("analyst", analysts.count), ("specialist", people(.specialist).count), ("coordinator", people(.coordinator).count)]
            return CoverageSlot(
                from: Date(epochMicros: slotStart), to: Date(epochMicros: slotEnd), analysts: counts[0].1, specialists: counts[1].1,
                coordinators: counts[2].1, capacity: analysts.reduce(0) { $0 + (capacities[$1] ?? 0) },
                expectedCases: Double(opened[index]) / 4, gaps: counts.filter { $0.1 == 0 }.map { "no \($0.0)" })
        }
    }

    /// The desk now. Without sensitive access, sensitive cases are left out of every count. Every
    /// coordinator's dashboard asks for it, so it is computed once and shared until the next
    /// change (see ReadSnapshots).
    public func workload(region: RegionCode, by principal: Principal) async throws -> Workload {
        try principal.require(IncidentOpsPermissions.caseRead)
        try context.authorization.requireVisible(principal, region: region, entity: "region \(region)")
        let sensitive = principal.has(IncidentOpsPermissions.caseReadSensitive)
        return try await context.database.snapshots.value("incident-ops.workload \(region.rawValue) \(sensitive)") { [self] in
            try await computeWorkload(region: region, sensitive: sensitive)
        }
    }

    func computeWorkload(region: RegionCode, sensitive: Bool) async throws -> Workload {
        let sql = context.database.sql
        let now = context.clock.now()
        let visible: SQLQueryString = sensitive ? "" : " AND sensitive = \(bind: false)"
        // One pass over the region's open cases, from the partial index that holds every column
        // read here (each case row keeps its SLA trouble, so no clock is read): counts by queue
        // and assignee, added up below per queue and per analyst.
        struct Group {
            var open = 0
            var oldest = Int64.max
            var breached = 0
            var atRisk = 0
            var watchDue = Int64.max
            mutating func add(_ other: Group) {
                open += other.open
                oldest = min(oldest, other.oldest)
                breached += other.breached
                atRisk += other.atRisk
                watchDue = min(watchDue, other.watchDue)
            }
        }
        var byQueue: [String?: Group] = [:]
        var waiting: [String?: Group] = [:]
        var byAnalyst: [String: Group] = [:]
        for row in try await sql.raw(
            """
            SELECT queue_id, assignee, COUNT(*) AS n, MIN(created_at) AS oldest, SUM(sla_breached) AS breached, SUM(sla_at_risk) AS at_risk,
                   MIN(sla_watch_due) AS watch_due
            FROM incident_cases WHERE region = \(bind: region.rawValue) AND \(OpenCases.condition())\(visible) GROUP BY queue_id, assignee
            """
        ).all() {
            let group = Group(
                open: try row.decode(column: "n", as: Int.self), oldest: try row.decode(column: "oldest", as: Int64.self),
                breached: try row.optional("breached", as: Int.self) ?? 0, atRisk: try row.optional("at_risk", as: Int.self) ?? 0,
                watchDue: try row.optional("watch_due", as: Int64.self) ?? Int64.max)
            let queue = try row.optional("queue_id", as: String.self)
            byQueue[queue, default: Group()].add(group)
            if let assignee = try row.optional("assignee", as: String.self) {
                byAnalyst[assignee, default: Group()].add(group)
            } else {
                waiting[queue, default: Group()].add(group)
            }
        }
        let onShift = Set(
            try await sql.raw(
                """
                SELECT user_id FROM incident_shifts WHERE region = \(bind: region.rawValue) AND starts_at <= \(bind: now.epochMicros) AND ends_at > \(bind: now.epochMicros)
                """
            ).all().map { try $0.decode(column: "user_id", as: String.self) })
        let analysts = try await sql.raw("SELECT \(unsafeRaw: Analyst.columns) FROM incident_analysts WHERE region = \(bind: region.rawValue) ORDER BY name")
            .all().map(Analyst.init(row:))
        let queues = try await QueueStore().all(region: region.rawValue, on: sql)
        let queueLoads = byQueue.map { id, figures in
            Workload.QueueLoad(
                queueId: id, name: queues.first { $0.id == id }?.name ?? "(no queue)", open: figures.open, waiting: waiting[id]?.open ?? 0,
                oldestWaitingAt: waiting[id].map { Date(epochMicros: $0.oldest) }, slaAtRisk: figures.atRisk, slaBreached: figures.breached,
                nextDueAt: figures.watchDue == Int64.max ? nil : Date(epochMicros: figures.watchDue))
        }
        return Workload(
            region: region.rawValue, at: now,
            analysts: analysts.map { analyst in
                Workload.AnalystLoad(
                    analyst: analyst.actor, onShift: onShift.contains(analyst.userId), activeCases: byAnalyst[analyst.userId]?.open ?? 0,
                    capacity: analyst.capacity, slaBreached: byAnalyst[analyst.userId]?.breached ?? 0, slaAtRisk: byAnalyst[analyst.userId]?.atRisk ?? 0,
                    oldestOpenAt: byAnalyst[analyst.userId].map { Date(epochMicros: $0.oldest) })
            },
            queues: queueLoads.sorted { ($0.name, $0.queueId ?? "") < ($1.name, $1.queueId ?? "") }
        )
    }
}
