import PMBSON
import Testing
@testable import PMClient

@Suite("Batch results as a table")
struct ResultTableTests {
    static let request = BatchRequest(operations: [
        .document(BSONDocument(["op": .string("create"), "collection": .string("orders")])),
        .document(BSONDocument(["op": .string("get"), "collection": .string("orders")])),
        .document(BSONDocument(["op": .string("list"), "collection": .string("items")])),
        .document(BSONDocument(["op": .string("delete"), "collection": .string("orders")])),
        .document(BSONDocument(["op": .string("update"), "collection": .string("orders")])),
        .document(BSONDocument(["op": .string("create"), "collection": .string("orders")])),
    ], options: BSONDocument(["atomic": .bool(false)]))

    static let responseJSON = """
        {"success":false,"total":6,"succeeded":4,"failed":2,"results":[
          {"index":0,"status":201,"id":"65a1b2c3d4e5f60718293a4b"},
          {"index":1,"status":200,"id":"65a1b2c3d4e5f60718293a4b","data":{"_id":"65a1b2c3d4e5f60718293a4b","tenant_id":"t","total":5,"created_at":"2024-01-01T00:00:00.000Z"}},
          {"index":2,"status":200,"data":[{"a":1},{"a":2}],"count":7},
          {"index":3,"status":204,"id":"65a1b2c3d4e5f60718293a4c"},
          {"index":4,"status":403,"error":{"code":"forbidden","message":"not allowed to update orders"}},
          {"index":5,"status":424,"error":{"code":"not_attempted","message":"operation 4 failed first"}}]}
        """

    @Test func everyResultIsARowAndTheSummaryCounts() throws {
        let response = try #require(BatchResponse(try json(Self.responseJSON)))
        #expect(response.hasFailures)
        let text = ResultTable.render(response, for: Self.request)
        #expect(text == """
            #  OP      COLLECTION  STATUS  ID                        DETAIL
            -  ------  ----------  ------  ------------------------  ---------------------------------------
            0  create  orders         201  65a1b2c3d4e5f60718293a4b
            1  get     orders         200  65a1b2c3d4e5f60718293a4b  {"total":5}
            2  list    items          200                            2 of 7 document(s)
            3  delete  orders         204  65a1b2c3d4e5f60718293a4c
            4  update  orders         403                            forbidden: not allowed to update orders
            5  create  orders         424                            not_attempted: operation 4 failed first
            4 of 6 operation(s) succeeded, 2 failed

            """)
    }

    @Test func anAtomicRollbackSaysNothingWasWritten() throws {
        let response = try #require(BatchResponse(try json("""
            {"success":false,"total":2,"succeeded":0,"failed":2,"results":[
              {"index":0,"status":424,"error":{"code":"rolled_back","message":"rolled back"}},
              {"index":1,"status":422,"error":{"code":"schema_validation","message":"total must be a number"}}]}
            """)))
        let request = BatchRequest(operations: Array(Self.request.operations.prefix(2)))
        let text = ResultTable.render(response, for: request)
        #expect(text.hasSuffix("0 of 2 operation(s) succeeded, 2 failed (atomic: nothing was written)\n"))
        #expect(text.contains("schema_validation: total must be a number"))
    }

    @Test func longDetailsAreClipped() throws {
        let long = String(repeating: "x", count: 200)
        let result = BatchResponse.Result(index: 0, status: 200, data: .document(BSONDocument(["note": .string(long)])))
        let detail = ResultTable.detail(of: result)
        #expect(detail.count == ResultTable.maxDetailCharacters)
        #expect(detail.hasSuffix("…"))
    }

    @Test func successIsNoFailure() throws {
        let response = try #require(BatchResponse(try json("""
            {"success":true,"total":1,"succeeded":1,"failed":0,"results":[{"index":0,"status":201,"id":"a"}]}
            """)))
        #expect(!response.hasFailures)
        #expect(BatchResponse(try json(#"{"error":{"code":"bad_request","message":"x"}}"#)) == nil)
    }
}
