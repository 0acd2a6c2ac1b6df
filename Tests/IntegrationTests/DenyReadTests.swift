import HTTPTypes
import PMBSON
import Testing

@Suite("deny_read: hidden fields on every read route")
struct DenyReadTests {
    @Test func getAndListHideTopLevelNestedAndArrayItemFields() async throws {
        try await DenyReadFixtures.with { api in
            let admin = try await api.token("admin-1", roles: ["admin"])
            let viewer = try await api.token("v", roles: ["viewer"])
            let ids = try await api.create("staff", token: admin, [DenyReadFixtures.fullDocument])

            let seen = try await api.document("staff", ids[0], token: viewer)
            #expect(seen.string("name") == "Ann")
            #expect(seen.showsHiddenFields == [false, false, false])
            #expect(seen.document("dims")?.int("h") == 2)
            #expect(seen.documents("lines").map { $0.string("sku") } == ["a", "b"])

            let list = try await api.get("/staff", token: viewer)
            #expect(list.status == .ok)
            #expect(list.json.documents("data").map { $0.showsHiddenFields[0] } == [false])
            #expect(list.json.documents("data").first?.showsHiddenFields == [false, false, false])

            // Stored in full: a role without deny_read sees everything.
            #expect(try await api.document("staff", ids[0], token: admin).showsHiddenFields == [true, true, true])
        }
    }

    @Test func aFieldIsShownWhenAnotherRoleOfTheCallerShowsIt() async throws {
        try await DenyReadFixtures.with { api in
            let admin = try await api.token("admin-1", roles: ["admin"])
            let ids = try await api.create("staff", token: admin, [DenyReadFixtures.fullDocument])
            let viewerAndHR = try await api.token("v", roles: ["viewer", "hr"])
            #expect(try await api.document("staff", ids[0], token: viewerAndHR).showsHiddenFields == [true, true, true])
            // Both hide salary; only viewer hides dims.w and lines.cost.
            let viewerAndAuditor = try await api.token("v", roles: ["viewer", "auditor"])
            let seen = try await api.document("staff", ids[0], token: viewerAndAuditor)
            #expect(seen.showsHiddenFields == [false, true, true])
            let list = try await api.get("/staff", token: viewerAndAuditor)
            #expect(list.json.documents("data").first?.showsHiddenFields == [false, true, true])
        }
    }

    @Test func inheritedGrantsCarryTheDenyReadOfTheirPath() async throws {
        try await DenyReadFixtures.with { api in
            let admin = try await api.token("admin-1", roles: ["admin"])
            let ids = try await api.create("staff", token: admin, [DenyReadFixtures.fullDocument])
            // lead reads only through viewer's grant: viewer's deny_read applies.
            let lead = try await api.token("l", roles: ["lead"])
            #expect(try await api.document("staff", ids[0], token: lead).showsHiddenFields == [false, false, false])
            // senior has a read grant of its own, without deny_read: shown.
            let senior = try await api.token("s", roles: ["senior"])
            #expect(try await api.document("staff", ids[0], token: senior).showsHiddenFields == [true, true, true])
        }
    }

