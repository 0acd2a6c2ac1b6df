import HTTPTypes
import PMTestKit
import Testing
@testable import PermissionMongo

/// The series `GatewayMetrics` writes, and their labels.
@Suite struct GatewayMetricsTests {
    let metrics = GatewayMetrics()

    var samples: MetricSamples { MetricSamples(String(decoding: metrics.exposition(), as: UTF8.self)) }

    @Test func configReloadsStartAtZeroAndCountBothResults() {
        #expect(samples[#"pm_config_reloads_total{result="ok"}"#] == 0)
        #expect(samples[#"pm_config_reloads_total{result="error"}"#] == 0)
        metrics.recordConfigReload(succeeded: true)
        metrics.recordConfigReload(succeeded: false)
        metrics.recordConfigReload(succeeded: false)
        #expect(samples[#"pm_config_reloads_total{result="ok"}"#] == 1)
        #expect(samples[#"pm_config_reloads_total{result="error"}"#] == 2)
    }

    @Test func requestsAreCountedByTemplateMethodAndStatusWhileInFlightGoesUpAndDown() throws {
        #expect(samples["pm_http_requests_in_flight"] == 0)
        metrics.requests.started()
        metrics.requests.started()
        metrics.requests.started()
        #expect(samples["pm_http_requests_in_flight"] == 3)
        metrics.requests.finished(route: "/{collection}/{id}", method: .get, status: .notFound, duration: .milliseconds(3))
        metrics.requests.finished(route: "/{collection}/{id}", method: .get, status: .notFound, duration: .milliseconds(40))
        metrics.requests.finished(
            route: nil, method: try #require(HTTPRequest.Method("BREW")), status: .notFound, duration: .zero)
        let after = samples
        #expect(after["pm_http_requests_in_flight"] == 0)
        #expect(after[#"pm_http_requests_total{route="/{collection}/{id}",method="GET",status="404"}"#] == 2)
        #expect(after[#"pm_http_requests_total{route="unmatched",method="other",status="404"}"#] == 1)
        #expect(after[#"pm_http_request_duration_seconds_count{route="/{collection}/{id}",method="GET"}"#] == 2)
        #expect(after[#"pm_http_request_duration_seconds_sum{route="/{collection}/{id}",method="GET"}"#] == 0.043)
    }

    @Test func transactionRetriesStartAtZero() {
        #expect(samples["pm_transaction_retries_total"] == 0)
        metrics.database.transactionRetried()
        #expect(samples["pm_transaction_retries_total"] == 1)
    }
}
