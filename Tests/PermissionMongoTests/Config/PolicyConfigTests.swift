import Testing
@testable import PermissionMongo

@Suite struct PolicyConfigTests {
    private func policy(_ roles: String) throws -> CollectionPolicy {
        let config = try loadTestConfig(withBaseConfig("collections:\n  products: {}\npolicies:\n  products:\n" + roles))
        return try #require(config.policies["products"])
    }

    @Test func contractExampleGrants() throws {
        let policy = try policy("""
                admin:  { actions: [create, read, update, delete, restore] }
                editor:
                  inherits: [viewer]
                  actions: [create, read, update]
                  when: doc.created_by == user.id
                  deny_write: [price]
                viewer: { actions: [read] }

            """)
        let editorReads = policy.grants(roles: ["editor"], action: .read)
        #expect(editorReads.map(\.role) == ["editor", "viewer"])
        #expect(editorReads[0].when?.source == "doc.created_by == user.id")
        #expect(editorReads[1].when == nil)
        #expect(policy.grants(roles: ["editor"], action: .update).map(\.role) == ["editor"])
        #expect(policy.grants(roles: ["editor"], action: .update)[0].denyWrite == ["price"])
        #expect(policy.grants(roles: ["editor"], action: .delete).isEmpty)
        #expect(policy.grants(roles: ["viewer"], action: .update).isEmpty)
        #expect(policy.grants(roles: ["admin", "editor"], action: .read).map(\.role) == ["admin", "editor", "viewer"])
        #expect(policy.grants(roles: ["unknown"], action: .read).isEmpty)
        #expect(policy.allows(roles: ["viewer"], action: .read))
        #expect(!policy.allows(roles: ["viewer", "nobody"], action: .create))
        #expect(policy.roles["admin"]?.actions == Set(Action.allCases))
    }

    @Test func transitiveInheritanceKeepsEachRolesWhen() throws {
        let policy = try policy("""
                a: { inherits: [b], actions: [read], when: "doc.x == 1" }
                b: { inherits: [c], actions: [update], deny_write: [secret] }
                c: { actions: [read, delete], when: "doc.owner == user.id" }
                d: { inherits: [b, c] }

            """)
        let reads = policy.grants(roles: ["a"], action: .read)
        #expect(reads.map(\.role) == ["a", "c"])
        #expect(reads.map { $0.when?.source } == ["doc.x == 1", "doc.owner == user.id"])
        #expect(policy.grants(roles: ["a"], action: .delete).map(\.role) == ["c"])
        #expect(policy.grants(roles: ["a"], action: .delete)[0].denyWrite == ["secret"])
        #expect(policy.grants(roles: ["d"], action: .update).map(\.role) == ["b"])
        // Reached twice (d → b → c and d → c): listed once per distinct restriction.
        #expect(policy.grants(roles: ["d"], action: .delete).count == 1)
        #expect(policy.grants(roles: ["d"], action: .create).isEmpty)
    }

    @Test func inheritanceCycleIsAProblemNamingTheCycle() {
        let lines = configProblemLines(withBaseConfig("""
            collections:
              products: {}
            policies:
              products:
                a: { inherits: [b], actions: [read] }
                b: { inherits: [c] }
                c: { inherits: [a] }
                self: { inherits: [self] }
            """))
        #expect(lines == [
            "cfg/c.yml:5: policies.products.a.inherits: inheritance cycle: a -> b -> c -> a",
            "cfg/c.yml:8: policies.products.self.inherits: inheritance cycle: self -> self",
        ])
    }

    @Test func unknownInheritedRoleAndAction() {
        let lines = configProblemLines(withBaseConfig("""
            collections:
              products: {}
            policies:
              products:
                editor: { inherits: [viewr], actions: [read, publish] }
            """))
        #expect(lines == [
            "cfg/c.yml:5: policies.products.editor.actions: unknown action \"publish\" (expected create, read, update, delete, restore)",
            "cfg/c.yml:5: policies.products.editor.inherits: inherits unknown role \"viewr\"",
        ])
    }

    @Test func whenSyntaxErrorReportsLineAndColumn() {
        let found = configProblems(withBaseConfig("""
            collections:
              products: {}
            policies:
              products:
                editor:
                  actions: [read]
                  when: "doc.a =="
            """))
        #expect(found.count == 1)
        guard let problem = found.first else { return }
        #expect(problem.file == "cfg/c.yml")
        #expect(problem.line == 7)
        #expect(problem.key == "policies.products.editor.when")
        #expect(problem.column == 22)  // the end of `doc.a ==` inside the quotes
        #expect(problem.message.hasSuffix("(policy products.editor, expression 1:9)"))
        #expect(problem.description.hasPrefix("cfg/c.yml:7:22: policies.products.editor.when: "))
    }

    @Test func whenErrorOnALaterLineOfABlockScalar() {
        let found = configProblems(withBaseConfig("""
            collections:
              products: {}
            policies:
              products:
                editor:
                  actions: [read]
                  when: |
                    doc.a == 1 and
                    (doc.b == 2
            """))
        #expect(found.count == 1)
        #expect(found.first?.key == "policies.products.editor.when")
        #expect(found.first?.message.contains("(policy products.editor, expression 2:") == true)
        #expect(found.first?.line == 9)
    }

    @Test func policiesForAnUnconfiguredCollection() {
        let lines = configProblemLines(withBaseConfig("policies:\n  ghosts:\n    viewer: { actions: [read] }\n"))
        #expect(lines == ["cfg/c.yml:2: policies.ghosts: collection \"ghosts\" is not configured under collections"])
    }

    @Test func badPolicyValueTypes() {
        let lines = configProblemLines(withBaseConfig("""
            collections:
              products: {}
            policies:
              products:
                a: { actions: read }
                b: { deny_write: price, when: 3 }
                c: [read]
            """))
        #expect(lines == [
            "cfg/c.yml:5: policies.products.a.actions: must be a list of strings",
            "cfg/c.yml:6: policies.products.b.deny_write: must be a list of strings",
            "cfg/c.yml:6: policies.products.b.when: must be a string",
            "cfg/c.yml:7: policies.products.c: must be a mapping",
        ])
    }

    @Test func inheritanceExpansionDirectly() {
        let roles: [String: RolePolicy] = [
            "a": RolePolicy(actions: [.read], inherits: ["b"], denyWrite: ["x"]),
            "b": RolePolicy(actions: [.update], inherits: ["a"], denyWrite: ["y"]),
        ]
        #expect(RoleInheritance.expand("a", in: roles) == [
            .init(role: "a", denyWrite: ["x"]), .init(role: "b", denyWrite: ["x", "y"]),
        ])
        #expect(RoleInheritance.problems(in: roles) == [.cycle(["a", "b", "a"])])
    }
}
