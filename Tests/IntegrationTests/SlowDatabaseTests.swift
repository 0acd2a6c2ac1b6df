import Foundation
import PMBSON
import PMTestKit
import PMTestSupport
import Testing
@testable import PermissionMongo

/// `permission-mongo serve` runs Swift's tasks on NIO's event loops and each request on its
/// connection's loop, while every database call runs on the driver's thread pool: requests
/// waiting for the database keep no event loop busy. Here the backend holds every insert of
/// one gateway process for 3 s (`failCommand` with `blockConnection`, scoped by the appname
/// of the gateway's connection string), more inserts than there are event loops; a read sent
/// while they are held, on a connection of its own, is answered before any of them.
@Suite struct SlowDatabaseTests {
    static let heldWrites = 6

    @Test func aReadIsAnsweredWhileWritesWaitForTheDatabase() async throws {
        try await TestBackend.withFailPoint {
            let appName = "pm-slow-database-\(UInt32.random(in: 0 ... .max))"
            let config = try TemporaryDirectory(["gateway.yml": GatewayHarness.productsYAML + "\ndatabase:\n  pool_size: 16\n"])
            defer { config.remove() }
            let uri = try await TestBackend.uri()
            let gateway = try await GatewayProcess.start(
                configDirectory: config.path, database: TestBackend.uniqueDatabaseName(),
                backendURI: uri + (uri.contains("?") ? "&" : "?") + "appname=\(appName)")
            defer { gateway.stop() }
            let token = try await TokenMinter(secret: GatewayHarness.secret).token(
                subject: "u1", tenantId: "acme", roles: ["admin"])
            let kept = try await gateway.send("POST", "/notes", token: token, body: #"{"text":"kept"}"#)
            #expect(kept.status == 201, "\(kept.body)")
            let id = try #require(try JSONReader.parseDocument(kept.body).string("id"))

            let admin = try await TestBackend.makePool(appName: "pm-test-admin")
            defer { admin.close() }
            try await TestBackend.configureFailPoint(
                """
                {"configureFailPoint":"failCommand","mode":"alwaysOn",
                 "data":{"failCommands":["insert"],"blockConnection":true,"blockTimeMS":3000,"appName":"\(appName)"}}
                """,
                pool: admin)
            let answers = Answers()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<Self.heldWrites {
                    group.addTask {
                        let reply = try await gateway.send("POST", "/notes", token: token, body: #"{"text":"held \#(n)"}"#)
                        answers.note("write \(reply.status)")
                    }
                }
                #expect(try await gateway.hasInFlight(Self.heldWrites, within: .seconds(60)), "the writes never were all in flight")
                let read = try await gateway.send("GET", "/notes/\(id)", token: token)
                answers.note("read \(read.status)")
                try await group.waitForAll()
            }
            let order = answers.order
            #expect(order.first == "read 200", "\(order)")
            #expect(order.filter { $0 == "write 201" }.count == Self.heldWrites, "\(order)")
        }
    }

    /// The answers in the order they came.
    final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [String] = []

        func note(_ answer: String) { lock.withLock { answers.append(answer) } }
        var order: [String] { lock.withLock { answers } }
    }
}
