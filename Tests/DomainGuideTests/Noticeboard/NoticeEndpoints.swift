import Kernel

/// The HTTP API: each endpoint a value; the host mounts it under /api/noticeboard, checks the
/// permission, validates the body against the schema and documents it in /openapi.json.
struct NoticeEndpoints {
    let notices: NoticeService

    var all: [Endpoint] { [list, get, post, update] }

    var list: Endpoint {
        Endpoint(
            .get, "/notices", operationID: "listNotices", summary: "Notices of a region (or of all yours), newest first",
            permission: NoticeboardModule.read, query: [QueryParameter("region", .regionCode, "Region code"), .pagingLimit, .pagingCursor],
            responses: [ResponseDoc(200, "A page of notices", .page("NoticePage", of: NoticeSchemas.notice))]
        ) { request in
            let region = try request.query["region"].map { text throws(VigilError) in try RegionCode.parse(text) }
            let page = try PageRequest(limit: request.query["limit"], cursor: request.query["cursor"])
            return try .json(try await notices.list(region: region, page: page, by: request.principal))
        }
    }

    var get: Endpoint {
        Endpoint(
            .get, "/notices/{id}", operationID: "getNotice", summary: "One notice", permission: NoticeboardModule.read,
            responses: [ResponseDoc(200, "The notice", NoticeSchemas.notice)]
        ) { request in
            let notice = try await notices.get(request.path("id"), by: request.principal)
            return try .json(notice, version: notice.version)
        }
    }

    var post: Endpoint {
        Endpoint(
            .post, "/notices", operationID: "postNotice", summary: "Post a notice to a region's board", permission: NoticeboardModule.post,
            requestBody: NoticeSchemas.input, responses: [ResponseDoc(201, "The notice", NoticeSchemas.notice)], idempotent: true
        ) { request in
            let notice = try await notices.post(try request.decode(NoticeInput.self, schema: NoticeSchemas.input), by: request.invocation)
            return try .json(notice, status: 201, version: notice.version)
        }
    }

    var update: Endpoint {
        Endpoint(
            .patch, "/notices/{id}", operationID: "updateNotice", summary: "Edit, pin or unpin a notice", permission: NoticeboardModule.post,
            requestBody: NoticeSchemas.change, responses: [ResponseDoc(200, "The notice", NoticeSchemas.notice)], versioned: true
        ) { request in
            let change = try request.decode(NoticeChange.self, schema: NoticeSchemas.change)
            let notice = try await notices.update(request.path("id"), change, expectedVersion: try request.requireVersion(), by: request.invocation)
            return try .json(notice, version: notice.version)
        }
    }
}
