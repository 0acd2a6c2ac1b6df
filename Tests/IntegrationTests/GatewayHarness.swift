import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PMBSON
import PMTestKit
import PMTestSupport
@testable import PermissionMongo

/// Runs a real gateway (HTTP server on a free port → libmongoc → SecantusDB) for one
/// test, with its own database so tests run in parallel without meeting each other.
struct GatewayHarness {
    static let secret = "integration-test-secret-0123456789abcdef"

    /// The products collection of docs/API.md, with the roles the tests need.
    static let productsYAML = """
        server:
          max_batch_size: 10
          max_body_bytes: 65536
        auth:
          jwt:
            secret: \(secret)
        collections:
          products:
            fields:
        \(productFieldsYAML.indented(by: 6))
          notes:
            fields:
              text: { type: string, required: true }
            additional_fields: reject
        policies:
          products:
            admin:  { actions: [create, read, update, delete, restore] }
            editor:
              inherits: [viewer]
              actions: [create, read, update]
              when: doc.created_by == user.id
            viewer: { actions: [read] }
            widget_maker:
              actions: [create]
              when: doc.category == "widgets"
          notes:
            admin: { actions: [create, read] }
        """

    /// Runs `body` against a live gateway configured by `yaml` (plus extra files), on the
    /// shared test backend or the one at `backendURI`, in `database` or one of its own.
    static func with(
        yaml: String = productsYAML, extraFiles: [String: String] = [:], appName: String = "permission-mongo",
        backendURI: String? = nil, database: String? = nil, _ body: @Sendable (GatewayClient) async throws -> Void
    ) async throws {
        let uri: String
        if let backendURI { uri = backendURI } else { uri = try await TestBackend.uri() }
        let directory = try temporaryConfig(["gateway.yml": yaml].merging(extraFiles) { a, _ in a })
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var loaded = try ConfigLoader.load(
            directory: directory,
            environment: ["PM_MONGODB_URI": uri, "PM_DATABASE": database ?? TestBackend.uniqueDatabaseName()])
        // The test client keeps one connection for the whole test, idle while a test waits on
        // something else (a subprocess, a receiver): on a loaded machine that outlasted the
        // default idle timeout (60 s) and the next request met a closed connection. Tests of
        // the idle timeout set their own.
        if !yaml.contains("idle_timeout_ms") { loaded.server.connections.idleTimeoutMs = 600_000 }
        if backendURI == nil { loaded.waitLongerForTheSharedBackend(yaml: yaml) }
        let config = loaded
        var logger = Logger(label: "test-gateway")
        logger.logLevel = .warning
        let server = GatewayServer(config: config, logger: logger, appName: appName)
        try await server.withApplication { app in
            try await app.test(.live) { client in
                try await body(GatewayClient(client: client, minter: TokenMinter(secret: secret), config: config))
            }
        }
    }

    /// Server selection and connect timeouts for gateways on the shared test backend.
    ///
    /// The gateway's defaults (3 s each) are meant to fail fast when the backend is away. The
    /// shared backend is never away, but while every suite starts at once on a small machine
    /// it may take longer than 3 s to accept a connection, and a test of something else
    /// then fails with 503. Tests of the timeouts themselves run a backend of their own or
    /// set them in their configuration.
    static let sharedBackendServerSelectionTimeoutMS = 20_000
    static let sharedBackendConnectTimeoutMS = 10_000

    /// The shared backend's URI with those timeouts, for gateways run as processes.
    static func sharedBackendURI() async throws -> String {
        TestBackend.adding(
            "serverSelectionTimeoutMS=\(sharedBackendServerSelectionTimeoutMS)&connectTimeoutMS=\(sharedBackendConnectTimeoutMS)",
            to: try await TestBackend.uri())
    }

    static func temporaryConfig(_ files: [String: String]) throws -> String {
        try TemporaryDirectory(files).path
    }
}

/// A test client speaking JSON to the gateway with minted tokens.
struct GatewayClient: Sendable {
    let client: any TestClientProtocol
    let minter: TokenMinter
    let config: GatewayConfig

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var text: String
        var json: BSONDocument {
            (try? JSONReader.parseDocument(Array(text.utf8))) ?? BSONDocument()
        }
    }

    func token(_ sub: String = "user-123", tenant: String = "acme-corp", roles: [String] = ["editor"]) async throws -> String {
        try await minter.token(subject: sub, tenantId: tenant, roles: roles)
    }

    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String?, body: String? = nil,
        bytes: [UInt8]? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        let payload = bytes ?? body.map { Array($0.utf8) }
        if payload != nil && headers[.contentType] == nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(
            uri: path, method: method, headers: headers, body: payload.map { ByteBuffer(bytes: $0) })
        return Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    func post(_ path: String, token: String?, _ body: String) async throws -> Reply {
        try await send(.post, path, token: token, body: body)
    }

    func get(_ path: String, token: String?) async throws -> Reply {
        try await send(.get, path, token: token)
    }
}

extension BSONDocument {
    func strings(_ key: String) -> [String] {
        guard case .array(let items) = self[key] else { return [] }
        return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
    }

    func documents(_ key: String) -> [BSONDocument] {
        guard case .array(let items) = self[key] else { return [] }
        return items.compactMap { if case .document(let d) = $0 { d } else { nil } }
    }

    func int(_ key: String) -> Int? {
        switch self[key] {
        case .int32(let v): Int(v)
        case .int64(let v): Int(v)
        case .double(let v): Int(v)
        default: nil
        }
    }

    func string(_ key: String) -> String? {
        if case .string(let s) = self[key] { s } else { nil }
    }

    func document(_ key: String) -> BSONDocument? {
        if case .document(let d) = self[key] { d } else { nil }
    }
}

extension GatewayConfig {
    /// The shared backend's timeouts (`GatewayHarness.sharedBackendServerSelectionTimeoutMS`),
    /// unless the test's own configuration sets them.
    mutating func waitLongerForTheSharedBackend(yaml: String) {
        guard !yaml.contains("server_selection_timeout_ms"), !yaml.contains("connect_timeout_ms") else { return }
        database.serverSelectionTimeoutMS = GatewayHarness.sharedBackendServerSelectionTimeoutMS
        database.connectTimeoutMS = GatewayHarness.sharedBackendConnectTimeoutMS
    }
}
