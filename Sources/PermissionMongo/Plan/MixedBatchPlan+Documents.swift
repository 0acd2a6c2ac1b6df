extension MixedBatchPlan {
    /// The documents the batch may create, update or delete — one for each `create`,
    /// `update`, `upsert` and `delete` — which the tenant's rate limit is charged for before
    /// it runs (docs/API.md, "Rate limits"). Reads and relationships write no document; a
    /// validate-only batch writes nothing.
    var writtenDocuments: Int {
        guard !options.validateOnly else { return 0 }
        return operations.reduce(0) { count, operation in
            switch operation {
            case .create, .update, .upsert, .delete: count + 1
            case .get, .list, .link, .unlink: count
            }
        }
    }
}
