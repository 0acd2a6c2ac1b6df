import Foundation
import Testing
@testable import PMClient

@Suite("Retry policy: which answers are sent again, and when")
struct RetryPolicyTests {
    static func reply(_ status: Int, _ code: String? = nil, headers: [String: String] = [:]) -> Result<GatewayReply, ClientError> {
        let body = code.map { #"{"error":{"code":"\#($0)","message":"m"},"meta":{"request_id":"r"}}"# } ?? "<html>bad gateway</html>"
        return .success(GatewayReply(status: status, body: Array(body.utf8), headers: headers))
    }

    @Test func answersWithoutADefiniteOutcomeAreRetried() {
        let retried: [Result<GatewayReply, ClientError>] = [
            Self.reply(503, "unavailable"), Self.reply(503, "outcome_unknown"), Self.reply(503, "timeout"),
            Self.reply(500, "internal"), Self.reply(502), Self.reply(409, "idempotency_in_progress"),
            Self.reply(429, "rate_limited"),
            .failure(.timeout(url: "http://x", seconds: 1)), .failure(.transport(url: "http://x", detail: "connection reset")),
            .failure(.unreachable(url: "http://x", detail: "refused")),
        ]
        for result in retried {
            #expect(RetryPolicy.retryReason(result) != nil, "\(result)")
        }
        #expect(RetryPolicy.retryReason(Self.reply(503, "outcome_unknown")) == "503 outcome_unknown: m")
        #expect(RetryPolicy.retryReason(Self.reply(502)) == "502 <html>bad gateway</html>")
    }

    @Test func definiteAnswersAreFinal() {
        let final: [Result<GatewayReply, ClientError>] = [
            .success(GatewayReply(status: 201, body: Array(#"{"created":[],"failed":[]}"#.utf8))),
            .success(GatewayReply(status: 201, body: [], headers: ["idempotent-replayed": "true"])),
            Self.reply(400, "bad_request"), Self.reply(403, "forbidden"), Self.reply(404, "not_found"),
            Self.reply(409, "duplicate_key"), Self.reply(413, "payload_too_large"), Self.reply(415, "unsupported_media_type"),
            Self.reply(422, "idempotency_key_reused"), .failure(.unauthorized(message: "expired")),
        ]
        for result in final {
            #expect(RetryPolicy.retryReason(result) == nil, "\(result)")
        }
    }

    @Test func backoffDoublesWithJitterInItsUpperHalf() {
        let policy = RetryPolicy(retries: 5, baseDelay: 0.5, maxDelay: 30)
        for retry in 1...5 {
            let full = 0.5 * Double(1 << (retry - 1))
            #expect(policy.delay(beforeRetry: retry, jitter: 0) == full / 2)
            #expect(policy.delay(beforeRetry: retry, jitter: 1) == full)
            let random = policy.delay(beforeRetry: retry, jitter: Double.random(in: 0...1))
            #expect(random >= full / 2 && random <= full)
        }
    }

    @Test func delaysAreBounded() {
        let policy = RetryPolicy(retries: 100, baseDelay: 0.5, maxDelay: 30)
        #expect(policy.delay(beforeRetry: 7, jitter: 1) == 30)  // 32 capped
        #expect(policy.delay(beforeRetry: 100, jitter: 1) == 30)
        #expect(policy.delay(beforeRetry: 100, jitter: 0) == 15)
        #expect(policy.delay(beforeRetry: 1_000_000, jitter: 1) == 30)
        // Retry-After is a floor, itself capped.
        #expect(policy.delay(beforeRetry: 1, retryAfter: 1, jitter: 0) == 1)
        #expect(policy.delay(beforeRetry: 1, retryAfter: 3600, jitter: 0) == 30)
        // Tests and impatient users: a tiny base keeps retries fast, Retry-After still counts.
        let quick = RetryPolicy(retries: 5, baseDelay: 0.01)
        #expect(quick.delay(beforeRetry: 5, jitter: 1) == 0.16)
        #expect(quick.delay(beforeRetry: 1, retryAfter: 1, jitter: 1) == 1)
        #expect(RetryPolicy(retries: 1, baseDelay: 0).delay(beforeRetry: 1, jitter: 1) == 0)
    }
}
