/// A distribution with finitely many outcomes and exact probabilities (equal outcomes merged).
public struct FiniteDistribution<Outcome: Hashable & Sendable>: Sendable, Hashable {
    public let probabilities: [Outcome: Rational]

    public init(_ pairs: [(Outcome, Rational)]) {
        var merged: [Outcome: Rational] = [:]
        for (x, p) in pairs where !p.isZero { merged[x, default: .zero] += p }
        probabilities = merged
    }

    /// E[f(X)].
    public func expectation(_ f: (Outcome) throws -> Rational) rethrows -> Rational {
        var sum = Rational.zero
        for (x, p) in probabilities { sum += p * (try f(x)) }
        return sum
    }
}

/// How S = Z_d^* stretches a kernel (Sec. 2.4, App. B.5).
public enum StretchReading: String, Sendable, CaseIterable, Codable {
    /// Kernels of length d on Z_d: (g·k)[m] = k[g m mod d].
    case modular
    /// Kernels of length 2d−1 on the signed indices {−d+1,…,d−1}: (g·k)(i) = k(sign(i)(g|i| mod d)).
    case signed

    /// The prime d for a kernel axis of length n under this reading.
    public func prime(forLength n: Int) throws(ReferenceError) -> Int {
        switch self {
        case .modular:
            guard Primes.isPrime(n) else { throw .notPrime(n) }
            return n
        case .signed:
            guard n % 2 == 1, Primes.isPrime((n + 1) / 2) else {
                throw .invalidArgument(
                    "a kernel axis of length \(n) is not 2d−1 for a prime d (valid: 3, 5, 9, 13, 21, …)")
            }
            return (n + 1) / 2
        }
    }
}

/// Model 1 (eq. 3): X = k₂ ⊛ k₁ ⊛ Z, Z a one-hot latent image whose pixel sits at i with probability π_i.
public struct Model1: Sendable, Hashable {
    public let k1: RationalImage
    public let k2: RationalImage
    /// π, the law of the latent pixel, same shape as the kernels.
    public let latent: RationalImage

    public init(k1: RationalImage, k2: RationalImage, latent: RationalImage) throws(ReferenceError) {
        guard k1.rows == k2.rows, k1.columns == k2.columns, latent.rows == k1.rows, latent.columns == k1.columns else {
            throw .shapeMismatch(
                "k₁ \(k1.rows)×\(k1.columns), k₂ \(k2.rows)×\(k2.columns) and π \(latent.rows)×\(latent.columns) must "
                    + "share one shape"
            )
        }
        guard latent.values.allSatisfy({ $0.signum >= 0 }), latent.values.reduce(Rational.zero, +) == .one else {
            throw .invalidArgument("π must be a probability vector: non-negative entries summing to 1")
        }
        self.k1 = k1
        self.k2 = k2
        self.latent = latent
    }

    /// A model whose latent pixel is always at the origin (Z a Dirac, Sec. 3.3).
    public init(k1: RationalImage, k2: RationalImage) throws(ReferenceError) {
        var pi = [Rational](repeating: .zero, count: k1.count)
        pi[0] = .one
        try self.init(k1: k1, k2: k2, latent: try RationalImage(rows: k1.rows, columns: k1.columns, values: pi))
    }

    /// The composite filter k₂ ⊛ k₁.
    public var composite: RationalImage {
        try! Signals.circularConvolution(k2, k1)  // shapes checked in init
    }

    /// D_θ: the law of X, a circular shift of k₂ ⊛ k₁ by the latent pixel (eq. 3).
    public var outputDistribution: FiniteDistribution<RationalImage> {
        let c = composite
        var pairs: [(RationalImage, Rational)] = []
        for r in 0..<latent.rows {
            for s in 0..<latent.columns {
                let p = latent[r, s]
                if p.isZero { continue }
                pairs.append((try! Signals.shifted(c, rows: r, columns: s), p))
            }
        }
        return FiniteDistribution(pairs)
    }

    /// ⟨|x̂|²⟩ for one image, by Parseval: Σ_u |x̂(u)|² = N Σ x², and |x̂(0)|² = (Σ x)².
    public static func averagePower(_ x: RationalImage, averaging: FrequencyAveraging = .nonZero) -> Rational {
        let n = x.count
        let total = Rational(n) * Signals.energy(x)
        switch averaging {
        case .all: return total.divided(byNonZero: n)
        case .nonZero:
            guard n > 1 else { return .zero }
            return (total - x.sum.squared).divided(byNonZero: n - 1)
        }
    }

