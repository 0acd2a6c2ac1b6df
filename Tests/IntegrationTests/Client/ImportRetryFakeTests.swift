import Foundation
import PMBSON
import PMClient
import PMTestKit
import Testing

/// The real client binary against `FakeGateway`: faults on demand (lost answers, 503s, a
/// client killed mid-import) and the idempotency keys the client sends through them.
@Suite("permission-mongo import and batch with idempotency keys (the real binary against a fake gateway)")
struct ImportRetryFakeTests {
    /// `count` NDJSON rows `{"name":"Row i","price":i,"qty":i}`; `negative` rows have price -1,
    /// `unreadable` rows are not JSON.
    static func rows(_ count: Int, negative: Set<Int> = [], unreadable: Set<Int> = []) -> String {
        (1...count).map { row in
            if unreadable.contains(row) { return "{oops \(row)" }
            return #"{"name":"Row \#(row)","price":\#(negative.contains(row) ? -1 : row),"qty":\#(row)}"#
        }.joined(separator: "\n") + "\n"
    }

    static func names(_ documents: [BSONDocument]) -> [String] {
        documents.compactMap { $0.string("name") }.sorted()
    }

    static func expectedNames(_ count: Int, except: Set<Int>) -> [String] {
        (1...count).filter { !except.contains($0) }.map { "Row \($0)" }.sorted()
    }

    /// Runs `body` with a fresh fake and a scratch directory holding `files`.
    static func with(_ files: [String: String], _ body: (FakeGateway, TemporaryDirectory) async throws -> Void) async throws {
        let fake = try await FakeGateway.start()
        let scratch = try TemporaryDirectory(files)
        defer { scratch.remove() }
        do {
            try await body(fake, scratch)
        } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }

    static func importArguments(_ fake: FakeGateway, _ file: String, _ extra: [String] = []) -> [String] {
        ["import", "--url", fake.url, "--token", "t", "--collection", "products", "--chunk", "5", "--concurrency", "2",
         "--retry-delay", "0.01", "--progress-interval", "60"] + extra + [file]
    }

