import Foundation
import JSONCoding
import Kernel
import SQLKit
import Synchronization

/// Regions from `vigil_regions`, cached for a minute: intake checks the region of every case,
/// and regions change rarely.
public final class StoredRegionDirectory: RegionDirectory {
    private let database: any VigilDatabase
    private let clock: any WallClock
    private let cache = Mutex<(loadedAt: Date, regions: [RegionCode: RegionInfo])?>(nil)

    public init(database: any VigilDatabase, clock: any WallClock) {
        self.database = database
        self.clock = clock
    }

    public func region(_ code: RegionCode) async throws -> RegionInfo? {
        try await load()[code]
    }

    public func all() async throws -> [RegionInfo] {
        try await load().values.sorted { $0.code < $1.code }
    }

    private func load() async throws -> [RegionCode: RegionInfo] {
        let now = clock.now()
        if let cached = cache.withLock({ $0 }), now.timeIntervalSince(cached.loadedAt) < 60, now >= cached.loadedAt {
            return cached.regions
        }
        let rows = try await database.sql.raw("SELECT code, name, time_zone, locale, currency, holidays FROM vigil_regions").all()
        var regions: [RegionCode: RegionInfo] = [:]
        for row in rows {
            guard let code = RegionCode(try row.decode(column: "code", as: String.self)) else { continue }
            regions[code] = RegionInfo(
                code: code, name: try row.decode(column: "name", as: String.self), timeZone: try row.decode(column: "time_zone", as: String.self),
                locale: try row.decode(column: "locale", as: String.self), currency: try row.decode(column: "currency", as: String.self),
                holidays: StoredRegionDirectory.holidays(try row.decode(column: "holidays", as: String.self)))
        }
        cache.withLock { $0 = (now, regions) }
        return regions
    }

    static func holidays(_ text: String) -> [String] {
        guard case .array(let items)? = try? JSONValue.parse(Data(text.utf8)) else { return [] }
        return items.compactMap { if case .string(let day) = $0 { day } else { nil } }
    }
}
