import HTTPTypes
import PMBSON
import PermissionMongo
import Testing

/// `?report_denied=true` on `PUT` and `DELETE /{collection}/batch` by ids: the requested ids
/// skipped by policy (`denied`) and those not there for the caller (`missing`: absent,
/// soft-deleted or another tenant's).
@Suite("report_denied")
struct ReportDeniedTests {
    static let yaml = """
        server:
          max_batch_size: 20
        auth:
          jwt:
            secret: \(GatewayHarness.secret)
        collections:
          tasks:
            fields:
              title: { type: string, required: true }
              points: { type: integer, min: 0 }
            soft_delete: true
        policies:
          tasks:
            member:
              actions: [create, read, update, delete]
              when: doc.created_by == user.id
            reviewer:
              actions: [read, update]
              deny_write: [points]
        """

    /// The ids of one scene: the caller's own document, a colleague's (same tenant, denied by
    /// `when`), one never created, another tenant's, and one of the caller's own that it
    /// soft-deleted.
    struct Scene {
        var me: String
        var own: String
        var colleagues: String
        var absent = "0123456789abcdef01234567"
        var otherTenants: String
        var softDeleted: String

        var all: [String] { [own, colleagues, absent, otherTenants, softDeleted] }
    }

    static func scene(_ api: GatewayClient) async throws -> Scene {
        let me = try await api.token("alice", tenant: "acme", roles: ["member"])
        let colleague = try await api.token("bob", tenant: "acme", roles: ["member"])
        let stranger = try await api.token("alice", tenant: "globex", roles: ["member"])
        let mine = try await api.create("tasks", token: me, [#"{"title":"Mine","points":1}"#, #"{"title":"Gone"}"#])
        let colleagues = try await api.create("tasks", token: colleague, [#"{"title":"Bob's"}"#])
        let otherTenants = try await api.create("tasks", token: stranger, [#"{"title":"Globex"}"#])
        let deleted = try await api.delete("/tasks/batch", token: me, #"{"ids":\#(quoted([mine[1]]))}"#)
        guard deleted.json.int("deleted") == 1 else { throw FixtureError(message: "soft delete failed: \(deleted.text)") }
        return Scene(me: me, own: mine[0], colleagues: colleagues[0], otherTenants: otherTenants[0], softDeleted: mine[1])
    }

    @Test func updateReportsDeniedAndMissingIds() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let scene = try await Self.scene(api)
            let reply = try await api.put(
                "/tasks/batch?report_denied=true", token: scene.me, #"{"ids":\#(quoted(scene.all)),"update":{"points":5}}"#)
            #expect(reply.status == .ok)
            #expect(reply.json.int("matched") == 1)
            #expect(reply.json.int("modified") == 1)
            #expect(reply.json.strings("denied") == [scene.colleagues])
            #expect(reply.json.strings("missing") == [scene.absent, scene.otherTenants, scene.softDeleted])
            #expect(reply.json.elements.map(\.key) == ["matched", "modified", "failed", "denied", "missing"])
        }
    }

    @Test func deleteReportsDeniedAndMissingIds() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let scene = try await Self.scene(api)
            let reply = try await api.delete(
                "/tasks/batch?report_denied=true", token: scene.me, #"{"ids":\#(quoted(scene.all))}"#)
            #expect(reply.status == .ok)
            #expect(reply.json.int("deleted") == 1)
            #expect(reply.json.strings("denied") == [scene.colleagues])
            #expect(reply.json.strings("missing") == [scene.absent, scene.otherTenants, scene.softDeleted])
            // The colleague's document is untouched.
            let colleague = try await api.token("bob", tenant: "acme", roles: ["member"])
            #expect(try await api.get("/tasks/\(scene.colleagues)", token: colleague).status == .ok)
        }
    }

    @Test func anotherTenantsIdLooksExactlyLikeAnAbsentOne() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let scene = try await Self.scene(api)
            let foreign = try await api.delete(
                "/tasks/batch?report_denied=true", token: scene.me, #"{"ids":\#(quoted([scene.otherTenants]))}"#)
            let absent = try await api.delete(
                "/tasks/batch?report_denied=true", token: scene.me, #"{"ids":\#(quoted([scene.absent]))}"#)
            #expect(foreign.status == absent.status)
            #expect(foreign.text.replacingOccurrences(of: scene.otherTenants, with: scene.absent) == absent.text)
        }
    }

    @Test func aDenyWriteThatLeavesOnlyAConditionalRoleReportsDenied() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let scene = try await Self.scene(api)
            let both = try await api.token("alice", tenant: "acme", roles: ["member", "reviewer"])
            // `reviewer` may change any title of the tenant…
            let titles = try await api.put(
                "/tasks/batch?report_denied=true", token: both,
                #"{"ids":\#(quoted([scene.own, scene.colleagues])),"update":{"title":"Renamed"}}"#)
            #expect(titles.json.int("modified") == 2)
            #expect(titles.json.strings("denied").isEmpty)
            // …but not `points`: only `member`'s `when` is left, and it skips the colleague's.
            let points = try await api.put(
                "/tasks/batch?report_denied=true", token: both,
                #"{"ids":\#(quoted([scene.own, scene.colleagues])),"update":{"points":9}}"#)
            #expect(points.json.int("modified") == 1)
            #expect(points.json.strings("denied") == [scene.colleagues])
            #expect(points.json.strings("missing").isEmpty)
        }
    }

    @Test func withoutTheFlagTheAnswerIsUnchanged() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let scene = try await Self.scene(api)
            let update = try await api.put("/tasks/batch", token: scene.me, #"{"ids":\#(quoted(scene.all)),"update":{"points":2}}"#)
            #expect(update.json.elements.map(\.key) == ["matched", "modified", "failed"])
            let delete = try await api.delete(
                "/tasks/batch?report_denied=false", token: scene.me, #"{"ids":\#(quoted(scene.all))}"#)
            #expect(delete.json.elements.map(\.key) == ["matched", "deleted", "failed"])
        }
    }

    @Test func atomicBatchesReportToo() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let scene = try await Self.scene(api)
            let done = try await api.put(
                "/tasks/batch?atomic=true&report_denied=true", token: scene.me,
                #"{"ids":\#(quoted(scene.all)),"update":{"points":7}}"#)
            #expect(done.status == .ok)
            #expect(done.json.int("modified") == 1)
            #expect(done.json.strings("denied") == [scene.colleagues])
            #expect(done.json.strings("missing") == [scene.absent, scene.otherTenants, scene.softDeleted])

            // A failure rolls the batch back; the report still says what was skipped.
            let rolledBack = try await api.put(
                "/tasks/batch?atomic=true&report_denied=true", token: scene.me,
                #"{"ids":\#(quoted(scene.all)),"update":{"points":-1}}"#)
            #expect(rolledBack.status == .unprocessableContent)
            #expect(rolledBack.json.int("matched") == 0)
            #expect(rolledBack.json.documents("failed").map { $0.string("id") } == [scene.own])
            #expect(rolledBack.json.strings("denied") == [scene.colleagues])
            #expect(rolledBack.json.strings("missing") == [scene.absent, scene.otherTenants, scene.softDeleted])

            let deleted = try await api.delete(
                "/tasks/batch?atomic=true&report_denied=true", token: scene.me, #"{"ids":\#(quoted(scene.all))}"#)
            #expect(deleted.status == .ok)
            #expect(deleted.json.int("deleted") == 1)
            #expect(deleted.json.strings("denied") == [scene.colleagues])
        }
    }

    @Test func anIdempotentRequestReportsInItsTransactionAndReplaysTheReport() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let scene = try await Self.scene(api)
            let key: HTTPFields = [.init("Idempotency-Key")!: "delete-report"]
            let first = try await api.send(
                .delete, "/tasks/batch?report_denied=true", token: scene.me,
                body: #"{"ids":\#(quoted(scene.all))}"#, headers: key)
            #expect(first.status == .ok)
            #expect(first.json.int("deleted") == 1)
            #expect(first.json.strings("denied") == [scene.colleagues])
            #expect(first.json.strings("missing") == [scene.absent, scene.otherTenants, scene.softDeleted])
            let replay = try await api.send(
                .delete, "/tasks/batch?report_denied=true", token: scene.me,
                body: #"{"ids":\#(quoted(scene.all))}"#, headers: key)
            #expect(replay.headers[.init("Idempotent-Replayed")!] == "true")
            #expect(replay.text == first.text)
        }
    }

    @Test func everyIdReachedGivesEmptyLists() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let scene = try await Self.scene(api)
            let reply = try await api.put(
                "/tasks/batch?report_denied=true", token: scene.me,
                #"{"ids":\#(quoted([scene.own, scene.own])),"update":{"points":3}}"#)
            #expect(reply.json.int("modified") == 1)
            #expect(reply.json.strings("denied").isEmpty && reply.json["denied"] != nil)
            #expect(reply.json.strings("missing").isEmpty && reply.json["missing"] != nil)
        }
    }

    @Test func aFilterOrABadFlagIsABadRequest() async throws {
        try await GatewayHarness.with(yaml: Self.yaml) { api in
            let me = try await api.token("alice", tenant: "acme", roles: ["member"])
            let byFilter = try await api.delete("/tasks/batch?report_denied=true", token: me, #"{"filter":{"points":1}}"#)
            #expect(byFilter.status == .badRequest)
            #expect(byFilter.json.document("error")?.string("message") == "report_denied applies to a batch by ids, not by filter")
            let update = try await api.put(
                "/tasks/batch?report_denied=true", token: me, #"{"filter":{"points":1},"update":{"points":2}}"#)
            #expect(update.status == .badRequest)
            let bad = try await api.delete(
                "/tasks/batch?report_denied=maybe", token: me, #"{"ids":["0123456789abcdef01234567"]}"#)
            #expect(bad.status == .badRequest)
            #expect(bad.json.document("error")?.string("message") == "report_denied must be true or false")
        }
    }
}
