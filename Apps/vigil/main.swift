// The composition root of the `vigil` program: the domains this build includes, each behind its
// trait, so a region's build compiles only its own (make build REGION=MX).
import Foundation
import Kernel
import VigilHost

#if IncidentOps
    import IncidentOps
#endif
#if RiderCompliance
    import RiderCompliance
#endif
#if TrainingOps
    import TrainingOps
#endif
#if ITServiceDesk
    import ITServiceDesk
#endif
#if SafetyLiaison
    import SafetyLiaison
#endif

var domains: [any DomainModule.Type] = []
#if IncidentOps
    domains.append(IncidentOpsModule.self)
#endif
#if RiderCompliance
    domains.append(RiderComplianceModule.self)
#endif
#if TrainingOps
    domains.append(TrainingOpsModule.self)
#endif
#if ITServiceDesk
    domains.append(ITServiceDeskModule.self)
#endif
#if SafetyLiaison
    domains.append(SafetyLiaisonModule.self)
#endif

do {
    let registry = try DomainRegistry(domains)
    await VigilCLI.main(registry: registry)
} catch {
    print("vigil: \(error)")
    exit(78)
}
