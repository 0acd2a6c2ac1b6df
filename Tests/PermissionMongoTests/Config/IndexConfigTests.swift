import Testing
@testable import PermissionMongo

@Suite("indexes configuration")
struct IndexConfigTests {
    private let orders = """
        collections:
          orders:
            fields:
              category: { type: string }
              sku: { type: string, unique: true }
              due: { type: date }
              total: { type: number }
              dims: { type: object, fields: { w: { type: number } } }
              lines: { type: array, items: { type: object, fields: { sku: { type: string } } } }
              extra: { type: object }
            soft_delete: true

        """

    @Test func declaredIndexesAreReadInOrderWithTheirPlace() throws {
        let config = try loadTestConfig(withBaseConfig(orders + """
                indexes:
                  - fields: { category: 1, created_at: -1 }
                  - fields: { sku: 1, total: -1 }
                    name: sku_total
                    unique: true
                  - { fields: { deleted_at: 1 }, expire_after_seconds: 86400 }
                  - fields: { due: 1 }
                    expire_after_seconds: 0
                  - fields: { dims.w: 1, lines.sku: 1, extra.anything: 1, _id: -1, updated_by: 1 }
            """))
        let indexes = try #require(config.collections["orders"]).indexes
        #expect(indexes.map(\.name) == [
            "pm_idx_category_1_created_at_-1", "sku_total", "pm_idx_deleted_at_1", "pm_idx_due_1",
            "pm_idx_dims.w_1_lines.sku_1_extra.anything_1__id_-1_updated_by_1",
        ])
        #expect(indexes[0].fields == [.init("category"), .init("created_at", .descending)])
        #expect(indexes.map(\.unique) == [false, true, false, false, false])
        #expect(indexes.map(\.expireAfterSeconds) == [nil, nil, 86400, 0, nil])
        #expect(indexes.map(\.file) == Array(repeating: "cfg/c.yml", count: 5))
        #expect(indexes.map(\.line) == [13, 14, 17, 18, 20])
        #expect(indexes.map(\.key) == (0..<5).map { "collections.orders.indexes[\($0)]" })
    }

    @Test func theBackendSpecificationHasTheTenantFirstExceptForTTL() throws {
        let plain = DeclaredIndex(fields: [.init("category"), .init("created_at", .descending)])
        #expect(plain.specification.jsonString
            == #"{"key":{"tenant_id":1,"category":1,"created_at":-1},"name":"pm_idx_category_1_created_at_-1"}"#)
        let unique = DeclaredIndex(fields: [.init("sku"), .init("total")], name: "sku_total", unique: true)
        #expect(unique.specification.jsonString == #"{"key":{"tenant_id":1,"sku":1,"total":1},"name":"sku_total","unique":true,"#
            + #""partialFilterExpression":{"sku":{"$exists":true},"total":{"$exists":true}}}"#)
        let ttl = DeclaredIndex(fields: [.init("deleted_at")], expireAfterSeconds: 60)
        #expect(ttl.specification.jsonString == #"{"key":{"deleted_at":1},"name":"pm_idx_deleted_at_1","expireAfterSeconds":60}"#)
    }

    @Test func badDeclarationsAreProblemsWithFileAndLine() {
        let lines = configProblemLines(withBaseConfig(orders + """
                indexes:
                  - fields: { category: 1, colour: 1 }
                  - fields: { tenant_id: 1, total: 1 }
                  - fields: { total: 2 }
                  - fields: { total: asc }
                  - fields: {}
                  - fields: { lines.0.sku: 1 }
                  - fields: { dims.w.x: 1 }
                  - name: nameless
                  - fields: { total: 1 }
                    sparse: true
                  - fields: { total: 1 }
                    name: pm_total
                  - fields: { total: 1 }
                    name: "total index"
                  - fields: { total: 1 }
                    unique: yes please
                  - fields: { due: 1, total: 1 }
                    expire_after_seconds: 60
                  - fields: { total: 1 }
                    expire_after_seconds: 60
                  - fields: { due: 1 }
                    expire_after_seconds: -1
                  - fields: { due: 1 }
                    unique: true
                    expire_after_seconds: 60
                  - fields: { sku: 1 }
                  - fields: { category: 1 }
                    name: first
                  - fields: { total: -1 }
                    name: first
                  - fields: { category: 1 }
                  - fields: { created_by: 1 }
                    expire_after_seconds: 2147483648
                  - category: 1
              notes:
                indexes: { fields: { a: 1 } }
            """))
        #expect(lines == [
            #"cfg/c.yml:13: collections.orders.indexes[0].fields.colour: "colour" is not a declared field (colour is not in the schema)"#,
            "cfg/c.yml:14: collections.orders.indexes[1].fields.tenant_id: tenant_id starts every index already: leave it out",
            "cfg/c.yml:15: collections.orders.indexes[2].fields.total: must be 1 (ascending) or -1 (descending)",
            "cfg/c.yml:16: collections.orders.indexes[3].fields.total: must be 1 (ascending) or -1 (descending)",
            "cfg/c.yml:17: collections.orders.indexes[4].fields: must name at least one field",
            #"cfg/c.yml:18: collections.orders.indexes[5].fields.lines.0.sku: "lines.0.sku" has an array index (0): name the field, the index covers every item"#,
            #"cfg/c.yml:19: collections.orders.indexes[6].fields.dims.w.x: "dims.w.x" is not a declared field (w is a number, it has no fields)"#,
            "cfg/c.yml:20: collections.orders.indexes[7]: fields is required",
            "cfg/c.yml:22: collections.orders.indexes[8].sparse: unknown key (expected one of: fields, name, unique, expire_after_seconds)",
            "cfg/c.yml:24: collections.orders.indexes[9].name: must not start with pm_ (the gateway's own index names)",
            "cfg/c.yml:26: collections.orders.indexes[10].name: may contain only letters, digits, _, - and .",
            "cfg/c.yml:28: collections.orders.indexes[11].unique: must be true or false",
            "cfg/c.yml:30: collections.orders.indexes[12].expire_after_seconds: a TTL index has exactly one field (it has 2)",
            "cfg/c.yml:32: collections.orders.indexes[13].expire_after_seconds: a TTL index needs a date field: total is not declared type: date (nor created_at, updated_at, deleted_at)",
            "cfg/c.yml:34: collections.orders.indexes[14].expire_after_seconds: must be at least 0",
            "cfg/c.yml:37: collections.orders.indexes[15].expire_after_seconds: a TTL index cannot be unique (it spans every tenant)",
            "cfg/c.yml:38: collections.orders.indexes[16]: sku is unique: its index pm_unique_tenant_sku has these fields already",
            "cfg/c.yml:41: collections.orders.indexes[18]: name first is already used by collections.orders.indexes[17]",
            "cfg/c.yml:43: collections.orders.indexes[19]: has the same fields as collections.orders.indexes[17]",
            "cfg/c.yml:45: collections.orders.indexes[20].expire_after_seconds: must be at most 2147483647",
            "cfg/c.yml:46: collections.orders.indexes[21].category: unknown key (expected one of: fields, name, unique, expire_after_seconds)",
            "cfg/c.yml:46: collections.orders.indexes[21]: fields is required",
            "cfg/c.yml:48: collections.notes.indexes: must be a list of indexes",
        ])
    }

    @Test func aCollectionWithoutDeclaredFieldsIndexesAnyPath() throws {
        let config = try loadTestConfig(withBaseConfig("""
            collections:
              notes:
                indexes:
                  - fields: { topic: 1, meta.source: -1 }
            """))
        #expect(config.collections["notes"]?.indexes.map(\.name) == ["pm_idx_topic_1_meta.source_-1"])
    }
}
