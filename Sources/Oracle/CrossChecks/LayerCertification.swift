import Fast
import Reference

/// `oracle layer --exact`: every Double of Fast's layer matrix certified against the exact eq. (24) of its pair
/// (`SpectralDensityRatio.layer`; float weights and activations are dyadic rationals, so the exact value exists).
/// Each pair's error is judged against the budget `oracle fuzz` uses, 8·(⌈log₂N⌉ + 1)·u·(κ + 1) with κ the pair's
/// condition number (`Conditioning`): what a backward-stable float64 computation may lose there.
public struct LayerCertificate: Sendable, JSONRenderable {
    /// One pair's verdict.
    public struct Pair: Sendable {
        public let out: Int, `in`: Int
        /// The exact value; nil where ρ is undefined.
        public let exact: Rational?
        /// Fast's value; nil where Fast marked the pair undefined.
        public let double: Double?
        /// |double − exact| / |exact|, computed exactly; nil unless both are defined.
        public let relativeError: Double?
        /// κ of the pair, NaN where it was not needed: an error within the budget of κ = 0 (a lower bound of every
        /// budget) passes whatever κ is, so κ is computed for the pairs beyond it and those the report names.
        public let conditionNumber: Double
        /// The budget with κ, or with κ = 0 where κ was not needed.
        public let budget: Double
        /// Why the pair fails certification; nil when it passes.
        public let failure: String?
    }

    public let pairs: [Pair]
    public let seconds: Double

    /// The pairs that fail: beyond their budget, a value where ρ is undefined, or a resolvable ρ refused.
    public var failures: [Pair] { pairs.filter { $0.failure != nil } }

    /// The pair with the largest relative error.
    public var worst: Pair? {
        pairs.filter { $0.relativeError != nil }.max { $0.relativeError! < $1.relativeError! }
    }

    /// The pair furthest beyond (or nearest to) its budget, in budgets.
    public var furthest: Pair? {
        pairs.filter { $0.relativeError != nil && !$0.conditionNumber.isNaN }.max {
            $0.relativeError! / $0.budget < $1.relativeError! / $1.budget
        }
    }

