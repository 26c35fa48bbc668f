/// Limits on shrinking. Shrinking is deterministic unless the wall-time limit cuts it short.
public struct ShrinkLimits: Sendable, Equatable {
    /// Maximum candidate evaluations (runs of generator + property).
    public var maxAttempts: Int
    /// Maximum successful shrink steps.
    public var maxSteps: Int
    /// Wall-time limit for the whole shrink.
    public var timeLimit: Duration

    public init(maxAttempts: Int = 20_000, maxSteps: Int = 5_000, timeLimit: Duration = .seconds(30)) {
        self.maxAttempts = maxAttempts
        self.maxSteps = maxSteps
        self.timeLimit = timeLimit
    }

    /// No shrinking at all.
    public static let none = ShrinkLimits(maxAttempts: 0, maxSteps: 0, timeLimit: .zero)
}

/// Shortlex order on choice sequences: shorter first, then lexicographically smaller.
public func shortlexPrecedes(_ a: [UInt64], _ b: [UInt64]) -> Bool {
    a.count != b.count ? a.count < b.count : a.lexicographicallyPrecedes(b)
}

/// A failing case as the shrinker sees it: its (normalised) choices, shrink hints and payload.
struct ShrinkCandidate<Payload> {
    var choices: [UInt64]
    var spans: [ChoiceSource.ElementSpan]
    var payload: Payload
}

/// Shrinks a failing choice sequence towards the shortlex minimum, knowing nothing about types:
/// a candidate is accepted when it still fails and its recorded choices are shortlex-smaller.
/// Candidates that fail to generate (filter rejects, overrun) are simply not failing.
struct Shrinker<Payload> {
    let evaluate: ([UInt64]) -> ShrinkCandidate<Payload>?
    let limits: ShrinkLimits
    private(set) var best: ShrinkCandidate<Payload>
    private(set) var steps = 0
    private(set) var attempts = 0
    private(set) var stopped = false
    private var seen: Set<[UInt64]> = []
    private let clock = ContinuousClock()
    private let deadline: ContinuousClock.Instant

    init(
        initial: ShrinkCandidate<Payload>, limits: ShrinkLimits,
        evaluate: @escaping ([UInt64]) -> ShrinkCandidate<Payload>?
    ) {
        self.best = initial
        self.limits = limits
        self.evaluate = evaluate
        self.deadline = ContinuousClock().now.advanced(by: limits.timeLimit)
    }

    /// Tries one candidate; true when it became the new best.
    @discardableResult
    mutating func consider(_ candidate: [UInt64]) -> Bool {
        if stopped { return false }
        guard shortlexPrecedes(candidate, best.choices), seen.insert(candidate).inserted else { return false }
        if attempts >= limits.maxAttempts || steps >= limits.maxSteps || clock.now >= deadline {
            stopped = true
            return false
        }
        attempts += 1
        guard let result = evaluate(candidate), shortlexPrecedes(result.choices, best.choices) else { return false }
        best = result
        steps += 1
        return true
    }

    /// Runs the passes until none makes progress or a limit is hit.
    mutating func run() {
        while !stopped {
            let before = best.choices
            deleteElements()
            deleteChunks()
            zeroChunks()
            minimiseEach()
            reorder()
            redistribute()
            if best.choices == before { deleteAndLower() }
            if best.choices == before { switchBranch() }
            if best.choices == before { break }
        }
    }

    /// Removes whole collection elements together with one from their length choice.
    mutating func deleteElements() {
        var k = best.spans.count - 1
        while k >= 0, !stopped {
            let span = best.spans[k]
            var c = best.choices
            if span.end <= c.count, c[span.countIndex] > 0 {
                c[span.countIndex] -= 1
                c.removeSubrange(span.start..<span.end)
                consider(c)
            }
            k = min(k - 1, best.spans.count - 1)
        }
    }

    /// Deletes chunks of 8, 4, 2, 1 choices, from the end backwards.
    mutating func deleteChunks() {
        for size in [8, 4, 2, 1] {
            var i = best.choices.count - size
            while i >= 0, !stopped {
                var c = best.choices
                c.removeSubrange(i..<i + size)
                consider(c)
                i = min(i - 1, best.choices.count - size)
            }
        }
    }

    /// Sets chunks of 8, 4, 2 choices to zero.
    mutating func zeroChunks() {
        for size in [8, 4, 2] {
            var i = 0
            while i + size <= best.choices.count, !stopped {
                if best.choices[i..<i + size].contains(where: { $0 != 0 }) {
                    var c = best.choices
                    for k in i..<i + size { c[k] = 0 }
                    consider(c)
                }
                i += 1
            }
        }
    }

