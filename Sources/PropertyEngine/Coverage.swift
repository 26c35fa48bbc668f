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
    public static func nonTrivial(_ bites: Bool) -> CoverageLabel { .event(bites ? Coverage.nonTrivial : Coverage.trivial) }
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

    public mutating func record(_ labels: [CoverageLabel]) {
        cases += 1
        var seen: Set<String> = []
        for label in labels {
            switch label {
            case let .event(name): if seen.insert(name).inserted { events[name, default: 0] += 1 }
            case let .target(name, value): targets[name] = max(targets[name] ?? -.infinity, value)
            }
        }
    }

    /// The share of classified cases on which the claim bites (nil when nothing was classified as
    /// trivial or non-trivial).
    public var nonTrivialShare: Double? {
        let bites = events[Coverage.nonTrivial] ?? 0, total = bites + (events[Coverage.trivial] ?? 0)
        return total == 0 ? nil : Double(bites) / Double(total)
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
                if let x = Int(a.0), let y = Int(b.0) { return x < y }
                return a.0 < b.0
            }
    }

    /// `{"cases", "events": {name: count, …}, "targets": {name: max, …}}`, names sorted.
    public var json: JSONValue {
        .object(["cases": .int(cases),
                 "events": .object(events.keys.sorted().map { .init($0, .int(events[$0]!)) }),
                 "targets": .object(targets.keys.sorted().map { .init($0, .number(targets[$0]!)) })])
    }

    public init(json: JSONValue) throws(CoverageDecodingError) {
        guard case let .int(cases)? = json["cases"], case let .object(events)? = json["events"],
              case let .object(targets)? = json["targets"] else { throw CoverageDecodingError() }
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
    public var description: String { "coverage must be {\"cases\": n, \"events\": {name: count}, \"targets\": {name: number}}" }
}
