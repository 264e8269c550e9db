import SQLKit
import Synchronization

extension SQLDatabase {
    /// Folds the rows of `query` into a value as they arrive, without collecting them: a report
    /// over a million rows holds its totals, not the rows. The first error `visit` throws stops
    /// the folding and is thrown here once the query is done.
    public func fold<State: Sendable>(
        _ query: SQLQueryString, into initial: State,
        _ visit: @escaping @Sendable (inout State, any SQLRow) throws -> Void
    ) async throws -> State {
        let state = Mutex<(value: State, failure: (any Error)?)>((initial, nil))
        try await raw(query).run { row in
            state.withLock { state in
                guard state.failure == nil else { return }
                do { try visit(&state.value, row) } catch { state.failure = error }
            }
        }
        return try state.withLock { state in
            if let failure = state.failure { throw failure }
            return state.value
        }
    }
}
