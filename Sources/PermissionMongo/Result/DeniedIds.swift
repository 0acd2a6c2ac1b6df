import PMBSON

/// What `?report_denied=true` adds to an update or delete by ids (docs/API.md,
/// "Reporting skipped ids"): of the requested ids the caller may not change, those that
/// exist in the caller's tenant (`denied`: skipped by policy) and the others (`missing`:
/// absent, soft-deleted, or another tenant's — never told apart). Each in request order.
struct DeniedIds: Sendable, Equatable {
    var denied: [ObjectId] = []
    var missing: [ObjectId] = []
}
