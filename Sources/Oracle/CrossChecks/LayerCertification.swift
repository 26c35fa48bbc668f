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
        public let conditionNumber: Double
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
        pairs.filter { $0.relativeError != nil }.max {
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
        var pairs: [Pair] = []
        for o in 0..<cout {
            for c in 0..<cin {
                let k = o * cin + c
                let double = fast.value(out: o, in: c)
                let channel = (0..<b).map { maps[$0 * cin + c] }
                let pair = EstimatorCase.layer(
                    .init(filters: [filters[k]], outChannels: 1, inChannels: 1, maps: channel, stride: s))
                guard case .success(let rho) = exact[k] else {
                    pairs.append(
                        Pair(
                            out: o, in: c, exact: nil, double: double, relativeError: nil, conditionNumber: .nan,
                            budget: .nan,
                            failure: double.map { "Fast answered \($0) where ρ is undefined" }))
                    continue
                }
                let gradient = Conditioning.gradient(
                    filter: filters[k], grid: grid, samples: channel, convention: convention)
                let sensitivity = gradient?.sensitivity ?? .infinity
                let kappa = rho.isZero ? sensitivity : sensitivity / rho.magnitude.doubleValue
                let budget = Conditioning.budget(conditionNumber: kappa, transformLength: length, precision: .float64)
                guard let double else {
                    // Fast refuses below (64u)² of an array's power, where no float64 route resolves ρ.
                    let resolvable = Conditioning.resolvable(pair, precision: .float64, convention: convention)
                    pairs.append(
                        Pair(
                            out: o, in: c, exact: rho, double: nil, relativeError: nil, conditionNumber: kappa,
                            budget: budget, failure: resolvable ? "Fast refused a resolvable ρ = \(rho)" : nil))
                    continue
                }
                let difference = try Rational(exactly: double) - rho
                let error =
                    rho.isZero ? difference.magnitude.doubleValue : (try difference / rho).magnitude.doubleValue
                pairs.append(
                    Pair(
                        out: o, in: c, exact: rho, double: double, relativeError: error, conditionNumber: kappa,
                        budget: budget,
                        failure: error > budget ? "relative error \(error) beyond the budget \(budget)" : nil))
            }
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
