import Foundation

/// Work items 0..<count handed to worker threads in index order, their results collected by index and taken back
/// in index order (`wait`), so that whatever consumes them sees the order of a serial run.
final class OrderedWorkPool<Result>: @unchecked Sendable {
    private let condition = NSCondition()
    private var nextIndex = 0
    private var results: [Int: Entry] = [:]
    private var stopped = false
    private var exited = 0
    /// The item the consumer sleeps on (−1: none); only its result wakes it.
    private var awaited = -1
    let count: Int

    /// One finished item (a wrapper, so that an optional result is told apart from a missing one).
    private struct Entry { var result: Result }

    init(count: Int) { self.count = count }

    /// The next item to run, nil when none is left or the run stopped.
    func next() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, nextIndex < count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    func finish(_ k: Int, _ result: Result) {
        condition.lock()
        results[k] = Entry(result: result)
        if k == awaited { condition.broadcast() }
        condition.unlock()
    }

    /// Waits for item k's result and takes it. When it is not there yet, sleeps until the items up to
    /// k + batch − 1 are done as well, so that one wake-up serves a batch of short items (every item is run once
    /// handed out, and items are handed out in order until `stop`, which only the consumer calls).
    func wait(_ k: Int, batch: Int = 1) -> Result {
        condition.lock()
        defer { condition.unlock() }
        if results[k] == nil {
            for item in [min(k + batch - 1, count - 1), k] {
                awaited = item
                while results[item] == nil { condition.wait() }
            }
            awaited = -1
        }
        return results.removeValue(forKey: k)!.result
    }

    /// No item is handed out any more.
    func stop() {
        condition.lock()
        stopped = true
        condition.unlock()
    }

    /// A worker has left its loop.
    func exit() {
        condition.lock()
        exited += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every worker has left its loop.
    func drain(workers: Int) {
        condition.lock()
        while exited < workers { condition.wait() }
        condition.unlock()
    }

    /// Starts `workers` threads that each run `body(k)` on the items they take, until none is left.
    func start(workers: Int, stackSize: Int = 0, _ body: @escaping @Sendable (Int) -> Result) {
        for _ in 0..<workers {
            let thread = Thread { [self] in
                while let k = next() { finish(k, body(k)) }
                exit()
            }
            if stackSize > 0 { thread.stackSize = stackSize }
            thread.start()
        }
    }
}