    @Test func aConditionalGrantShowsOnlyTheDocumentsItMatches() async throws {
        try await DenyReadFixtures.with { api in
            let aliceAdmin = try await api.token("alice", roles: ["admin"])
            let bobAdmin = try await api.token("bob", roles: ["admin"])
            let hers = try await api.create("staff", token: aliceAdmin, [DenyReadFixtures.fullDocument])
            let his = try await api.create("staff", token: bobAdmin, [DenyReadFixtures.fullDocument])
            let alice = try await api.token("alice", roles: ["viewer", "own_reader"])
            #expect(try await api.document("staff", hers[0], token: alice).showsHiddenFields == [true, true, true])
            #expect(try await api.document("staff", his[0], token: alice).showsHiddenFields == [false, false, false])
            let list = try await api.list("staff", [("sort", "created_by")], token: alice)
            #expect(list.json.documents("data").map { $0.showsHiddenFields[0] } == [true, false])
            // Hidden from some document she can read: she may not filter on it.
            let filtered = try await api.list("staff", [("filter", #"{"salary":100}"#)], token: alice)
            #expect(filtered.status == .forbidden)
        }
    }

    @Test func filtersAndSortsNamingAHiddenFieldAreForbidden() async throws {
        try await DenyReadFixtures.with { api in
            let admin = try await api.token("admin-1", roles: ["admin"])
            _ = try await api.create("staff", token: admin, [DenyReadFixtures.fullDocument])
            let viewer = try await api.token("v", roles: ["viewer"])
            let refused: [(String, String, String)] = [
                ("filter", #"{"salary":100}"#, "salary"),
                ("filter", #"{"name":"Ann","$or":[{"team":"blue"},{"salary":{"$gt":50}}]}"#, "salary"),
                ("filter", #"{"dims":{"w":1,"h":2}}"#, "dims"),
                ("filter", #"{"dims.w.x":1}"#, "dims.w.x"),
                ("filter", #"{"lines":{"$elemMatch":{"cost":{"$gte":5}}}}"#, "lines.cost"),
                ("filter", #"{"$and":[{"lines.cost":5}]}"#, "lines.cost"),
                ("sort", "name,-salary", "salary"),
                ("sort", "dims", "dims"),
            ]
            for (parameter, value, field) in refused {
                let reply = try await api.list("staff", [(parameter, value)], token: viewer)
                #expect(reply.status == .forbidden, "\(parameter)=\(value)")
                #expect(reply.json.document("error")?.string("code") == "forbidden")
                #expect(reply.json.document("error")?.string("message")?.contains("\(parameter) on \(field)") == true,
                        "\(reply.text)")
            }
            let allowed: [(String, String)] = [
                ("filter", #"{"dims.h":2,"lines":{"$elemMatch":{"sku":"a"}}}"#),
                ("filter", #"{"$or":[{"name":"Ann"},{"team":"red"}]}"#),
                ("sort", "-name,dims.h"),
            ]
            for (parameter, value) in allowed {
                let reply = try await api.list("staff", [(parameter, value)], token: viewer)
                #expect(reply.status == .ok, "\(parameter)=\(value): \(reply.text)")
                #expect(reply.json.int("count") == 1)
            }
            // A role that shows the field may filter on it.
            let hr = try await api.token("h", roles: ["hr"])
            #expect(try await api.list("staff", [("filter", #"{"salary":100}"#)], token: hr).json.int("count") == 1)
        }
    }

    @Test func batchUpdateAndDeleteFiltersNamingAHiddenFieldAreForbidden() async throws {
        try await DenyReadFixtures.with { api in
            let editor = try await api.token("e", roles: ["editor"])
            let ids = try await api.create("staff", token: editor, [DenyReadFixtures.fullDocument])
            let update = try await api.put("/staff/batch", token: editor, #"{"filter":{"salary":{"$gt":10}},"update":{"team":"x"}}"#)
            #expect(update.status == .forbidden)
            #expect(update.json.document("error")?.string("message")?.contains("salary") == true)
            let delete = try await api.delete("/staff/batch", token: editor, #"{"filter":{"$or":[{"salary":1},{"team":"x"}]}}"#)
            #expect(delete.status == .forbidden)
            // Nothing changed; other filters work.
            let allowed = try await api.put("/staff/batch", token: editor, #"{"filter":{"team":"red"},"update":{"team":"blue"}}"#)
            #expect(allowed.json.int("matched") == 1)
            #expect(try await api.document("staff", ids[0], token: editor).string("team") == "blue")
        }
    }

    @Test func singleUpdateAndRestoreAnswerWithoutHiddenFields() async throws {
        try await DenyReadFixtures.with { api in
            let admin = try await api.token("e", roles: ["admin"])
            let editor = try await api.token("e", roles: ["editor"])
            let ids = try await api.create("staff", token: editor, [DenyReadFixtures.fullDocument])
            let updated = try await api.put("/staff/\(ids[0])", token: editor, #"{"team":"blue","salary":120}"#)
            #expect(updated.status == .ok)
            #expect(updated.json.string("team") == "blue")
            #expect(updated.json["salary"] == nil)
            let restored = try await api.post("/staff/\(ids[0])/versions/1/restore", token: editor, "")
            #expect(restored.status == .ok)
            #expect(restored.json.string("team") == "red")
            #expect(restored.json["salary"] == nil)
            #expect(try await api.document("staff", ids[0], token: admin).int("salary") == 100)
        }
    }

    @Test func versionsHideFieldsInSavedStatesButKeepThemStored() async throws {
        try await DenyReadFixtures.with { api in
            let admin = try await api.token("admin-1", roles: ["admin"])
            let viewer = try await api.token("v", roles: ["viewer"])
            let ids = try await api.create("staff", token: admin, [DenyReadFixtures.fullDocument])
            _ = try await api.put("/staff/\(ids[0])", token: admin, #"{"salary":150}"#)
            _ = try await api.put("/staff/\(ids[0])", token: admin, #"{"team":"blue"}"#)

            let seen = try await api.get("/staff/\(ids[0])/versions", token: viewer)
            #expect(seen.status == .ok)
            #expect(seen.json.int("count") == 2)
            for version in seen.json.documents("data") {
                #expect(version.document("data")?.showsHiddenFields == [false, false, false])
                #expect(version.document("data")?.string("name") == "Ann")
            }
            let full = try await api.get("/staff/\(ids[0])/versions", token: admin)
            #expect(full.json.documents("data").compactMap { $0.document("data")?.int("salary") } == [150, 100])

            // Removed: the versions are still readable, and still hide.
            #expect(try await api.delete("/staff/\(ids[0])", token: admin).status == .noContent)
            let afterDelete = try await api.get("/staff/\(ids[0])/versions", token: viewer)
            #expect(afterDelete.json.int("count") == 3)
            #expect(afterDelete.json.documents("data").allSatisfy {
                $0.document("data")?.showsHiddenFields == [false, false, false]
            })
        }
    }

    @Test func diffVersionsLeaveOutChangesOfHiddenFields() async throws {
        try await DenyReadFixtures.with { api in
            let admin = try await api.token("admin-1", roles: ["admin"])
            let viewer = try await api.token("v", roles: ["viewer"])
            let ids = try await api.create("ledger", token: admin, [#"{"title":"T","secret":1,"meta":{"code":"c1","note":"n1"}}"#])
            _ = try await api.put("/ledger/\(ids[0])", token: admin, #"{"secret":2,"title":"U"}"#)
            _ = try await api.put("/ledger/\(ids[0])", token: admin, #"{"meta":{"code":"c2","note":"n2"}}"#)
            #expect(try await api.document("ledger", ids[0], token: viewer).document("meta")?.keys == ["note"])

            let versions = try await api.get("/ledger/\(ids[0])/versions", token: viewer).json.documents("data")
            #expect(versions.count == 2)
            let fields = versions.map { $0.documents("changes").compactMap { $0.string("field") } }
            #expect(fields.allSatisfy { !$0.contains("secret") && !$0.contains("meta.code") })
            #expect(fields[1].contains("title"))
            #expect(fields[0].contains("meta.note"))
            let adminFields = try await api.get("/ledger/\(ids[0])/versions", token: admin).json.documents("data")
                .flatMap { $0.documents("changes").compactMap { $0.string("field") } }
            #expect(adminFields.contains("secret") && adminFields.contains("meta.code"))
        }
    }
}
