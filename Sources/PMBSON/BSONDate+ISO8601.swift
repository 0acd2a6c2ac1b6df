extension BSONDate {
    /// Parses an ISO-8601 date or date-time:
    /// `YYYY-MM-DD` (midnight UTC) or
    /// `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z`, `±HH:MM` or `±HHMM`.
    /// `t` and `z` may be lowercase. The zone is required with a time (a local
    /// time would be ambiguous). Years 0000...9999; fractions beyond
    /// milliseconds are truncated. Invalid calendar dates (Feb 30), hours > 23,
    /// minutes/seconds > 59 and offsets beyond ±23:59 are rejected.
    public init?(iso8601 text: some StringProtocol) {
        let parsed = text.utf8.withContiguousStorageIfAvailable { Self.parseISO8601(UnsafeRawBufferPointer($0)) }
            ?? Array(text.utf8).withUnsafeBytes { Self.parseISO8601($0) }
        guard let parsed else { return nil }
        self.init(millisecondsSince1970: parsed)
    }

    /// `init(iso8601:)` from the text's UTF-8 bytes.
    public init?(iso8601UTF8 bytes: UnsafeRawBufferPointer) {
        guard let parsed = Self.parseISO8601(bytes) else { return nil }
        self.init(millisecondsSince1970: parsed)
    }

    private static func parseISO8601(_ s: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= s.count else { return nil }
            var value: Int64 = 0
            for k in 0..<n {
                let d = s[i + k] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                value = value * 10 + Int64(d)
            }
            i += n
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }

        guard let year = digits(4), expect(UInt8(ascii: "-")),
              let month = digits(2), expect(UInt8(ascii: "-")),
              let day = digits(2)
        else { return nil }
        guard month >= 1, month <= 12, day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month) else { return nil }
        let days = CivilCalendar.daysFromCivil(year: year, month: month, day: day)
        if i == s.count { return days * 86_400_000 }

        guard i < s.count, s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") else { return nil }
        i += 1
        guard let hour = digits(2), hour <= 23, expect(UInt8(ascii: ":")),
              let minute = digits(2), minute <= 59
        else { return nil }
        var second: Int64 = 0
        var millisecond: Int64 = 0
        if expect(UInt8(ascii: ":")) {
            guard let s2 = digits(2), s2 <= 59 else { return nil }
            second = s2
            if expect(UInt8(ascii: ".")) {
                var fractionDigits = 0
                while i < s.count, s[i] &- UInt8(ascii: "0") < 10 {
                    if fractionDigits < 3 { millisecond = millisecond * 10 + Int64(s[i] - UInt8(ascii: "0")) }
                    fractionDigits += 1
                    i += 1
                }
                guard fractionDigits > 0 else { return nil }
                for _ in fractionDigits..<max(fractionDigits, 3) { millisecond *= 10 }
            }
        }

        guard i < s.count else { return nil }
        var offsetMinutes: Int64 = 0
        switch s[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = s[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let offsetHours = digits(2), offsetHours <= 23 else { return nil }
            _ = expect(UInt8(ascii: ":"))
            guard let offsetMinute = digits(2), offsetMinute <= 59 else { return nil }
            offsetMinutes = sign * (offsetHours * 60 + offsetMinute)
        default:
            return nil
        }
        guard i == s.count else { return nil }

        let localSeconds = days * 86_400 + hour * 3600 + minute * 60 + second
        return (localSeconds - offsetMinutes * 60) * 1000 + millisecond
    }

    /// ISO-8601 in UTC with milliseconds: `2024-01-02T03:04:05.678Z`.
    /// Years outside 0000...9999 use the expanded form with a sign and at least
    /// six digits (`+010000-01-01T00:00:00.000Z`), as JavaScript does.
    public var iso8601String: String {
        var out = [UInt8]()
        out.reserveCapacity(24)
        appendISO8601(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func appendISO8601(into out: inout [UInt8]) {
        let ms = millisecondsSince1970
        // Floor division so that times before 1970 land on the right day.
        var days = ms / 86_400_000
        var msOfDay = ms % 86_400_000
        if msOfDay < 0 {
            days -= 1
            msOfDay += 86_400_000
        }
        let (year, month, day) = CivilCalendar.civilFromDays(days)
        if year >= 0 && year <= 9999 {
            out.appendDecimal(UInt64(year), minimumDigits: 4)
        } else {
            out.append(year < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            out.appendDecimal(year.magnitude, minimumDigits: 6)
        }
        out.append(UInt8(ascii: "-"))
        out.appendDecimal(UInt64(month), minimumDigits: 2)
        out.append(UInt8(ascii: "-"))
        out.appendDecimal(UInt64(day), minimumDigits: 2)
        out.append(UInt8(ascii: "T"))
        out.appendDecimal(UInt64(msOfDay / 3_600_000), minimumDigits: 2)
        out.append(UInt8(ascii: ":"))
        out.appendDecimal(UInt64(msOfDay / 60_000 % 60), minimumDigits: 2)
        out.append(UInt8(ascii: ":"))
        out.appendDecimal(UInt64(msOfDay / 1000 % 60), minimumDigits: 2)
        out.append(UInt8(ascii: "."))
        out.appendDecimal(UInt64(msOfDay % 1000), minimumDigits: 3)
        out.append(UInt8(ascii: "Z"))
    }
}
