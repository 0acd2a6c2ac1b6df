import PMBSON
import PMMongo

/// The in-process part of `POST /{collection}/batch` without HTTP or a database, for the
/// benchmarks in `Benchmarks/`. Two paths: `runEncoded` is the one the
/// route takes (JSON → BSON bytes → stored form checked on bytes → policy), `run` the model
/// path (JSON body → plan → stored form → schema → policy `when` → BSON bytes), which
/// mixed batches, hooks and the documents the byte path leaves to it take. No hooks (none
/// are configured in the benchmark configuration) and no write.
///
/// Each stage can also be run on its own over a prepared `Batch`, so its time and
/// allocations per document can be measured separately.
public struct CreatePipelineProbe: Sendable {
    let collection: CollectionConfig
    let permission: Permission
    let caller: Caller
    let maxBatchSize: Int

    /// The cumulative stages of `run(body:through:)`.
    public enum Stage: Int, Sendable, CaseIterable {
        /// JSON bytes → BSON model (`JSONReader`) → `CreateBatchPlan`.
        case parse
        /// + the stored form of each document (`NewDocument`: `_id`, tenant, dates).
        case newDocument
        /// + schema validation and normalisation.
        case validate
        /// + the create policy's `when` (`Permission.allows`).
        case authorize
        /// + BSON bytes of the batch, packed as `insertMany` is given them.
        case encode
    }

    /// Documents at some stage of the pipeline, opaque to callers.
    public struct Batch: Sendable {
        var documents: [BSONDocument]
        public var count: Int { documents.count }
    }

    /// Loads a configuration directory and acts as a caller with these claims.
    public init(configDirectory: String, collection: String, userId: String, tenantId: String, roles: [String]) throws {
        let config = try ConfigLoader.load(directory: configDirectory, environment: [:])
        try self.init(config: config, collection: collection, userId: userId, tenantId: tenantId, roles: roles)
    }

    public init(config: GatewayConfig, collection name: String, userId: String, tenantId: String, roles: [String]) throws {
        guard let collection = config.collections[name] else { throw DomainError.unknownCollection(name) }
        let caller = Caller(id: userId, tenantId: tenantId, roles: roles)
        self.collection = collection
        self.caller = caller
        self.maxBatchSize = config.server.maxBatchSize
        self.permission = try Permission(
            caller: caller, action: .create, collection: name, policy: config.policies[name])
    }

    /// The whole pipeline up to `stage`; returns the number of documents that passed
    /// (with `.encode`: the number of BSON bytes produced), so nothing is optimised away.
    public func run(body: [UInt8], through stage: Stage = .encode) throws -> Int {
        let documents = try parse(body).documents
        if stage == .parse { return documents.count }
        let now = BSONDate.now()
        var passed = 0
        var packed = BSONDocumentBatch(reservingBytes: documents.count * 256)
        for input in documents {
            var document = NewDocument.make(from: input, id: ObjectId.generate(), caller: caller, now: now)
            if stage == .newDocument { passed += document.count; continue }
            if collection.schema.validate(&document) != nil { continue }
            if stage == .validate { passed += 1; continue }
            guard permission.allows(document) else { continue }
            if stage == .authorize { passed += 1; continue }
            packed.append { document.encode(into: &$0) }
        }
        return stage == .encode ? packed.bytes.count : passed
    }

    /// The stages of `runEncoded(body:through:)`, the path `POST /{collection}/batch` takes.
    public enum EncodedStage: Int, Sendable, CaseIterable {
        /// JSON bytes → BSON bytes of the body (`JSONReader.transcodeDocument`) → the documents' offsets.
        case parse
        /// + the stored form, schema-checked and normalised, appended to the insert's batch
        ///   (`EncodedNewDocument`: server fields, the schema's byte path, defaults).
        case validate
        /// + the create policy's `when` on the stored bytes.
        case authorize
    }

    /// The byte path up to `stage`, as `CreateDocuments.run(_: EncodedCreateBatch)` runs it
    /// for a batch every document of which it accepts; returns the documents that passed.
    public func runEncoded(body: [UInt8], through stage: EncodedStage = .authorize) throws -> Int {
        let parsed = try body.withUnsafeBytes { try EncodedCreateBatch.parse(json: $0, maxBatchSize: maxBatchSize) }
        let schema = collection.schema
        guard case .encoded(let batch) = parsed, schema.bytePath == .available else {
            throw DomainError.internal("the benchmark body does not take the byte path")
        }
        if stage == .parse { return batch.count }
        let newDocument = EncodedNewDocument(schema: schema, caller: caller, now: BSONDate.now())
        var step = EncodedCreateStep(newDocument: newDocument, permission: permission)
        var packed = BSONDocumentBatch(reservingBytes: batch.bson.count + batch.count * 96)
        var passed = 0
        batch.bson.withUnsafeBytes { source in
            for offset in batch.offsets {
                if stage == .validate {
                    let start = packed.append { newDocument.write(clientDocument: offset, in: source, id: ObjectId.generate(), into: &$0) }
                    if start != nil { passed += 1 }
                } else if case .written = step.run(clientDocument: offset, in: source, id: ObjectId.generate(), into: &packed) {
                    passed += 1
                }
            }
        }
        return passed
    }

    /// JSON body → the plan's documents.
    public func parse(_ body: [UInt8]) throws -> Batch {
        let parsed = try JSONReader.parseDocument(body)
        return Batch(documents: try CreateBatchPlan(body: parsed, maxBatchSize: maxBatchSize).documents)
    }

    /// The stored form of every document, validated (so later stages see normalised values).
    public func stored(_ batch: Batch) -> Batch {
        let now = BSONDate.now()
        return Batch(documents: batch.documents.map { input in
            var document = NewDocument.make(from: input, id: ObjectId.generate(), caller: caller, now: now)
            _ = collection.schema.validate(&document)
            return document
        })
    }

    /// Schema validation of each (already stored and normalised) document; returns how many pass.
    public func validate(_ batch: Batch) -> Int {
        var passed = 0
        for var document in batch.documents where collection.schema.validate(&document) == nil { passed += 1 }
        return passed
    }

    /// The create policy on each document; returns how many are allowed.
    public func authorize(_ batch: Batch) -> Int {
        var passed = 0
        for document in batch.documents where permission.allows(document) { passed += 1 }
        return passed
    }

    /// BSON bytes of the documents packed as `DocumentStore` packs them; returns the total size.
    public func encode(_ batch: Batch) -> Int {
        var packed = BSONDocumentBatch(reservingBytes: batch.count * 256)
        for document in batch.documents { packed.append { document.encode(into: &$0) } }
        return packed.bytes.count
    }
}