    /// Certifies `fast` (Fast's matrix for these inputs) pair by pair; `progress` gets the output channels done.
    public static func certify(
        weights: [Double], weightShape: [Int], activations: [Double], activationShape: [Int], stride s: Int,
        convention: SDRConvention, fast: LayerSDR, progress: (Int) -> Void = { _ in }
    ) throws -> LayerCertificate {
        let clock = ContinuousClock(), start = clock.now
        let (cout, cin, h, w) = (weightShape[0], weightShape[1], weightShape[2], weightShape[3])
        let (b, m0, m1) = (activationShape[0], activationShape[2], activationShape[3])
        func images(_ values: [Double], count: Int, rows: Int, columns: Int) throws -> [RationalImage] {
            try (0..<count).map { k in
                try RationalImage(
                    rows: rows, columns: columns,
                    values: try values[(k * rows * columns)..<((k + 1) * rows * columns)].map {
                        try Rational(exactly: $0)
                    })
            }
        }
        let filters = try images(weights, count: cout * cin, rows: h, columns: w)
        let maps = try images(activations, count: b * cin, rows: m0, columns: m1)
        let exact = try SpectralDensityRatio.layer(
            filters: filters, outChannels: cout, inChannels: cin, maps: maps, stride: s,
            averaging: convention.averaging, activationGrid: convention.grid, progress: progress)
        let grid = (rows: s * m0, columns: s * m1)
        let length = grid.rows * grid.columns
        /// κ of pair k (a Double FFT per map, so computed only where a verdict or the report needs it).
        func kappa(_ k: Int, _ rho: Rational) -> Double {
            let channel = (0..<b).map { maps[$0 * cin + k % cin] }
            let gradient = Conditioning.gradient(
                filter: filters[k], grid: grid, samples: channel, convention: convention)
            let sensitivity = gradient?.sensitivity ?? .infinity
            return rho.isZero ? sensitivity : sensitivity / rho.magnitude.doubleValue
        }
        func budget(_ kappa: Double) -> Double {
            Conditioning.budget(conditionNumber: kappa, transformLength: length, precision: .float64)
        }
        // First every pair with κ unknown (NaN) and the budget of κ = 0, a lower bound of its own.
        var pairs: [Pair] = []
        var errors: [(k: Int, rho: Rational, error: Double)] = []
        for o in 0..<cout {
            for c in 0..<cin {
                let k = o * cin + c
                let double = fast.value(out: o, in: c)
                guard case .success(let rho) = exact[k] else {
                    pairs.append(
                        Pair(
                            out: o, in: c, exact: nil, double: double, relativeError: nil, conditionNumber: .nan,
                            budget: .nan, failure: double.map { "Fast answered \($0) where ρ is undefined" }))
                    continue
                }
                guard let double else {
                    // Fast refuses below (64u)² of an array's power, where no float64 route resolves ρ.
                    let channel = (0..<b).map { maps[$0 * cin + c] }
                    let pair = EstimatorCase.layer(
                        .init(filters: [filters[k]], outChannels: 1, inChannels: 1, maps: channel, stride: s))
                    let resolvable = Conditioning.resolvable(pair, precision: .float64, convention: convention)
                    pairs.append(
                        Pair(
                            out: o, in: c, exact: rho, double: nil, relativeError: nil, conditionNumber: .nan,
                            budget: .nan, failure: resolvable ? "Fast refused a resolvable ρ = \(rho)" : nil))
                    continue
                }
                let difference = try Rational(exactly: double) - rho
                let error =
                    rho.isZero ? difference.magnitude.doubleValue : (try difference / rho).magnitude.doubleValue
                errors.append((pairs.count, rho, error))
                pairs.append(
                    Pair(
                        out: o, in: c, exact: rho, double: double, relativeError: error, conditionNumber: .nan,
                        budget: budget(0), failure: nil))
            }
        }
        // κ where it matters: every pair beyond the κ = 0 budget (it may still pass), the worst error, and the pairs
        // that may be furthest in budgets — in decreasing E/B(0), until E/B(0) cannot beat the best E/B(κ) found.
        func settle(_ index: Int, _ rho: Rational) {
            let p = pairs[index]
            guard p.conditionNumber.isNaN, let error = p.relativeError else { return }
            let kappa = kappa(p.out * cin + p.in, rho), b = budget(kappa)
            pairs[index] = Pair(
                out: p.out, in: p.in, exact: p.exact, double: p.double, relativeError: error, conditionNumber: kappa,
                budget: b, failure: error > b ? "relative error \(error) beyond the budget \(b)" : nil)
        }
        let zeroBudget = budget(0)
        for e in errors where e.error > zeroBudget { settle(e.k, e.rho) }
        if let worst = errors.max(by: { $0.error < $1.error }) { settle(worst.k, worst.rho) }
        var best = 0.0
        for e in errors.sorted(by: { $0.error > $1.error }) {
            guard e.error / zeroBudget > best else { break }
            settle(e.k, e.rho)
            best = max(best, e.error / pairs[e.k].budget)
        }
        let elapsed = clock.now - start
        return LayerCertificate(
            pairs: pairs,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    public var json: JSONValue {
        func pair(_ p: Pair?) -> JSONValue {
            guard let p else { return .null }
            return .object([
                "out": .int(p.out), "in": .int(p.in), "exact": p.exact.map { .string($0.description) } ?? .null,
                "double": p.double.map(JSONValue.number) ?? .null,
                "relativeError": p.relativeError.map(JSONValue.number) ?? .null,
                "conditionNumber": .number(p.conditionNumber), "budget": .number(p.budget),
                "failure": p.failure.map(JSONValue.string) ?? .null,
            ])
        }
        return .object([
            "pairs": .int(pairs.count), "certified": .int(pairs.count - failures.count),
            "worst": pair(worst), "furthestInBudgets": pair(furthest),
            "failures": .array(failures.map(pair)), "seconds": .number(seconds),
        ])
    }
}
