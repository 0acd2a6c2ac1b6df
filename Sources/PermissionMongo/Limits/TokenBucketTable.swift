import Dispatch
import NIOConcurrencyHelpers

/// One token bucket per key (a tenant, or a user of a tenant), created full on first use.
///
/// The table is split into shards, each behind a lock of its own, so that requests of
/// different tenants rarely wait for one another; a lock is held for a dictionary lookup
/// and a few additions. Memory stays bounded by the keys active lately: a bucket that has
/// refilled completely says nothing a new one would not, so every `sweepInterval` a shard
/// drops its full buckets (on its next use, under the lock it holds anyway).
final class TokenBucketTable: Sendable {
    typealias Clock = @Sendable () -> UInt64

    private struct Shard {
        var buckets: [String: TokenBucket] = [:]
        var lastSweep: UInt64
    }

    let perSecond: Double
    let burst: Int
    private let clock: Clock
    private let sweepInterval: UInt64
    private let shards: [NIOLockedValueBox<Shard>]

    static let shardCount = 16
    /// Nanoseconds of the monotonic clock (`DispatchTime`'s uptime, which never goes back).
    static let monotonicClock: Clock = { DispatchTime.now().uptimeNanoseconds }

    init(
        _ bucket: RateLimitSettings.Bucket, clock: @escaping Clock = TokenBucketTable.monotonicClock,
        sweepInterval: Duration = .seconds(10)
    ) {
        perSecond = bucket.perSecond
        burst = bucket.burst
        self.clock = clock
        self.sweepInterval = UInt64(sweepInterval.components.seconds) * 1_000_000_000
            + UInt64(sweepInterval.components.attoseconds / 1_000_000_000)
        let start = clock()
        shards = (0..<Self.shardCount).map { _ in NIOLockedValueBox(Shard(lastSweep: start)) }
    }

    /// Takes `count` tokens from `key`'s bucket.
    func take(_ count: Int, key: String) -> RateLimitDecision {
        let now = clock()
        return shards[Self.shard(of: key)].withLockedValue { shard in
            if now >= shard.lastSweep + sweepInterval {
                shard.buckets = shard.buckets.filter { !$0.value.isFull(at: now) }
                shard.lastSweep = now
            }
            var bucket = shard.buckets[key] ?? TokenBucket(perSecond: perSecond, capacity: burst, now: now)
            let decision = bucket.take(count, now: now)
            shard.buckets[key] = bucket
            return decision
        }
    }

    /// Buckets held now (for tests of the eviction).
    var bucketCount: Int {
        shards.reduce(0) { total, shard in total + shard.withLockedValue { $0.buckets.count } }
    }

    private static func shard(of key: String) -> Int {
        var hasher = Hasher()
        hasher.combine(key)
        return Int(UInt(bitPattern: hasher.finalize()) % UInt(shardCount))
    }
}
