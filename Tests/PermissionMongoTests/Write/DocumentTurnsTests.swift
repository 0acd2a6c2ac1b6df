import NIOConcurrencyHelpers
import PMBSON
import Testing
@testable import PermissionMongo

/// Changes of the same documents take turns: all of a change's documents at once, in
/// arrival order, never two changes waiting for each other.
@Suite("DocumentTurns")
struct DocumentTurnsTests {
    static func ids(_ numbers: [Int32]) -> [BSON] { numbers.map(BSON.int32) }

    /// Waits until `turns` has `count` changes waiting (a task that has asked).
    static func waiting(_ turns: DocumentTurns, _ count: Int) async {
        while turns.counts.waiting != count { await Task.yield() }
    }

    @Test func changesOfOtherDocumentsDoNotWait() async {
        let turns = DocumentTurns()
        let a = await turns.take(Self.ids([1, 2]), in: "c")
        let b = await turns.take(Self.ids([3]), in: "c")
        let c = await turns.take(Self.ids([1]), in: "other")  // another collection's document 1
        #expect(turns.counts.held == 4 && turns.counts.waiting == 0)
        a.release(); b.release(); c.release()
        #expect(turns.counts.held == 0)
    }

    @Test func aChangeWaitsForAllOfItsDocumentsAndArrivalOrderIsKept() async {
        let turns = DocumentTurns()
        let order = NIOLockedValueBox<[String]>([])
        let first = await turns.take(Self.ids([1]), in: "c")
        // B needs 1 and 2; C needs only 2, which is free, but B asked first and overlaps it.
        let b = Task {
            let turn = await turns.take(Self.ids([1, 2]), in: "c")
            order.withLockedValue { $0.append("B") }
            return turn
        }
        await Self.waiting(turns, 1)
        let c = Task {
            let turn = await turns.take(Self.ids([2]), in: "c")
            order.withLockedValue { $0.append("C") }
            return turn
        }
        await Self.waiting(turns, 2)
        #expect(order.withLockedValue { $0 }.isEmpty)

        first.release()
        let bTurn = await b.value
        #expect(order.withLockedValue { $0 } == ["B"])
        #expect(turns.counts.waiting == 1, "C waits for B's document 2")
        bTurn.release()
        (await c.value).release()
        #expect(order.withLockedValue { $0 } == ["B", "C"])
        #expect(turns.counts == (held: 0, waiting: 0))
    }

    @Test func overlappingChangesAllFinish() async {
        let turns = DocumentTurns()
        let inside = NIOLockedValueBox<[Int32: Int]>([:])
        let clash = NIOLockedValueBox(false)
        await withTaskGroup(of: Void.self) { group in
            for change in 0..<300 {
                let numbers = Array(Set((0..<3).map { _ in Int32.random(in: 0..<8) })).sorted()
                group.addTask {
                    let turn = await turns.take(Self.ids(numbers), in: "c")
                    inside.withLockedValue { held in
                        for number in numbers {
                            if held[number, default: 0] > 0 { clash.withLockedValue { $0 = true } }
                            held[number, default: 0] += 1
                        }
                    }
                    if change % 3 == 0 { await Task.yield() }
                    inside.withLockedValue { held in for number in numbers { held[number]! -= 1 } }
                    turn.release()
                }
            }
        }
        #expect(!clash.withLockedValue { $0 }, "two changes held one document at once")
        #expect(turns.counts == (held: 0, waiting: 0))
    }
}
