import Foundation
import JSONCoding
import Kernel
import SQLKit
import Testing
import VigilServer
import VigilTesting

/// The contract every domain keeps, checked in one line from the domain's test target:
///
///     @Test(arguments: TestEngine.available)
///     func keepsTheDomainContract(_ engine: TestEngine) async throws {
///         try await DomainContract.verify(MyDomainModule.self, samples: MySamples(), on: engine)
///     }
///
/// On a fresh database of the engine, with the domain alone (plus `alongside`, for domains it
/// needs): its migrations apply and apply again as a no-op after a restart; its permissions, event
/// types and operations are namespaced and unique; every endpoint is in /openapi.json with its
/// errors documented; no one signed in gets 401 and a user without the permission 403, with nothing
/// written; every read answers the admin with a body valid against its declared schema; a user of
/// another region holding every role of the domain reads none of the seeded records; every
/// idempotent endpoint replays its first answer for a retried key; every mutation the samples
/// send writes an audit record.
public enum DomainContract {
    public static let home = RegionCode("BR-SP")!
    public static let elsewhere = RegionCode("MX-CMX")!

    public static func verify(
        _ domain: any DomainModule.Type, samples: some ContractSamples, alongside: [any DomainModule.Type] = [], on engine: TestEngine
    ) async throws {
        let domains = [domain] + alongside + [ContractBystanderModule.self]
        // A fixed clock: background jobs find nothing due between two reads.
        var test = try await TestRuntime.make(engine, domains: domains)
        do {
            checkDeclarations(domain, test.runtime)
            test = try await test.restarted(domains: domains)
            let server = try await LiveServer.start(test.runtime)
            do {
                try await ContractRun(domain: domain, test: test, server: server, samples: samples).run()
            } catch {
                try? await server.stop()
                throw error
            }
            try? await server.stop()
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    /// Names are the domain's own, and unique.
    static func checkDeclarations(_ domain: any DomainModule.Type, _ runtime: VigilRuntime) {
        let prefix = domain.id.rawValue + "."
        for descriptor in domain.permissions {
            #expect(descriptor.permission.rawValue.hasPrefix(prefix), "permission \(descriptor.permission) is outside \(prefix)*")
        }
        for event in domain.events {
            #expect(event.eventType.hasPrefix(prefix), "event type \(event.eventType) is outside \(prefix)*")
        }
        let ids = domain.migrations.map(\.id)
        #expect(!ids.isEmpty, "\(domain.id) declares no migration")
        #expect(Set(ids).count == ids.count, "\(domain.id) has two migrations with one id: \(ids)")
        guard let module = runtime.modules.first(where: { type(of: $0).id == domain.id }) else {
            Issue.record("\(domain.id) is not in the runtime")
            return
        }
        let endpoints = module.endpoints()
        #expect(!endpoints.isEmpty, "\(domain.id) declares no endpoint")
        let operationIDs = endpoints.map(\.operationID)
        #expect(Set(operationIDs).count == operationIDs.count, "duplicate operation ids in \(domain.id)")
        let routes = endpoints.map { "\($0.method.rawValue) \($0.path)" }
        #expect(Set(routes).count == routes.count, "duplicate routes in \(domain.id)")
        let declared = Set(domain.permissions.map(\.permission))
        for endpoint in endpoints {
            if let permission = endpoint.permission {
                #expect(declared.contains(permission) || !permission.rawValue.hasPrefix(prefix), "\(endpoint.operationID) needs undeclared \(permission)")
            } else if endpoint.method != .get {
                #expect(endpoint.anonymous, "\(endpoint.operationID) changes data without a permission")
            }
            #expect(endpoint.method != .get || endpoint.requestBody == nil, "\(endpoint.operationID) reads with a body")
        }
    }
}
