import Crypto
import Foundation
import JSONCoding
import Kernel
import VigilStorage

/// Honours Idempotency-Key for every endpoint that declares `idempotent`, around its handler: a
/// retry with the same key and request gets the first answer and writes nothing; the same key with
/// another request is a 422; a twin sent while the first is running waits for the first's answer.
/// The handler's own transaction takes the key (`IdempotencyClaim`), so nothing is written twice
/// even when two retries arrive together, and no handler has to remember to do anything.
struct IdempotentRequests {
    let runtime: VigilRuntime
    /// How long a twin waits for the first request's answer before it is told to retry.
    var patience: Duration = .seconds(10)
    /// A claim without an answer this old lost its answer (the process stopped in between).
    var lostAfterMicros: Int64 = 60_000_000

    static func key(_ header: String, principal: Principal, route: String, path: String, body: Data) throws(VigilError) -> IdempotencyKey {
        try IdempotencyKey.validate(header)
        var hasher = SHA256()
        hasher.update(data: Data(path.utf8))
        hasher.update(data: Data([0]))
        hasher.update(data: body)
        return IdempotencyKey(key: header, principal: principal.actor, route: route, fingerprint: Hex.encode(hasher.finalize()))
    }

    func run(_ key: IdempotencyKey, invocation: Invocation, path: String, _ handler: @Sendable () async throws -> EndpointResponse) async throws
        -> EndpointResponse
    {
        if let held = try await IdempotencyStore.find(key, on: runtime.database.sql) {
            return try await answer(held, key)
        }
        let claim = IdempotencyClaim(key: key)
        do {
            let response = try await IdempotencyClaim.$current.withValue(claim) { try await handler() }
            if claim.isCommitted, response.stream == nil {
                try await store(
                    key,
                    StoredResponse(
                        status: response.status, body: response.body, contentType: response.contentType,
                        location: response.location, etag: response.etag), invocation: invocation)
            }
            return response
        } catch is IdempotencyRace {
            return try await waitForFirst(key)
        } catch let error as VigilError where claim.isCommitted {
            // Something was written before the failure: the failure is this key's answer.
            let body = Problem.body(error, path: path, requestID: invocation.requestID)
            try await store(
                key, StoredResponse(status: error.kind.status, body: body, contentType: Problem.contentType, location: nil, etag: nil), invocation: invocation)
            throw error
        }
    }

    private func store(_ key: IdempotencyKey, _ response: StoredResponse, invocation: Invocation) async throws {
        try await IdempotencyStore.complete(key, with: response, database: runtime.database, invocation: invocation, now: runtime.clock.now())
    }

    private func answer(_ held: IdempotencyStore.Held, _ key: IdempotencyKey) async throws -> EndpointResponse {
        guard held.matches(key) else { throw IdempotencyStore.mismatch }
        if let stored = held.response { return Self.replay(stored) }
        return try await waitForFirst(key)
    }

    private func waitForFirst(_ key: IdempotencyKey) async throws -> EndpointResponse {
        let deadline = ContinuousClock.now + patience
        while true {
            if let held = try await IdempotencyStore.find(key, on: runtime.database.sql) {
                guard held.matches(key) else { throw IdempotencyStore.mismatch }
                if let stored = held.response { return Self.replay(stored) }
                if runtime.clock.now().epochMicros - held.createdAt > lostAfterMicros {
                    throw VigilError(.conflict, "a request with this Idempotency-Key was applied, but its answer was lost; read the record instead of retrying")
                }
            }
            if ContinuousClock.now >= deadline {
                throw VigilError(.conflict, "a request with this Idempotency-Key is still in progress; retry shortly")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    static func replay(_ stored: StoredResponse) -> EndpointResponse {
        EndpointResponse(
            status: stored.status, body: stored.body, contentType: stored.contentType, etag: stored.etag, location: stored.location, replayed: true)
    }
}
