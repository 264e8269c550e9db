import Foundation
import Kernel
import SQLKit

/// The one rule for what a row that points at a case may show: the reader must be able to see the
/// case. Regions are scoped by each query; this adds the sensitive rule (reporter, assignee or the
/// sensitive permission) for rows of other tables that name a case (escalations, QA reviews).
enum CaseVisibility {
    /// A condition to append to a query over `table` whose `caseColumn` holds a case id; empty
    /// for principals who may see sensitive cases.
    static func condition(_ table: String, caseColumn: String = "case_id", for principal: Principal) -> SQLQueryString {
        if principal.has(IncidentOpsPermissions.caseReadSensitive) { return "" }
        return """
             AND EXISTS (SELECT 1 FROM incident_cases c WHERE c.id = \(unsafeRaw: table).\(unsafeRaw: caseColumn)
                 AND (c.sensitive = \(bind: false) OR c.created_by = \(bind: principal.actor) OR c.assignee = \(bind: principal.userID?.lowercased ?? "-")))
            """
    }
}
