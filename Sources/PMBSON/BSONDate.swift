#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A BSON UTC datetime: milliseconds since the Unix epoch.
public struct BSONDate: Sendable, Hashable, Comparable {
    public var millisecondsSince1970: Int64

    @inlinable public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    public static func now() -> BSONDate {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return BSONDate(millisecondsSince1970: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }

    /// `duration` later (earlier when negative), to the millisecond.
    public func adding(_ duration: Duration) -> BSONDate {
        BSONDate(millisecondsSince1970: millisecondsSince1970 + Int64(duration / .milliseconds(1)))
    }

    public static func < (a: BSONDate, b: BSONDate) -> Bool {
        a.millisecondsSince1970 < b.millisecondsSince1970
    }
}
