import Testing
@testable import PermissionMongo

@Suite("deny_read configuration")
struct DenyReadConfigTests {
    private let collections = """
        collections:
          staff:
            fields:
              name: { type: string }
              salary: { type: number }
              dims: { type: object, fields: { w: { type: number }, h: { type: number } } }
              lines: { type: array, items: { type: object, fields: { sku: { type: string }, cost: { type: number } } } }
              extra: { type: object }

        """

    @Test func readsDenyReadAndInheritsItLikeDenyWrite() throws {
        let config = try loadTestConfig(withBaseConfig(collections + """
            policies:
              staff:
                viewer: { actions: [read], deny_read: [salary, lines.cost] }
                manager: { actions: [read, update], inherits: [viewer], deny_read: [dims.w, extra.anything, created_by] }

            """))
        let policy = try #require(config.policies["staff"])
        #expect(policy.hidesFields)
        #expect(policy.roles["viewer"]?.denyRead == ["salary", "lines.cost"])
        let reads = policy.grants(roles: ["manager"], action: .read)
        #expect(reads.map(\.role) == ["manager", "viewer"])
        #expect(reads[0].denyRead == ["created_by", "dims.w", "extra.anything"])
        // Reached through manager: the deny_read of both roles on the way.
        #expect(reads[1].denyRead == ["created_by", "dims.w", "extra.anything", "lines.cost", "salary"])
        #expect(policy.grants(roles: ["viewer"], action: .read)[0].denyRead == ["lines.cost", "salary"])
    }

    @Test func aPolicyWithoutDenyReadHidesNothing() throws {
        let config = try loadTestConfig(withBaseConfig(collections + """
            policies:
              staff:
                viewer: { actions: [read], deny_write: [salary] }

            """))
        #expect(config.policies["staff"]?.hidesFields == false)
    }

    @Test func badDenyReadEntriesAreProblemsWithFileAndLine() {
        let lines = configProblemLines(withBaseConfig(collections + """
            policies:
              staff:
                a: { actions: [read], deny_read: [_id] }
                b: { actions: [read], deny_read: [tenant_id] }
                c: { actions: [read], deny_read: [salry] }
                d: { actions: [read], deny_read: salary }
                e: { actions: [read], deny_read: [lines.0.cost] }
                f: { actions: [read], deny_read: [name.first] }
                g: { actions: [read], deny_read: [dims.d] }
                h: { actions: [read], deny_read: [5] }
            """))
        #expect(lines == [
            "cfg/c.yml:11: policies.staff.a.deny_read[0]: _id cannot be hidden: every response names the document and its tenant by it",
            "cfg/c.yml:12: policies.staff.b.deny_read[0]: tenant_id cannot be hidden: every response names the document and its tenant by it",
            "cfg/c.yml:13: policies.staff.c.deny_read[0]: \"salry\" is not a declared field (salry is not in the schema)",
            "cfg/c.yml:14: policies.staff.d.deny_read: must be a list of field paths",
            "cfg/c.yml:15: policies.staff.e.deny_read[0]: \"lines.0.cost\" has an array index (0): name the field, it is hidden in every item",
            "cfg/c.yml:16: policies.staff.f.deny_read[0]: \"name.first\" is not a declared field (name is a string, it has no fields)",
            "cfg/c.yml:17: policies.staff.g.deny_read[0]: \"dims.d\" is not a declared field (d is not in the schema)",
            "cfg/c.yml:18: policies.staff.h.deny_read[0]: must be a string",
        ])
    }

    @Test func aCollectionWithoutDeclaredFieldsAcceptsAnyPath() throws {
        let config = try loadTestConfig(withBaseConfig("""
            collections:
              notes: {}
            policies:
              notes:
                viewer: { actions: [read], deny_read: [secret, a.b] }

            """))
        #expect(config.policies["notes"]?.roles["viewer"]?.denyRead == ["secret", "a.b"])
    }
}
