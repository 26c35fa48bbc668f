import Foundation
import Oracle

/// Each reading decided once per test process with proofs.md's documented options, shared by the
/// claim tests and the proofs.md staleness test (so the suite pays for every reading only once).
final class DocumentedOutcomes: @unchecked Sendable {
    static let shared = DocumentedOutcomes()
    private let lock = NSLock()
    private var outcomes: [String: ReadingOutcome] = [:]
    private var inFlight: [String: NSCondition] = [:]

    func outcome(_ reading: ClaimReading) -> ReadingOutcome {
        lock.lock()
        if let known = outcomes[reading.label] { lock.unlock(); return known }
        if let condition = inFlight[reading.label] {
            lock.unlock()
            condition.lock()
            while true {
                lock.lock()
                if let known = outcomes[reading.label] { lock.unlock(); condition.unlock(); return known }
                lock.unlock()
                condition.wait()
            }
        }
        let condition = NSCondition()
        inFlight[reading.label] = condition
        lock.unlock()
        let computed = reading.decide(ProofsDocument.options(for: reading))
        lock.lock()
        outcomes[reading.label] = computed
        inFlight[reading.label] = nil
        lock.unlock()
        condition.lock(); condition.broadcast(); condition.unlock()
        return computed
    }
}
