import Foundation
import Kernel

struct TaxonomyEndpoints {
    let taxonomy: Taxonomy

    var all: [Endpoint] { [list, set] }

    static let entry: Schema = .named(
        "TaxonomyEntry",
        .object([
            .required("region", .string(.init())), .required("category", .string(.init())), .required("subcategories", .array(.string(.init()))),
        ]))
    static let input: Schema = .named(
        "TaxonomyInput",
        .object([
            .required("region", .string(maxLength: 10)), .required("category", .enumeration(CaseCategory.all)),
            .required("subcategories", .array(.string(maxLength: 40), maxItems: 50), "Empty: any subcategory"),
        ]))

    private struct Input: Decodable { let region: String; let category: String; let subcategories: [String] }

    var list: Endpoint {
        Endpoint(
            .get, "/taxonomy", operationID: "taxonomy", summary: "Categories and the region's subcategories", permission: IncidentOpsPermissions.caseRead,
            query: [QueryParameter("region", .string(maxLength: 10), "Region code (required)")],
            responses: [ResponseDoc(200, "The taxonomy", .array(Self.entry))]
        ) { request in
            guard let region = try DeskEndpoints.region(request.query["region"]) else { throw VigilError.invalid("region", .required, "is required") }
            return try .json(try await taxonomy.list(region: region, by: request.principal))
        }
    }

    var set: Endpoint {
        Endpoint(
            .put, "/taxonomy", operationID: "setTaxonomy", summary: "Set the subcategories of a category in a region",
            permission: IncidentOpsPermissions.deskManage,
            requestBody: Self.input, responses: [ResponseDoc(200, "The entry", Self.entry)]
        ) { request in
            let input = try request.decode(Input.self, schema: Self.input)
            return try .json(try await taxonomy.set(region: input.region, category: input.category, subcategories: input.subcategories, by: request.invocation))
        }
    }
}
