/// What one decided case was, for the run's coverage (in the spirit of Hypothesis's `event()` and
/// `target()`): a labelled event counted once per case, or a numeric target whose largest value is kept.
public enum CoverageLabel: Sendable, Hashable {
    case event(String)
    case target(String, Double)

    /// The event `name=value` (a size parameter: `d=7`, `shape=3x5`).
    public static func parameter(_ name: String, _ value: some CustomStringConvertible) -> CoverageLabel {
        .event("\(name)=\(value)")
    }

    /// The event `non-trivial` or `trivial`: whether the claim bites on this case.
    public static func nonTrivial(_ bites: Bool) -> CoverageLabel {
        .event(bites ? Coverage.nonTrivial : Coverage.trivial)
    }
}

/// Counts of the events of the decided cases of a run, and the largest value of each target.
public struct Coverage: Sendable, Equatable, Codable, JSONRenderable {
    public static let nonTrivial = "non-trivial"
    public static let trivial = "trivial"

    /// Cases classified.
    public var cases = 0
    public var events: [String: Int] = [:]
    public var targets: [String: Double] = [:]

    public init() {}

    /// Records one decided case. In the random phase the trivial/non-trivial event is also counted as
    /// `random: non-trivial` / `random: trivial`: the exhaustive pass enumerates the smallest cases on purpose,
    /// so whether the claim bites is judged on the random cases.
    public mutating func record(_ labels: [CoverageLabel], phase: RunPhase? = nil) {
        cases += 1
        var seen: Set<String> = []
        for label in labels {
            switch label {
            case let .event(name):
                guard seen.insert(name).inserted else { continue }
                events[name, default: 0] += 1
                if phase == .random, name == Coverage.nonTrivial || name == Coverage.trivial {
                    events[Coverage.randomPrefix + name, default: 0] += 1
                }
            case let .target(name, value): targets[name] = max(targets[name] ?? -.infinity, value)
            }
        }
    }

    static let randomPrefix = "random: "

    /// The share of classified cases on which the claim bites: over the random cases when any was classified,
    /// else over all (nil when nothing was classified as trivial or non-trivial).
    public var nonTrivialShare: Double? {
        func share(_ prefix: String) -> Double? {
            let bites = events[prefix + Coverage.nonTrivial] ?? 0,
                total = bites + (events[prefix + Coverage.trivial] ?? 0)
            return total == 0 ? nil : Double(bites) / Double(total)
        }
        return share(Coverage.randomPrefix) ?? share("")
    }

    /// Coverage over several runs (shards): counts add, targets keep the largest value.
    public mutating func merge(_ other: Coverage) {
        cases += other.cases
        for (k, v) in other.events { events[k, default: 0] += v }
        for (k, v) in other.targets { targets[k] = max(targets[k] ?? -.infinity, v) }
    }

    /// The values seen for parameter `name` (events `name=value`), with their counts, in sorted order.
    public func parameter(_ name: String) -> [(value: String, count: Int)] {
        let prefix = name + "="
        return events.filter { $0.key.hasPrefix(prefix) }
            .map { (String($0.key.dropFirst(prefix.count)), $0.value) }
            .sorted { a, b in
                // Numbers numerically; shapes RxC by (R·C, R); anything else as text.
                func key(_ text: String) -> [Int]? {
                    let parts = text.split(separator: "x").map { Int($0) }
                    guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
                    let sides = parts.map { $0! }
                    return [sides.reduce(1, *)] + sides
                }
                if let x = key(a.0), let y = key(b.0) { return x.lexicographicallyPrecedes(y) }
                return a.0 < b.0
            }
    }

    /// `{"cases", "events": {name: count, …}, "targets": {name: max, …}}`, names sorted.
    public var json: JSONValue {
        .object([
            "cases": .int(cases),
            "events": .object(events.keys.sorted().map { .init($0, .int(events[$0]!)) }),
            "targets": .object(targets.keys.sorted().map { .init($0, .number(targets[$0]!)) }),
        ])
    }

    public init(json: JSONValue) throws(CoverageDecodingError) {
        guard case let .int(cases)? = json["cases"], case let .object(events)? = json["events"],
            case let .object(targets)? = json["targets"]
        else { throw CoverageDecodingError() }
        self.cases = cases
        for member in events {
            guard case let .int(n) = member.value else { throw CoverageDecodingError() }
            self.events[member.key] = n
        }
        for member in targets {
            switch member.value {
            case let .number(x): self.targets[member.key] = x
            case let .int(n): self.targets[member.key] = Double(n)
            default: throw CoverageDecodingError()
            }
        }
    }
}

/// A coverage object that is not `{"cases": n, "events": {…}, "targets": {…}}`.
public struct CoverageDecodingError: Error, Sendable, CustomStringConvertible {
    public var description: String {
        "coverage must be {\"cases\": n, \"events\": {name: count}, \"targets\": {name: number}}"
    }
}
