import Foundation
import PMCurl
import Testing

@Suite("CurlClient")
struct CurlClientTests {
    @Test func returnsTheStatusOfEveryAnswer() async throws {
        let receiver = try await TestReceiver.start()
        let client = try CurlClient(maxConcurrent: 8)
        for code in [200, 204, 422, 503] {
            let response = try await client.perform(CurlRequest(url: receiver.url("/status/\(code)"), body: Array("{}".utf8)))
            #expect(response.status == code)
            #expect(response.isSuccess == (200...299).contains(code))
        }
        await client.shutdown()
        await receiver.stop()
    }

    @Test func sendsMethodHeadersAndBody() async throws {
        let receiver = try await TestReceiver.start()
        let client = try CurlClient(maxConcurrent: 8)
        let body = Array(#"{"hello":"wörld"}"#.utf8) + Array(repeating: UInt8(ascii: " "), count: 4000)
        let response = try await client.perform(CurlRequest(
            url: receiver.url("/echo"), method: "PATCH",
            headers: [("Content-Type", "application/json"), ("X-Test", "one two")], body: body))
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 200)
        #expect(text.contains("method: PATCH\n"))
        #expect(text.contains("x-test: one two\n"))
        #expect(text.contains("content-type: application/json\n"))
        #expect(!text.lowercased().contains("expect:"))
        #expect(text.hasSuffix(String(decoding: body, as: UTF8.self)))
        await client.shutdown()
        await receiver.stop()
    }

    @Test func classifiesATimeout() async throws {
        let receiver = try await TestReceiver.start()
        let client = try CurlClient(maxConcurrent: 8)
        let started = ContinuousClock.now
        do {
            _ = try await client.perform(CurlRequest(url: receiver.url("/sleep/10000"), timeoutMilliseconds: 300))
            Issue.record("expected a timeout")
        } catch {
            #expect(error.kind == .timeout)
            #expect(!error.message.isEmpty)
        }
        #expect(ContinuousClock.now - started < .seconds(5))  // far below the 10 s answer
        await client.shutdown()
        await receiver.stop()
    }

    @Test func classifiesConnectionRefused() async throws {
        // Below the ephemeral port range, so that no outgoing connection holds the port.
        let url = "http://127.0.0.1:\(Int.random(in: 20_000..<32_000))/status/200"
        let client = try CurlClient(maxConcurrent: 8)
        do {
            _ = try await client.perform(CurlRequest(url: url))
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .connectionRefused)
            #expect(error.message.lowercased().contains("refused") || error.message.lowercased().contains("connect"))
        }
        await client.shutdown()
    }

    @Test func runsRequestsConcurrently() async throws {
        let receiver = try await TestReceiver.start()
        let client = try CurlClient(maxConcurrent: 16)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await client.perform(CurlRequest(url: receiver.url("/sleep/1000"), timeoutMilliseconds: 60_000)).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 8))
        // Overlapping at the receiver (one after the other: never more than 1), whatever the machine's speed.
        #expect(receiver.mostSleeping > 1, "at most \(receiver.mostSleeping) in flight")
        await client.shutdown()
        await receiver.stop()
    }

    @Test func boundsRequestsInFlight() async throws {
        let receiver = try await TestReceiver.start()
        let client = try CurlClient(maxConcurrent: 2)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { _ = try await client.perform(CurlRequest(url: receiver.url("/sleep/400"))) }
            }
            try await group.waitForAll()
        }
        // Two rounds of two.
        #expect(ContinuousClock.now - started >= .milliseconds(800))
        #expect(receiver.mostSleeping <= 2, "\(receiver.mostSleeping) in flight")
        await client.shutdown()
        await receiver.stop()
    }

    @Test func reusesHandlesForManySequentialRequests() async throws {
        let receiver = try await TestReceiver.start()
        let client = try CurlClient(maxConcurrent: 8)
        for _ in 0..<200 {
            let response = try await client.perform(CurlRequest(url: receiver.url("/status/201")))
            #expect(response.status == 201)
        }
        await client.shutdown()
        await receiver.stop()
    }

    @Test func shutdownFailsWhatIsRunningAndLaterRequests() async throws {
        let receiver = try await TestReceiver.start()
        let client = try CurlClient(maxConcurrent: 8)
        let running = Task { try await client.perform(CurlRequest(url: receiver.url("/sleep/5000"), timeoutMilliseconds: 10_000)) }
        try await Task.sleep(for: .milliseconds(200))
        await client.shutdown()
        do {
            _ = try await running.value
            Issue.record("expected a failure")
        } catch let error as CurlError {
            #expect(error.kind == .shutdown)
        }
        do {
            _ = try await client.perform(CurlRequest(url: receiver.url("/status/200")))
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .shutdown)
        }
        await client.shutdown()  // idempotent
        await receiver.stop()
    }
}