    private mutating func set(_ i: Int, _ value: UInt64) -> Bool {
        guard i < best.choices.count else { return false }
        var c = best.choices
        c[i] = value
        return consider(c)
    }

    /// When stuck: switch an early choice to another small value (a different `oneOf`/`element`
    /// branch) while deleting a short chunk right after it — shorter, so shortlex-smaller even when the
    /// new value is larger. Reaches minima in another branch (e.g. a dense kernel [1/2, 2/4] to the eye
    /// pair [1, 1]). Positions < 16, values 0...4, chunks of 1...4 starting within 4 positions.
    mutating func switchBranch() {
        var i = 0
        while i < min(16, best.choices.count), !stopped {
            let original = best.choices
            search: for v: UInt64 in 0...4 where v != original[i] {
                for size in 1...4 {
                    for start in (i + 1)..<(i + 5) where start + size <= original.count {
                        var c = original
                        c[i] = v
                        c.removeSubrange(start..<start + size)
                        if consider(c) { break search }
                        if stopped { return }
                    }
                }
            }
            i += 1
        }
    }

    /// Each choice: try 0, binary-search down, then decrement by 1...8 (and repeat).
    mutating func minimiseEach() {
        var i = 0
        while i < best.choices.count, !stopped {
            minimise(at: i)
            i += 1
        }
    }

    mutating func minimise(at i: Int) {
        while !stopped, i < best.choices.count, best.choices[i] > 0 {
            if set(i, 0) { return }
            var lo: UInt64 = 0
            while !stopped, i < best.choices.count, lo + 1 < best.choices[i] {
                let hi = best.choices[i]
                let mid = lo + (hi - lo) / 2
                if !set(i, mid) { lo = mid }
            }
            var improved = false
            for d: UInt64 in 1...8 {
                guard i < best.choices.count, best.choices[i] >= d else { break }
                if set(i, best.choices[i] - d) { improved = true; break }
            }
            if !improved { return }
        }
    }

    /// Swaps out-of-order adjacent pairs and sorts short chunks ascending.
    mutating func reorder() {
        var i = 0
        while i + 1 < best.choices.count, !stopped {
            if best.choices[i] > best.choices[i + 1] {
                var c = best.choices
                c.swapAt(i, i + 1)
                consider(c)
            }
            i += 1
        }
        for size in [8, 4, 3] {
            var i = 0
            while i + size <= best.choices.count, !stopped {
                let chunk = best.choices[i..<i + size]
                let sorted = chunk.sorted()
                if !chunk.elementsEqual(sorted) {
                    var c = best.choices
                    c.replaceSubrange(i..<i + size, with: sorted)
                    consider(c)
                }
                i += 1
            }
        }
    }

    /// Moves value from an earlier choice to a later one (within 16 positions), keeping the sum:
    /// lexicographically smaller, and often enables a deletion.
    mutating func redistribute() {
        var i = 0
        while i < best.choices.count, !stopped {
            var j = i + 1
            while j < min(best.choices.count, i + 17), !stopped {
                var amount = best.choices[i]
                while amount > 0, !stopped, j < best.choices.count {
                    // Odd amounts flip the sign of zigzag-coded integers, so also try one less.
                    if move(amount, from: i, to: j)
                        || (amount > 1 && amount % 2 == 1 && move(amount - 1, from: i, to: j))
                    {
                        amount = i < best.choices.count ? best.choices[i] : 0
                        continue
                    }
                    amount /= 2
                }
                j += 1
            }
            i += 1
        }
    }

    private mutating func move(_ amount: UInt64, from i: Int, to j: Int) -> Bool {
        guard j < best.choices.count, best.choices[i] >= amount else { return false }
        var c = best.choices
        let (sum, overflow) = c[j].addingReportingOverflow(amount)
        guard !overflow else { return false }
        c[i] -= amount
        c[j] = sum
        return consider(c)
    }

    /// Fallback for lengths drawn outside a collection (e.g. `flatMap` on a count): delete a chunk
    /// and lower an earlier choice by 1 or by the chunk size.
    mutating func deleteAndLower() {
        for size in [1, 2, 4, 8] {
            var i = best.choices.count - size
            outer: while i >= 1, !stopped {
                for j in stride(from: i - 1, through: 0, by: -1) where best.choices[j] > 0 {
                    for d in Set([UInt64(1), UInt64(size)]).sorted() {
                        var c = best.choices
                        c.removeSubrange(i..<i + size)
                        c[j] -= min(d, c[j])
                        if consider(c) {
                            i = min(i - 1, best.choices.count - size)
                            continue outer
                        }
                    }
                }
                i -= 1
            }
        }
    }
}
