import NIOPosix
import Logging
import PMMongo
import PMTestSupport
import Testing

@Suite("MongoClientPool")
struct PoolTests {
    @Test func pingAnswers() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        try await pool.ping()
    }

    @Test func invalidURIHasNoCredentials() throws {
        let secretURIs = [
            "mongodb://alice:s3cr3tPassw0rd@127.0.0.1:notaport/?directConnection=true",
            "mongodb://alice:s3cr3tPassw0rd@/",
            "mongodb://alice:s3cr3tPassw0rd@127.0.0.1/?unknownOption=1&maxPoolSize=bogus",
            "postgres://alice:s3cr3tPassw0rd@127.0.0.1/",
            "mongodb://alice:s3cr3tPassw0rd@host:99999/",
            "mongodb+srv://alice:s3cr3tPassw0rd@host1.example.com,host2.example.com/",
        ]
        for uri in secretURIs {
            do {
                _ = try MongoClientPool(
                    uri: uri, database: "app", threadPool: NIOThreadPool.singleton, logger: Logger(label: "test")
                )
                Issue.record("expected an invalid URI error for \(uri)")
            } catch let error as MongoError {
                #expect(error.kind == .invalidURI, "\(error)")
                #expect(error.message.hasPrefix("invalid MongoDB connection string: "), "\(error.message)")
                #expect(!error.message.contains("s3cr3tPassw0rd"), "\(error.message)")
                #expect(!"\(error)".contains("s3cr3tPassw0rd"))
                #expect(!error.message.contains("alice:"), "\(error.message)")
            }
        }
    }

    @Test func redactedURIHidesCredentials() async throws {
        let pool = try MongoClientPool(
            uri: "mongodb://alice:s3cr3t@127.0.0.1:1/?directConnection=true&serverSelectionTimeoutMS=100",
            database: "app", threadPool: NIOThreadPool.singleton, logger: Logger(label: "test")
        )
        defer { pool.close() }
        #expect(pool.redactedURI == "mongodb://***@127.0.0.1:1/?directConnection=true&serverSelectionTimeoutMS=100")
        // Nobody listens on port 1: a connection error, without credentials.
        let error = await #expect(throws: MongoError.self) { try await pool.ping() }
        #expect(error?.kind == .connection)
        #expect(error.map { !"\($0)".contains("s3cr3t") } ?? false)
    }

    @Test func invalidArgumentsAreReported() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        let error = await #expect(throws: MongoError.self) {
            try await pool.withConnection { try $0.find(collection: "c", filter: [1, 2, 3]) }
        }
        #expect(error?.kind == .invalidArgument)
    }

    @Test func closedPoolRefusesWork() async throws {
        let pool = try await TestBackend.makePool()
        try await pool.ping()
        pool.close()
        pool.close()
        let error = await #expect(throws: MongoError.self) { try await pool.ping() }
        #expect(error?.kind == .closed)
    }

    @Test func runCommandReturnsReply() async throws {
        let pool = try await TestBackend.makePool()
        defer { pool.close() }
        let reply = try await pool.withConnection { try $0.runCommand(try bson(#"{"ping": 1}"#)) }
        #expect(TestBSON.json(reply)?.contains(#""ok""#) == true)
        let failure = await #expect(throws: MongoError.self) {
            try await pool.withConnection { try $0.runCommand(try bson(#"{"noSuchCommand": 1}"#)) }
        }
        #expect(failure?.kind == .server)
        #expect(failure?.reply != nil)
    }
}