    @Test func answersLostOrRefusedForNowAreSentAgainWithTheSameKey() async throws {
        try await Self.with(["rows.ndjson": Self.rows(30)]) { fake, scratch in
            fake.fault { call, attempt in
                guard attempt == 1 else { return .none }
                switch call.rows {
                case "6-10": return .outcomeUnknown
                case "11-15": return .unavailable
                // Longer than the client's 8 s timeout, and over well before the client's
                // retries run out (0.01 s, then 1 s apart while the fake answers 409 in
                // progress): at 12 s the last retry met the end of the first call, and a
                // loaded run lost the race.
                case "16-20": return .slowAnswer(.milliseconds(9_500))
                default: return .none
                }
            }
            // A timeout well above what a loaded machine needs for the other answers (at 2 s,
            // a fresh clone's full run once saw the faulty answers themselves time out).
            let result = try await ClientBinary.run(Self.importArguments(fake, scratch.file("rows.ndjson"), ["--timeout", "8"]))
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdoutLines.first?.hasPrefix("read 30, sent 30, created 30, rejected 0, ") == true, "\(result.stdout)")
            #expect(Self.names(fake.stored) == Self.expectedNames(30, except: []))

            let byRows = Dictionary(grouping: fake.calls, by: { $0.rows ?? "none" })
            #expect(byRows.keys.sorted() == ["1-5", "11-15", "16-20", "21-25", "26-30", "6-10"])
            for (rows, calls) in byRows {
                #expect(Set(calls.map(\.key)).count == 1, "rows \(rows): one key for every attempt")
                #expect(Set(calls.map(\.body)).count == 1, "rows \(rows): one body for every attempt")
            }
            for rows in ["6-10", "11-15", "16-20"] { #expect((byRows[rows]?.count ?? 0) >= 2, "rows \(rows) sent again") }
            let notes = result.stderrLines
            #expect(notes.contains { $0.hasPrefix("note: rows 6-10: 503 outcome_unknown: the write may have been applied; retry with the same Idempotency-Key; sending them again in ") },
                    "\(result.stderr)")
            #expect(notes.contains { $0.hasPrefix("note: rows 11-15: 503 unavailable: try again; sending them again in ") && $0.hasSuffix(" s (retry 1 of 5)") },
                    "\(result.stderr)")
            #expect(notes.contains { $0.hasPrefix("note: rows 16-20: the gateway at \(fake.url) did not answer within 8 s (see --timeout); sending them again") },
                    "\(result.stderr)")
            // Replays of this run's own attempts are no news; nothing is left to resume.
            #expect(!result.stderr.contains("had already been written"))
            #expect(!FileManager.default.fileExists(atPath: scratch.file("rows.ndjson.rejects.ndjson")))
            #expect(!FileManager.default.fileExists(atPath: scratch.file("rows.ndjson.rejects.ndjson.checkpoint")))
        }
    }

    @Test func retriesThatRunOutLeaveRequestFailedRowsThatResumeSettles() async throws {
        let file = Self.rows(30, negative: [3, 22], unreadable: [8])
        try await Self.with(["rows.ndjson": file]) { fake, scratch in
            // Rows 12-16 are written at the first attempt, whose answer says the outcome is
            // unknown; every later attempt of this run finds the gateway unavailable.
            fake.fault { call, attempt in
                guard call.rows == "12-16" else { return .none }
                return attempt == 1 ? .outcomeUnknown : .unavailable
            }
            let rejectsPath = scratch.file("rows.ndjson.rejects.ndjson")
            let checkpointPath = rejectsPath + ".checkpoint"
            let first = try await ClientBinary.run(Self.importArguments(fake, scratch.file("rows.ndjson"), ["--retries", "2"]))
            #expect(first.status == 1, "stderr: \(first.stderr)")
            #expect(first.stdoutLines.first?.hasPrefix("read 30, sent 29, created 22, rejected 8, ") == true, "\(first.stdout)")
            let failed = try scratch.ndjson("rows.ndjson.rejects.ndjson").map(\.rejectSummary).filter { $0.code == "request_failed" }
            #expect(failed.map(\.row).sorted() == [12, 13, 14, 15, 16])
            #expect(failed.first?.message.hasPrefix("503 unavailable: try again (no definite answer after 3 attempts; ") == true)
            #expect(first.stderrLines.contains("note: some rows got no definite answer or were not sent; \(checkpointPath) is kept: run the same command with --resume to send only those"))
            #expect(FileManager.default.fileExists(atPath: checkpointPath))

            fake.fault { _, _ in .none }
            let callsBefore = fake.calls.count
            let resumed = try await ClientBinary.run(Self.importArguments(fake, scratch.file("rows.ndjson"), ["--resume"]))
            #expect(resumed.status == 1, "stderr: \(resumed.stderr)")  // rows 3, 8 and 22 stay rejected
            #expect(resumed.stdoutLines.first?.hasPrefix("read 30, sent 29, created 27, rejected 3, ") == true, "\(resumed.stdout)")
            #expect(resumed.stderrLines.contains("note: --resume: skipping 5 chunk(s), 25 row(s), confirmed by the earlier run (\(checkpointPath))"))
            #expect(resumed.stderrLines.contains("note: 5 row(s) had already been written by an earlier request with the same Idempotency-Key: the gateway answered from its record and wrote nothing again"))
            #expect(fake.calls.dropFirst(callsBefore).map(\.rows) == ["12-16"])
            #expect(Self.names(fake.stored) == Self.expectedNames(30, except: [3, 8, 22]))
            #expect(Set(try scratch.ndjson("rows.ndjson.rejects.ndjson").map(\.rejectSummary)) == [
                RejectSummary(row: 3, line: 3, code: "schema_validation", message: "price must be at least 0"),
                RejectSummary(row: 8, line: 8, code: "invalid_json", message: "expected a string key at byte 1, found character 'o'"),
                RejectSummary(row: 22, line: 22, code: "schema_validation", message: "price must be at least 0"),
            ])
            #expect(!FileManager.default.fileExists(atPath: checkpointPath))
        }
    }

    @Test func anImportKilledMidwayAndResumedEqualsACleanOne() async throws {
        let file = Self.rows(40, negative: [5], unreadable: [13])
        try await Self.with(["rows.ndjson": file]) { fake, scratch in
            // Both requests in flight hang after their rows were written: the client is
            // killed while it waits for them.
            fake.fault { call, _ in call.rows == "17-21" || call.rows == "22-26" ? .hang : .none }
            let checkpointPath = scratch.file("rows.ndjson.rejects.ndjson.checkpoint")
            let killed = try await ClientBinary.runAndKill(Self.importArguments(fake, scratch.file("rows.ndjson")), when: {
                Set(fake.calls.compactMap(\.rows)).isSuperset(of: ["17-21", "22-26"])
                    && ClientBinary.confirmedChunks(inCheckpoint: checkpointPath) == 3
            })
            #expect(killed)
            #expect(Self.names(fake.stored).count == 24)  // rows 1-26 but 5 and 13
            fake.fault { _, _ in .none }
            fake.release()

            let resumed = try await ClientBinary.run(Self.importArguments(fake, scratch.file("rows.ndjson"), ["--resume"]))
            #expect(resumed.status == 1, "stderr: \(resumed.stderr)")
            #expect(resumed.stdoutLines.first?.hasPrefix("read 40, sent 39, created 38, rejected 2, ") == true, "\(resumed.stdout)")
            #expect(resumed.stderrLines.contains("note: 10 row(s) had already been written by an earlier request with the same Idempotency-Key: the gateway answered from its record and wrote nothing again"))
            #expect(!FileManager.default.fileExists(atPath: checkpointPath))

            // One clean run of the same file, into another fake.
            try await Self.with(["rows.ndjson": file]) { clean, cleanScratch in
                let result = try await ClientBinary.run(Self.importArguments(clean, cleanScratch.file("rows.ndjson")))
                #expect(result.stdoutLines.first?.hasPrefix("read 40, sent 39, created 38, rejected 2, ") == true, "\(result.stdout)")
                #expect(Self.names(fake.stored) == Self.names(clean.stored))
                #expect(fake.stored.map(\.jsonString).sorted() == clean.stored.map(\.jsonString).sorted())
                #expect(try Set(scratch.read("rows.ndjson.rejects.ndjson").split(separator: "\n"))
                    == Set(cleanScratch.read("rows.ndjson.rejects.ndjson").split(separator: "\n")))
                #expect(try scratch.ndjson("rows.ndjson.rejects.ndjson").count == 2)
            }
        }
    }

    @Test func piecesOfASplitChunkKeepTheirKeysAcrossRuns() async throws {
        try await Self.with(["rows.ndjson": Self.rows(10)]) { fake, scratch in
            fake.maxBatchSize(4)
            let arguments = Self.importArguments(fake, scratch.file("rows.ndjson"), ["--chunk", "10"])
            let first = try await ClientBinary.run(arguments)
            #expect(first.status == 0, "stderr: \(first.stderr)")
            let firstCalls = fake.calls
            #expect(firstCalls.map(\.rows) == ["1-10", "1-4", "5-8", "9-10"])
            #expect(fake.stored.count == 10)

            // The same import again: every piece is answered from the gateway's record.
            let again = try await ClientBinary.run(arguments)
            #expect(again.status == 0, "stderr: \(again.stderr)")
            #expect(again.stdoutLines.first?.hasPrefix("read 10, sent 10, created 10, rejected 0, ") == true, "\(again.stdout)")
            #expect(again.stderrLines.contains("note: 10 row(s) had already been written by an earlier request with the same Idempotency-Key: the gateway answered from its record and wrote nothing again (another --import-id imports them as new rows)"))
            #expect(fake.calls.dropFirst(firstCalls.count).map(\.key) == firstCalls.map(\.key))
            #expect(fake.stored.count == 10)

            let anew = try await ClientBinary.run(arguments + ["--import-id", "second"])
            #expect(anew.status == 0, "stderr: \(anew.stderr)")
            #expect(!anew.stderr.contains("had already been written"))
            #expect(fake.stored.count == 20)
        }
    }

    @Test func batchSendsTheKeyAndSaysWhenTheAnswerIsAReplay() async throws {
        try await Self.with([:]) { fake, _ in
            let arguments = ["batch", "--url", fake.url, "--token", "t", "--idempotency-key", "order-42",
                             "--operations", #"[{"op":"create","collection":"products","data":{"name":"Widget"}}]"#]
            try await ClientBinary.expectBatchReplayed(arguments)
            #expect(fake.calls.map(\.key) == ["order-42", "order-42"])
            #expect(fake.stored.count == 1)

            let other = try await ClientBinary.run(Array(arguments.dropLast()) + [#"[{"op":"create","collection":"products","data":{"name":"Other"}}]"#])
            #expect(other.status == 1)
            #expect(other.stderr == "error: the gateway refused the request: 422 idempotency_key_reused: another body\n")

            let bad = try await ClientBinary.run(["batch", "--url", fake.url, "--token", "t", "--idempotency-key", "", "--operations", "[]"])
            #expect(bad.status == 2)
            #expect(bad.stderr == "error: --idempotency-key must be 1 to 255 printable ASCII characters, not starting or ending with a space\n")
            #expect(fake.calls.count == 3)
        }
    }
}
