import Testing
@testable import PMBSON

@Suite struct BSONDateISO8601Tests {
    @Test(arguments: [
        ("2024-01-02T03:04:05.678Z", Int64(1_704_164_645_678)),
        ("2024-01-02T03:04:05Z", 1_704_164_645_000),
        ("2024-01-02T03:04Z", 1_704_164_640_000),
        ("2024-01-02", 1_704_153_600_000),
        ("2024-01-02t03:04:05.678z", 1_704_164_645_678),
        ("1970-01-01T00:00:00Z", 0),
        ("1970-01-01", 0),
        ("1969-12-31T23:59:59.999Z", -1),
        ("1900-03-01T00:00:00Z", -2_203_891_200_000),
        ("1600-02-29", -11_670_998_400_000),
        ("2000-02-29T12:00:00Z", 951_825_600_000),
        ("0001-01-01T00:00:00Z", -62_135_596_800_000),
        ("0000-01-01T00:00:00Z", -62_167_219_200_000),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
    ])
    func parsesUTC(text: String, milliseconds: Int64) throws {
        let date = try #require(BSONDate(iso8601: text))
        #expect(date.millisecondsSince1970 == milliseconds)
    }

    @Test(arguments: [
        ("2024-01-02T05:04:05.678+02:00", Int64(1_704_164_645_678)),
        ("2024-01-02T05:04:05.678+0200", 1_704_164_645_678),
        ("2024-01-01T23:34:05.678-03:30", 1_704_164_645_678),
        ("2024-01-02T03:04:05.678+00:00", 1_704_164_645_678),
        ("2024-01-02T03:04:05.678-00:00", 1_704_164_645_678),
        ("1970-01-01T00:00:00+01:00", -3_600_000),
        ("2024-01-02T03:04:05.678-2359", 1_704_250_985_678),
    ])
    func parsesOffsets(text: String, milliseconds: Int64) throws {
        #expect(BSONDate(iso8601: text)?.millisecondsSince1970 == milliseconds)
    }

    @Test(arguments: [
        ("2024-01-02T03:04:05.6Z", Int64(1_704_164_645_600)),
        ("2024-01-02T03:04:05.67Z", 1_704_164_645_670),
        ("2024-01-02T03:04:05.6789Z", 1_704_164_645_678),  // truncated, not rounded
        ("2024-01-02T03:04:05.123456789Z", 1_704_164_645_123),
        ("1969-12-31T23:59:59.5Z", -500),
    ])
    func parsesFractions(text: String, milliseconds: Int64) throws {
        #expect(BSONDate(iso8601: text)?.millisecondsSince1970 == milliseconds)
    }

    @Test func substringsAreAccepted() {
        let text = "[2024-01-02]"
        let inner = text.dropFirst().dropLast()
        #expect(BSONDate(iso8601: inner)?.millisecondsSince1970 == 1_704_153_600_000)
    }

    @Test(arguments: [
        "", "2024", "2024-01", "2024-1-02", "24-01-02", "2024/01/02", "20240102",
        "2023-02-29", "1900-02-29", "2024-02-30", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32",
        "2024-01-02T24:00:00Z", "2024-01-02T23:60:00Z", "2024-01-02T23:59:60Z", "2024-01-02T3:04:05Z",
        "2024-01-02T03:04:05", "2024-01-02T03:04", "2024-01-02 03:04:05Z", "2024-01-02T03:04:05.Z",
        "2024-01-02T03:04:05.678+2:00", "2024-01-02T03:04:05+24:00", "2024-01-02T03:04:05+01:60", "2024-01-02T03:04:05+01",
        "2024-01-02T03:04:05ZZ", "2024-01-02T03:04:05Z ", " 2024-01-02", "2024-01-02T", "+2024-01-02", "-001-01-01",
        "2024-01-02T03:04:05,678Z", "２０２４-01-02",
    ])
    func rejectsInvalid(text: String) {
        #expect(BSONDate(iso8601: text) == nil)
    }

    @Test(arguments: [
        (Int64(1_704_164_645_678), "2024-01-02T03:04:05.678Z"),
        (0, "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-86_400_000, "1969-12-31T00:00:00.000Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        (253_402_300_800_000, "+010000-01-01T00:00:00.000Z"),
        (-62_167_219_200_001, "-000001-12-31T23:59:59.999Z"),
    ])
    func formats(milliseconds: Int64, text: String) {
        #expect(BSONDate(millisecondsSince1970: milliseconds).iso8601String == text)
    }

    @Test func extremeValuesFormatWithoutTrapping() {
        #expect(BSONDate(millisecondsSince1970: Int64.max).iso8601String.hasPrefix("+292278994-08-17T07:12:55.807Z"))
        #expect(BSONDate(millisecondsSince1970: Int64.min).iso8601String.hasPrefix("-292275055-05-16T16:47:04.192Z"))
    }

    @Test func everyDayOfFourHundredYearsRoundTrips() throws {
        // Covers leap rules (1900 not leap, 2000 leap) and both sides of the epoch.
        let start = BSONDate(iso8601: "1800-01-01")!.millisecondsSince1970
        var previousText = ""
        for day in stride(from: Int64(0), to: 146_097, by: 1) {
            let ms = start + day * 86_400_000 + 45_296_789  // 12:34:56.789
            let text = BSONDate(millisecondsSince1970: ms).iso8601String
            #expect(text > previousText)
            previousText = text
            let parsed = BSONDate(iso8601: text)
            if parsed?.millisecondsSince1970 != ms {
                Issue.record("\(text) parsed as \(String(describing: parsed))")
                break
            }
        }
        #expect(previousText == "2199-12-31T12:34:56.789Z")
    }
}
