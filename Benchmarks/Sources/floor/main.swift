// The floor of a gateway on this stack: Hummingbird on NIO's event loops (Swift's global
// executor, each request's work on its connection's loop, as `permission-mongo serve` runs
// it), a request body read whole, and one blocking libmongoc call on a thread pool: the
// ceiling's own insert (CeilingCalls), whatever the body holds. No token, no parsing, no
// schema, no policy: what any request of the gateway pays before its own work
// (scripts/bench-floor, BENCHMARKS.md "The floor of this stack").
//
//   floor PORT URI DATABASE COLLECTION ONE_FILE BATCH_FILE BATCH
//         UPDATE_COLLECTION UPDATE_FILE VERSIONED_COLLECTION VERSIONED_FILE
//
// GET /healthz -> {"status":"ok"}; POST /COLLECTION -> insert-one; POST /COLLECTION/batch ->
// insert of BATCH; PUT /UPDATE_COLLECTION/batch -> update (with `?transaction=1` the same in
// a transaction); PUT /VERSIONED_COLLECTION/batch -> versioned-update (the updates take the
// bodies of their files in turn). Answers as long
// as the gateway's (ids of zeros).
import FloorStore
import Hummingbird
import NIOCore
import NIOPosix

struct FloorContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let eventLoop: any EventLoop

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        eventLoop = source.channel.eventLoop
    }
}

final class LoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    func asUnownedTaskExecutor() -> UnownedTaskExecutor { UnownedTaskExecutor(ordinary: self) }
}

/// The C store, used from the thread pool only, one call at a time per pooled client.
final class Store: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}

struct Failed: Error {}

@main
struct Floor {
    static func main() async throws {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let arguments = CommandLine.arguments
        guard arguments.count == 12, let port = Int(arguments[1]), let batch = Int32(arguments[7]),
            let opened = floor_store_open(
                arguments[2], arguments[3], arguments[4], arguments[5], arguments[6], batch,
                arguments[8], arguments[9], arguments[10], arguments[11], 16)
        else {
            print("""
                usage: floor PORT URI DATABASE COLLECTION ONE_FILE BATCH_FILE BATCH \
                       UPDATE_COLLECTION UPDATE_FILE VERSIONED_COLLECTION VERSIONED_FILE
                """)
            exit(2)
        }
        let (collection, updated, versioned) = (arguments[4], arguments[8], arguments[10])
        let store = Store(opened)
        let threads = NIOThreadPool(numberOfThreads: 16)
        threads.start()

        let router = Router(context: FloorContext.self)
        router.get("healthz") { _, _ in json(.ok, #"{"status":"ok"}"#) }
        // Answers of the gateway's size: its ids are 24 hex digits.
        let id = "\"" + String(repeating: "0", count: 24) + "\""
        let one = #"{"_id":"# + id + "}"
        let created = #"{"created":["# + Array(repeating: id, count: Int(batch)).joined(separator: ",") + #"],"failed":[]}"#
        router.post(RouterPath(collection)) { request, context in
            try await call(request, context, threads, answer: { _ in one }) { floor_store_insert_one(store.pointer) }
        }
        router.post(RouterPath("\(collection)/batch")) { request, context in
            try await call(request, context, threads, answer: { _ in created }) { floor_store_insert_batch(store.pointer) }
        }
        let changed: @Sendable (Int) -> String = { n in #"{"matched":\#(n),"modified":\#(n),"failed":[]}"# }
        router.put(RouterPath("\(updated)/batch")) { request, context in
            // `?transaction=1`: the same update in a transaction, as the gateway writes it.
            if request.uri.queryParameters["transaction"] != nil {
                return try await call(request, context, threads, answer: changed) {
                    floor_store_update_in_transaction(store.pointer)
                }
            }
            return try await call(request, context, threads, answer: changed) { floor_store_update(store.pointer) }
        }
        router.put(RouterPath("\(versioned)/batch")) { request, context in
            try await call(request, context, threads, answer: changed) { floor_store_versioned_update(store.pointer) }
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }

    static func call(
        _ request: Request, _ context: FloorContext, _ threads: NIOThreadPool, answer: (Int) -> String,
        _ call: @escaping @Sendable () -> Int
    ) async throws -> Response {
        try await withTaskExecutorPreference(LoopExecutor(context.eventLoop)) {
            _ = try await request.body.collect(upTo: 16 << 20)
            let documents = try await threads.runIfActive(call)
            guard documents >= 0 else { throw Failed() }
            return json(request.method == .post ? .created : .ok, answer(documents))
        }
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
