import NIOCore

/// An event loop as a task executor: a request's work runs on the event loop of its
/// connection (`ShutdownDeadlineResponder`), where its body is read and its answer written,
/// so neither needs a thread switch, and a driver call's result comes back to that loop
/// with one wake-up (BENCHMARKS.md, "Small requests").
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }
}
