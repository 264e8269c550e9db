import ArgumentParser
import Kernel

// The desk's choices as typed options: ArgumentParser refuses a value outside the list with the
// list itself and exit 64, before anything runs (one rule for every command; see CommandFailure).
extension TicketStatus: ExpressibleByArgument {}
extension TicketType: ExpressibleByArgument {}
extension TicketLinkKind: ExpressibleByArgument {}
extension AssetStatus: ExpressibleByArgument {}
extension AssetAttention: ExpressibleByArgument {}
extension RequirementStatus: ExpressibleByArgument {}
extension TaskStatus: ExpressibleByArgument {}
extension ITReports.Name: ExpressibleByArgument {}