    /// The power contrast P(X) = E⟨|X̂|²⟩ of a distribution (eq. 7).
    public static func powerContrast(
        _ distribution: FiniteDistribution<RationalImage>,
        averaging: FrequencyAveraging = .nonZero
    ) -> Rational {
        distribution.expectation { averagePower($0, averaging: averaging) }
    }

    /// The group acting on this model's kernels under a reading (d×d′ in 2D).
    public func stretchGroup(_ reading: StretchReading) throws(ReferenceError) -> StretchGroup2D {
        let d = try reading.prime(forLength: k1.columns)
        let e = k1.rows == 1 ? 2 : try reading.prime(forLength: k1.rows)
        return try StretchGroup2D(e, d)
    }

    /// g·k: the stretch of a kernel, g acting on both axes (Sec. 2.4: (g·k)(m,n) = k(gm, gn)).
    public static func stretch(_ k: RationalImage, by g: Int, reading: StretchReading) throws(ReferenceError)
        -> RationalImage
    {
        let values: [Rational]
        switch reading {
        case .modular:
            let d = try reading.prime(forLength: k.columns)
            if k.rows == 1 {
                values = try StretchGroup(d).stretch(k.values, by: g)
            } else {
                let e = try reading.prime(forLength: k.rows)
                values = try StretchGroup2D(e, d).stretch(k.values, by: g % e == 0 ? 1 : g % e, g % d)
            }
        case .signed:
            let d = try reading.prime(forLength: k.columns)
            if k.rows == 1 {
                values = try StretchGroup(d).stretchSigned(k.values, by: g)
            } else {
                let e = try reading.prime(forLength: k.rows)
                values = try StretchGroup2D(e, d).stretchSigned(k.values, by: g % e == 0 ? 1 : g % e, g % d)
            }
        }
        return try RationalImage(rows: k.rows, columns: k.columns, values: values)
    }

    /// The group elements used for the Haar average: Z_d^* for the column axis's prime d.
    public func groupElements(_ reading: StretchReading) throws(ReferenceError) -> [Int] {
        try StretchGroup(try reading.prime(forLength: k1.columns)).elements
    }

    /// The model with k₁ replaced by g·k₁ (eq. 5's intervention).
    public func intervened(by g: Int, reading: StretchReading) throws(ReferenceError) -> Model1 {
        try Model1(k1: Self.stretch(k1, by: g, reading: reading), k2: k2, latent: latent)
    }

    /// M^S_θ = {D_(g·k₁, k₂) : g ∈ S} (eq. 5).
    public func extrapolatedClass(_ reading: StretchReading) throws(ReferenceError) -> Set<
        FiniteDistribution<RationalImage>
    > {
        var result = Set<FiniteDistribution<RationalImage>>()
        for g in try groupElements(reading) {
            result.insert(try intervened(by: g, reading: reading).outputDistribution)
        }
        return result
    }

    /// S-equivalence (Def. 1): the two extrapolated classes are equal, decided exactly.
    public func isEquivalent(to other: Model1, _ reading: StretchReading) throws(ReferenceError) -> Bool {
        try extrapolatedClass(reading) == other.extrapolatedClass(reading)
    }

    /// The generic ratio of Def. 2 computed literally with φ = P:
    /// P(D_(k₁,k₂)) / E_{g∼μ_S} P(D_(g·k₁,k₂)) (eq. 6). Undefined (typed error) when the average vanishes.
    public func genericRatio(_ reading: StretchReading, averaging: FrequencyAveraging = .nonZero) throws(ReferenceError)
        -> Rational
    {
        let numerator = Self.powerContrast(outputDistribution, averaging: averaging)
        let elements = try groupElements(reading)
        var sum = Rational.zero
        for g in elements {
            sum += Self.powerContrast(try intervened(by: g, reading: reading).outputDistribution, averaging: averaging)
        }
        let average = sum.divided(byNonZero: elements.count)
        guard !average.isZero else {
            throw .undefined(
                "the Haar average of the contrast is 0 (k₂ ⊛ g·k₁ has no power at the averaged frequencies for every "
                    + "g), so the generic ratio is 0/0"
            )
        }
        return try numerator / average
    }
}

extension RationalImage {
    /// Σ of all entries: the zero-frequency coefficient of the DFT.
    public var sum: Rational { values.reduce(Rational.zero, +) }
}
