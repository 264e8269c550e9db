import Foundation
import Kernel
import Logging

/// Opens whichever engine a location names.
public enum DatabaseOpener {
    public static func open(_ location: DatabaseLocation, sqliteOptions: SQLiteStore.Options = .init(), poolWaitSeconds: Int = 10, logger: Logger) async throws
        -> any ManagedDatabase
    {
        switch location {
        case .sqlite(let path): try await SQLiteStore.open(path: path, options: sqliteOptions, logger: logger)
        case .postgres(let url): try await PostgresStore.open(url: url, connectionWait: .seconds(Int64(poolWaitSeconds)), logger: logger)
        }
    }
}
