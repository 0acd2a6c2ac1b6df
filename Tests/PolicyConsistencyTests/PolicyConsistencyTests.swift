import Foundation
import PMBSON
import PMMongo
import PMPolicy
import PMTestKit
import PMTestSupport
import Testing

/// The property that `when` evaluated in the gateway and compiled into a filter always
/// agree, checked against a real backend: for random documents stored in SecantusDB and random `when` expressions,
/// `find(mongoFilter(user))` returns exactly the documents for which
/// `evaluate(document:user:)` is true.
///
/// Seeded and bounded: per seed 200 documents × 300 expressions (each with a random
/// caller), and the same for `not (expression)`. A failing case prints the seed, the
/// expression, the caller, the compiled filter and the documents on which the two
/// disagree, as canonical extended JSON.
///
/// `PM_POLICY_CONSISTENCY_SEEDS=n` runs seeds 1...n instead of the two CI seeds (a
/// longer local sweep).
@Suite("PolicyConsistency")
struct PolicyConsistencyTests {
    static let seeds: [UInt64] = {
        if let text = ProcessInfo.processInfo.environment["PM_POLICY_CONSISTENCY_SEEDS"], let n = UInt64(text), n > 0 {
            return Array(1...n)
        }
        return [11, 29]
    }()

    static let documentCount = 200
    static let expressionCount = 300
    /// Failing expressions reported in full per seed (the rest are only counted).
    static let reportLimit = 15

    struct Mismatch: Sendable {
        var source: String
        var user: String
        var filter: String
        var differences: [String]
    }

    @Test(arguments: seeds)
    func evaluatorMatchesDatabase(seed: UInt64) async throws {
        var generator = PolicyCaseGenerator(seed: seed)
        let documents = (0..<Self.documentCount).map { generator.document(id: Int32($0)) }

        // Expressions (and their negations) with one caller each, compiled up front.
        var cases: [(source: String, expression: PolicyExpression, user: PolicyUser)] = []
        for _ in 0..<Self.expressionCount {
            let source = generator.expression()
            let user = generator.user()
            for text in [source, "not (\(source))"] {
                do {
                    cases.append((text, try PolicyExpression.parse(text), user))
                } catch {
                    Issue.record("generated expression did not parse: \(text): \(error)")
                }
            }
        }
        let filters = cases.map { $0.expression.mongoFilter(user: $0.user).encoded() }

        let pool = try await TestBackend.makePool(hint: "policyConsistency\(seed)")
        defer { pool.close() }
        let encoded = documents.map { $0.encoded() }
        let collection = "docs"

        // Store, read everything back (byte-exact round trip), then run every filter.
        let (stored, results) = try await pool.withConnection { connection -> ([[UInt8]], [Result<[[UInt8]], MongoError>]) in
            let outcome = try connection.insertMany(collection: collection, documents: encoded, ordered: true)
            guard outcome.insertedCount == encoded.count, outcome.writeErrors.isEmpty else {
                throw MongoError(kind: .driver, message: "insertMany: \(outcome)")
            }
            let all = try connection.find(collection: collection, filter: BSONDocument().encoded(),
                                          sort: BSONDocument(["_id": 1]).encoded())
            let projection = BSONDocument(["_id": 1]).encoded()
            let results = filters.map { filter in
                Result { () throws(MongoError) in
                    do {
                        return try connection.find(collection: collection, filter: filter, projection: projection)
                    } catch let error as MongoError {
                        throw error
                    } catch {
                        throw MongoError(kind: .driver, message: "\(error)")
                    }
                }
            }
            return (all, results)
        }
        try #require(stored == encoded, "documents did not round-trip through the database byte for byte")

        var mismatches: [Mismatch] = []
        var failing = 0
        var matchedTotal = 0
        for (index, testCase) in cases.enumerated() {
            let expected = Set(documents.indices.filter { testCase.expression.evaluate(document: documents[$0], user: testCase.user) })
            let actual: Set<Int>
            switch results[index] {
            case .failure(let error):
                failing += 1
                if mismatches.count < Self.reportLimit {
                    mismatches.append(Mismatch(source: testCase.source, user: Self.describe(testCase.user),
                                               filter: TestBSON.canonicalJSON(filters[index]) ?? "?",
                                               differences: ["the database refused the filter: \(error)"]))
                }
                continue
            case .success(let found):
                actual = Set(found.map { bytes -> Int in
                    guard let document = try? BSONDocument(bsonBytes: bytes), case .int32(let id)? = document["_id"] else { return -1 }
                    return Int(id)
                })
            }
            matchedTotal += actual.count
            guard actual != expected else { continue }
            failing += 1
            guard mismatches.count < Self.reportLimit else { continue }
            let differing = expected.symmetricDifference(actual).sorted()
            mismatches.append(Mismatch(
                source: testCase.source,
                user: Self.describe(testCase.user),
                filter: TestBSON.canonicalJSON(filters[index]) ?? "?",
                differences: differing.prefix(8).map { id in
                    let verdict = expected.contains(id) ? "evaluate=true,  database=false" : "evaluate=false, database=true "
                    let json = id >= 0 && id < encoded.count ? TestBSON.canonicalJSON(encoded[id]) ?? "?" : "<unknown _id>"
                    return "\(verdict)  \(json)"
                } + (differing.count > 8 ? ["... and \(differing.count - 8) more"] : [])
            ))
        }
        for mismatch in mismatches {
            Issue.record("""
                seed \(seed): evaluator and compiled filter disagree
                  expression: \(mismatch.source)
                  user:       \(mismatch.user)
                  filter:     \(mismatch.filter)
                  \(mismatch.differences.joined(separator: "\n  "))
                """)
        }
        #expect(failing == 0, "seed \(seed): \(failing) of \(cases.count) expressions disagree (first \(mismatches.count) reported)")
        // The generated cases must actually discriminate: neither (almost) all nor no documents.
        #expect(cases.count == 2 * Self.expressionCount)
        #expect(matchedTotal > cases.count * Self.documentCount / 10)
        #expect(matchedTotal < cases.count * Self.documentCount * 9 / 10)
    }

    /// The caller with its claims as canonical extended JSON (keeps number types).
    static func describe(_ user: PolicyUser) -> String {
        "id \(user.id), tenant_id \(user.tenantId), roles \(user.roles), claims \(TestBSON.canonicalJSON(user.claims.encoded()) ?? "?")"
    }
}
