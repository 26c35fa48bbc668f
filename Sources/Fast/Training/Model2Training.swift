/// The training simulations of Sec. 3 and App. B.7–B.12, in Double. Nothing here uses libm: steps are
/// sums and products, so a seed gives the same bits on every IEEE-754 platform.
public enum Training {}

extension Training {
    /// The stochastic optimisers of App. B.8–B.9.
    public enum Algorithm: String, Sendable, CaseIterable, Codable {
        /// Algorithm 1: both gradients at (aₙ, bₙ).
        case sgd
        /// Algorithm 2 (ASGD): a is updated first and b's gradient is taken at (aₙ₊₁, bₙ).
        case asgd
    }

    /// One step of Algorithm 1 on ℓ(c; a, b) = |c − ab|² (eq. 11), gradients eqs. (18)–(19):
    /// aₙ₊₁ = aₙ + 2λbₙ(cₙ − aₙbₙ), bₙ₊₁ = bₙ + 2λaₙ(cₙ − aₙbₙ).
    @inlinable
    public static func sgdStep(a: Double, b: Double, c: Double, rate: Double) -> (a: Double, b: Double) {
        let r = c - a * b
        return (a + (2 * rate * b) * r, b + (2 * rate * a) * r)
    }

    /// One step of Algorithm 2 (App. B.9): aₙ₊₁ = aₙ + 2λbₙ(cₙ − aₙbₙ), bₙ₊₁ = bₙ + 2λaₙ₊₁(cₙ − aₙ₊₁bₙ).
    @inlinable
    public static func asgdStep(a: Double, b: Double, c: Double, rate: Double) -> (a: Double, b: Double) {
        let a1 = a + (2 * rate * b) * (c - a * b)
        return (a1, b + (2 * rate * a1) * (c - a1 * b))
    }

    @inlinable
    public static func step(_ algorithm: Algorithm, a: Double, b: Double, c: Double, rate: Double) -> (
        a: Double, b: Double
    ) {
        switch algorithm {
        case .sgd: return sgdStep(a: a, b: b, c: c, rate: rate)
        case .asgd: return asgdStep(a: a, b: b, c: c, rate: rate)
        }
    }

    /// L(a, b) = a² − b², the CTGD invariant (Prop. 8) that SGD contracts (Prop. 9).
    @inlinable
    public static func imbalance(a: Double, b: Double) -> Double { a * a - b * b }

    // MARK: Model 2

    /// Model 2 (eq. 9), X = diag(a) diag(b) Z, with Z_k = |N(0, 1)| (positive, E Z_k² = 1).
    public static func sampleModel2(a: [Double], b: [Double], rng: inout FastRandom) -> [Double] {
        precondition(a.count == b.count, "a and b are (d−1)-diagonals of one length")
        return (0..<a.count).map { a[$0] * b[$0] * abs(rng.normal()) }
    }

    /// SGD/ASGD on Model 2, vectorised over the d − 1 coordinates: each step samples C_k ~ N(c₀ₖ, σ²)
    /// independently for every coordinate (eq. 11) and updates every (a_k, b_k) (Sec. 3.2, last paragraph).
    public struct Model2Trainer: Sendable {
        public var a: [Double]
        public var b: [Double]
        public let c0: [Double]
        public let sigma: Double
        public let rate: Double
        public let algorithm: Algorithm
        public var rng: FastRandom
        public private(set) var steps = 0

        public init(
            a: [Double], b: [Double], c0: [Double], sigma: Double, rate: Double,
            algorithm: Algorithm = .sgd, seed: UInt64
        ) {
            precondition(a.count == b.count && b.count == c0.count, "a, b, c₀ must have one length")
            self.a = a; self.b = b; self.c0 = c0
            self.sigma = sigma; self.rate = rate; self.algorithm = algorithm
            rng = FastRandom(seed: seed)
        }

        /// One iteration of Algorithm 1 or 2 on every coordinate.
        public mutating func step() {
            for k in 0..<a.count {
                let c = rng.normal(mean: c0[k], sd: sigma)
                (a[k], b[k]) = Training.step(algorithm, a: a[k], b: b[k], c: c, rate: rate)
            }
            steps += 1
        }

        public mutating func run(steps n: Int) { for _ in 0..<n { step() } }

        /// ρ′(B, A) = ⟨a² ⊙ b²⟩ / (⟨a²⟩⟨b²⟩) (Prop. 5) of the current parameters.
        public var genericRatio: Double { Training.model2Ratio(a: a, b: b) }
    }

    /// ρ′(B, A) = ⟨a² ⊙ b²⟩ / (⟨a²⟩⟨b²⟩) (Prop. 5).
    public static func model2Ratio(a: [Double], b: [Double]) -> Double {
        var ab = 0.0, aa = 0.0, bb = 0.0
        for k in 0..<a.count {
            ab += a[k] * a[k] * b[k] * b[k]; aa += a[k] * a[k]; bb += b[k] * b[k]
        }
        let n = Double(a.count)
        return (ab / n) / ((aa / n) * (bb / n))
    }

    // MARK: Prop. 6, limit

    /// Prop. 6's SGD approximation A = B = √(A*B*) for a* ~ U[aLow, aHigh], b* ~ U[bLow, bHigh] i.i.d.:
    /// ρ′ = ⟨c²⟩/⟨c⟩² with c = a*b* over d − 1 coordinates (d prime in the paper; only d − 1 matters here).
    public static func squareRootSolutionRatio(
        coordinates n: Int, a: ClosedRange<Double>, b: ClosedRange<Double>,
        rng: inout FastRandom
    ) -> Double {
        var s1 = 0.0, s2 = 0.0
        for _ in 0..<n {
            let c = rng.uniform(a.lowerBound, a.upperBound) * rng.uniform(b.lowerBound, b.upperBound)
            let root = c.squareRoot()
            let x = root * root  // a_k b_k of A = B = √(A*B*), as Prop. 6 forms it
            s1 += x; s2 += x * x
        }
        let m = Double(n)
        return (s2 / m) / ((s1 / m) * (s1 / m))
    }

    /// E[c₁²]/E[c₁]² for c₁ = a*b*, a* ~ U[a], b* ~ U[b] independent: (E a² E b²)/(E a E b)² (Prop. 6's limit).
    public static func squareRootSolutionLimit(a: ClosedRange<Double>, b: ClosedRange<Double>) -> Double {
        func m1(_ r: ClosedRange<Double>) -> Double { (r.lowerBound + r.upperBound) / 2 }
        func m2(_ r: ClosedRange<Double>) -> Double {
            (r.lowerBound * r.lowerBound + r.lowerBound * r.upperBound + r.upperBound * r.upperBound) / 3
        }
        return (m2(a) * m2(b)) / ((m1(a) * m1(b)) * (m1(a) * m1(b)))
    }
}
