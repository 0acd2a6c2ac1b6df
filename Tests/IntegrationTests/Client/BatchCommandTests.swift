import Foundation
import Hummingbird
import PMBSON
import PMTestKit
import PMTestSupport
import Testing

@Suite("permission-mongo batch (the real binary against a live gateway)")
struct BatchCommandTests {
    @Test func printsATableAndExitsZeroWhenEverythingSucceeded() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let result = try await ClientBinary.run([
                "batch", "--url", try api.url, "--token", token, "--operations", """
                [{"op":"create","collection":"products","data":{"name":"Widget A","price":19.99}},
                 {"op":"create","collection":"products","data":{"name":"Widget B","price":5}},
                 {"op":"get","collection":"products","id":{"$ref":0}},
                 {"op":"list","collection":"products","limit":5}]
                """,
            ])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let lines = result.stdoutLines
            #expect(lines.first?.hasPrefix("#  OP      COLLECTION  STATUS  ID") == true)
            #expect(lines.count == 7)  // header, rule, 4 results, summary
            #expect(lines.last == "4 of 4 operation(s) succeeded, 0 failed")
            #expect(lines[2].hasPrefix("0  create  products       201  "))
            #expect(lines[4].hasPrefix("2  get     products       200  "))
            #expect(lines[5].hasSuffix("2 of 2 document(s)"))
            let ids = objectIds(in: lines[2] + " " + lines[3])
            #expect(ids.count == 2)
            for id in ids {
                #expect(try await api.get("/products/\(id)", token: token).status == .ok)
            }
        }
    }

    @Test func answersLargerThanTheHookClientsLimitArriveWhole() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let filler = String(repeating: "x", count: 9000)
            for half in 0..<2 {  // the test gateway takes 64 KiB bodies at most: two requests
                let documents = (0..<5).map { #"{"name":"Big \#(half * 5 + $0)","price":1,"notes":"\#(filler)"}"# }
                let reply = try await api.post("/products/batch", token: token, #"{"documents":[\#(documents.joined(separator: ","))]}"#)
                #expect(reply.json.strings("created").count == 5)
            }
            let result = try await ClientBinary.run([
                "batch", "--url", try api.url, "--token", token, "--json",
                "--operations", #"[{"op":"list","collection":"products","limit":10}]"#,
            ])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout.utf8.count > 90_000)  // more than PMCurl's 64 KiB default
            let response = try JSONReader.parseDocument(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            guard case .array(let listed)? = response.documents("results").first?["data"] else {
                Issue.record("no data in \(result.stdout.prefix(300))")
                return
            }
            #expect(listed.count == 10)
        }
    }

    @Test func anAtomicFailureExitsNonZeroAndWritesNothing() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let result = try await ClientBinary.run([
                "batch", "--url", try api.url, "--token", token, "--operations", """
                [{"op":"create","collection":"products","data":{"name":"Widget A","price":19.99}},
                 {"op":"create","collection":"products","data":{"name":"Bad","price":-5}}]
                """,
            ])
            #expect(result.status == 1)
            #expect(result.stdout.contains("schema_validation: price must be at least 0"))
            #expect(result.stdout.contains("rolled_back"))
            #expect(result.stdoutLines.last == "0 of 2 operation(s) succeeded, 2 failed (atomic: nothing was written)")
            #expect(try await api.list("products", token: token).count == 0)
        }
    }

    @Test func jsonOutputFromAFileWithFlagsOverridingOptions() async throws {
        let scratch = try TemporaryDirectory(["ops.json": """
            {"operations":[
               {"op":"create","collection":"products","data":{"name":"Kept","price":1}},
               {"op":"create","collection":"products","data":{"price":2}},
               {"op":"create","collection":"products","data":{"name":"Also kept","price":3}}],
             "options":{"atomic":true}}
            """])
        defer { scratch.remove() }
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let result = try await ClientBinary.run([
                "batch", "--url", try api.url, "--token", token, "--operations", "@" + scratch.file("ops.json"),
                "--no-atomic", "--continue-on-error", "--json",
            ])
            #expect(result.status == 1)
            let response = try JSONReader.parseDocument(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(response["success"] == .bool(false))
            #expect(response.int("succeeded") == 2)
            let results = response.documents("results")
            #expect(results.map { $0.int("status") } == [201, 422, 201])
            #expect(results[1].document("error")?.string("message") == "name is required")
            #expect(try await api.list("products", token: token).count == 2)
        }
    }

    @Test func operationsFromStandardInputAndValidateOnly() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let result = try await ClientBinary.run(
                ["batch", "--url", try api.url, "--token", token, "--operations", "-", "--validate-only"],
                stdin: #"[{"op":"create","collection":"products","data":{"name":"Dry run","price":1}}]"#)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdoutLines.last == "1 of 1 operation(s) succeeded, 0 failed (validate only: nothing written)")
            #expect(try await api.list("products", token: token).count == 0)
        }
    }

    @Test func aRefusedBatchNamesTheOperation() async throws {
        try await GatewayHarness.with { api in
            let token = try await api.token()
            let result = try await ClientBinary.run([
                "batch", "--url", try api.url, "--token", token,
                "--operations", #"[{"op":"get","collection":"products","id":"x"},{"op":"explode","collection":"products"}]"#,
            ])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("error: the gateway refused the request: 400 bad_request: "))
            #expect(result.stderr.contains("(operation 1: explode on products)"))
        }
    }

    @Test func clientErrorsAreOneReadableLineAndExitTwo() async throws {
        try await GatewayHarness.with { api in
            let url = try api.url
            let ops = #"[{"op":"list","collection":"products"}]"#

            let badToken = try await ClientBinary.run(["batch", "--url", url, "--token", "not-a-jwt", "--operations", ops])
            #expect(badToken.status == 2)
            #expect(badToken.stderr.hasPrefix("error: 401 unauthorized: the gateway refused the token"))

            let noToken = try await ClientBinary.run(["batch", "--url", url, "--operations", ops])
            #expect(noToken.status == 2)
            #expect(noToken.stderr == "error: a token is needed: pass --token or set PM_TOKEN\n")

            let badJSON = try await ClientBinary.run(["batch", "--url", url, "--token", "t", "--operations", "[{\"op\":\"list\",}]"])
            #expect(badJSON.status == 2)
            #expect(badJSON.stderr == "error: --operations: invalid JSON at line 1, column 15: trailing comma before '}' at byte 14\n")

            let missing = try await ClientBinary.run(["batch", "--url", url, "--token", "t", "--operations", "@/nonexistent/ops.json"])
            #expect(missing.status == 2)
            #expect(missing.stderr == "error: --operations: the file /nonexistent/ops.json does not exist\n")
        }
        // Nothing listens on a port that was just released.
        let unreachable = try await ClientBinary.run([
            "batch", "--url", "http://127.0.0.1:\(try freePort())", "--token", "t", "--operations", #"[{"op":"list","collection":"p"}]"#,
        ])
        #expect(unreachable.status == 2)
        #expect(unreachable.stderr.hasPrefix("error: cannot reach the gateway at http://127.0.0.1:"))
        #expect(!unreachable.stderr.contains("Fatal error"))
    }

    @Test func aServerThatIsNotTheGatewayIsReported() async throws {
        let router = Router()
        router.post("/batch") { _, _ in "<html>hello</html>" }
        let (port, task) = try await LocalHTTPServer.start(router)
        defer { task.cancel() }
        let result = try await ClientBinary.run([
            "batch", "--url", "http://127.0.0.1:\(port)", "--token", "t", "--operations", #"[{"op":"list","collection":"p"}]"#,
        ])
        #expect(result.status == 2)
        #expect(result.stderr == "error: the gateway answered 200 with a body that is not JSON: \"<html>hello</html>\" (is --url a Permission Mongo gateway?)\n")
    }
}

/// A TCP port nothing listens on right now.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw ClientBinary.NotFound(description: "no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
