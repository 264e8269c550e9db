import Kernel

/// The HTTP API, declared by types: the host mounts it under /api/noticeboard, checks the
/// permission, validates the body against the schema derived from its type, documents it in
/// /openapi.json, and answers with the record and its ETag.
struct NoticeEndpoints {
    let notices: NoticeService

    var all: [Endpoint] {
        [
            .list(
                "/notices", operationID: "listNotices", summary: "Notices of a region (or of all yours), newest first", permission: NoticeboardModule.read,
                query: [QueryParameter("region", .regionCode, "Region code")], of: Notice.self
            ) { request, page in
                try await notices.list(region: try request.query["region"].map { try RegionCode.parse($0) }, page: page, by: request.principal)
            },
            .read("/notices/{id}", operationID: "getNotice", summary: "One notice", permission: NoticeboardModule.read, returns: Notice.self) { request in
                try await notices.get(request.path("id"), by: request.principal)
            },
            .create(
                "/notices", operationID: "postNotice", summary: "Post a notice to a region's board", permission: NoticeboardModule.post,
                body: NoticeInput.self, returns: Notice.self
            ) { request, input in try await notices.post(input, by: request.invocation) },
            .update(
                "/notices/{id}", operationID: "updateNotice", summary: "Edit, pin or unpin a notice", permission: NoticeboardModule.post,
                body: NoticeChange.self, returns: Notice.self
            ) { request, change, version in try await notices.update(request.path("id"), change, expectedVersion: version, by: request.invocation) },
        ]
    }
}
