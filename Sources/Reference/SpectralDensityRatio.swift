extension RationalImage {
    /// A 1D kernel (1×n).
    public init(_ values: [Rational]) throws(ReferenceError) {
        try self.init(rows: 1, columns: values.count, values: values)
    }

    public var count: Int { values.count }
    public var isOneDimensional: Bool { rows == 1 }
    public var isZero: Bool { values.allSatisfy(\.isZero) }

    /// Compact text: "[1,2,3]" in 1D, "2x3[…]" in 2D.
    public var compactDescription: String {
        let text = values.map(\.description).joined(separator: ",")
        return rows == 1 ? "[\(text)]" : "\(rows)x\(columns)[\(text)]"
    }

    /// The circular autocorrelation r(τ) = Σ_m k[m] k[m+τ] (2D: over both axes), so |k̂(u)|² = Σ_τ r(τ) ζ^{uτ}.
    public var autocorrelation: [Rational] {
        var result = [Rational](repeating: .zero, count: count)
        for a in 0..<rows {
            for b in 0..<columns {
                var sum = Rational.zero
                for m in 0..<rows {
                    for n in 0..<columns {
                        let x = values[m * columns + n]
                        if x.isZero { continue }
                        let y = values[((m + a) % rows) * columns + (n + b) % columns]
                        if !y.isZero { sum += x * y }
                    }
                }
                result[a * columns + b] = sum
            }
        }
        return result
    }

}

/// The Spectral Density Ratio ρ(k₁,k₂) = ⟨|k̂₁|²|k̂₂|²⟩ / (⟨|k̂₁|²⟩⟨|k̂₂|²⟩) (eq. 8), exactly.
public enum SpectralDensityRatio {
    /// The three averages the SDR is made of, each exact.
    public struct Parts: Sendable, Hashable {
        /// ⟨|k̂₁ ⊙ k̂₂|²⟩.
        public let jointPower: Rational
        /// ⟨|k̂₁|²⟩.
        public let firstPower: Rational
        /// ⟨|k̂₂|²⟩.
        public let secondPower: Rational

        /// The ratio; undefined (typed error) when a denominator average vanishes.
        public func ratio() throws(ReferenceError) -> Rational {
            guard !firstPower.isZero, !secondPower.isZero else {
                throw .undefined(
                    "the SDR needs ⟨|k̂₁|²⟩ and ⟨|k̂₂|²⟩ non-zero, got \(firstPower) and \(secondPower): a kernel with "
                        + "no power at the averaged frequencies (zero, or constant when the zero frequency is "
                        + "excluded) has no SDR"
                )
            }
            return try jointPower / (firstPower * secondPower)
        }
    }

    static func checkShapes(_ k1: RationalImage, _ k2: RationalImage) throws(ReferenceError) {
        guard k1.rows == k2.rows, k1.columns == k2.columns else {
            throw .shapeMismatch(
                "k₁ is \(k1.rows)×\(k1.columns) and k₂ is \(k2.rows)×\(k2.columns): the SDR compares kernels of one "
                    + "shape"
            )
        }
        if k1.isZero || k2.isZero {
            throw .undefined("the SDR of a zero kernel: ⟨|k̂|²⟩ = 0, so ρ is 0/0; give a kernel with a non-zero entry")
        }
    }

    /// Route 1, the definition, entirely in Q: autocorrelations (O(N²)) and Parseval; `parts` is the fast route.
    /// Σ_u |k̂₁(u)|²|k̂₂(u)|² = N Σ_τ r₁(τ) r₂(−τ) and Σ_u |k̂(u)|² = N r(0), N the number of grid points;
    /// the zero frequency contributes (Σk₁)²(Σk₂)² and (Σk)².
    public static func partsByAutocorrelation(
        _ k1: RationalImage, _ k2: RationalImage,
        averaging: FrequencyAveraging = .nonZero
    ) throws(ReferenceError) -> Parts {
        try checkShapes(k1, k2)
        let n = k1.count
        let r1 = k1.autocorrelation, r2 = k2.autocorrelation
        var cross = Rational.zero
        for tau in 0..<n where !r1[tau].isZero {
            // r₂(−τ) = r₂(τ) for real kernels; index −τ explicitly all the same.
            let a = tau / k1.columns, b = tau % k1.columns
            let minus = ((k1.rows - a) % k1.rows) * k1.columns + (k1.columns - b) % k1.columns
            cross += r1[tau] * r2[minus]
        }
        let size = Rational(n)
        var joint = size * cross, first = size * r1[0], second = size * r2[0]
        var frequencies = n
        if averaging == .nonZero {
            guard n >= 2 else { throw .undefined("a kernel of one point has no non-zero frequency to average over") }
            let s1 = k1.sum.squared, s2 = k2.sum.squared
            joint -= s1 * s2
            first -= s1
            second -= s2
            frequencies -= 1
        }
        return Parts(
            jointPower: joint.divided(byNonZero: frequencies),
            firstPower: first.divided(byNonZero: frequencies),
            secondPower: second.divided(byNonZero: frequencies))
    }

}

extension SpectralDensityRatio {
    /// Route 2, in Q(ζ_d) with the Galois action, for 1D kernels of prime length d:
    /// k̂(u) = σ_u(k̂(1)) for u ∈ Z_d^* (the stretching group is the Galois group), so
    /// Σ_{u≠0} |k̂₁(u)|²|k̂₂(u)|² = Tr(|k̂₁(1)|²|k̂₂(1)|²) and Σ_{u≠0} |k̂(u)|² = Tr(|k̂(1)|²);
    /// the zero frequency k̂(0) = Σk is rational.
    public static func partsByGalois(
        _ k1: RationalImage, _ k2: RationalImage,
        averaging: FrequencyAveraging = .nonZero
    ) throws(ReferenceError) -> Parts {
        try checkShapes(k1, k2)
        guard k1.rows == 1 else {
            throw .invalidArgument("the Galois route is for 1D kernels; use the autocorrelation route in 2D")
        }
        let d = k1.columns
        guard Primes.isPrime(d) else { throw .notPrime(d) }
        let field = try CyclotomicField(order: d)
        // k̂(1) = Σ_j k[j] ζ^{−j}.
        func firstCoefficient(_ k: RationalImage) throws(ReferenceError) -> Cyclotomic {
            var exponents = [Rational](repeating: .zero, count: d)
            for (j, x) in k.values.enumerated() { exponents[Primes.mod(-j, d)] += x }
            return try Cyclotomic(exponentCoefficients: exponents, in: field)
        }
        let p1 = try firstCoefficient(k1).squaredModulus, p2 = try firstCoefficient(k2).squaredModulus
        var joint = try (p1 * p2).trace, first = p1.trace, second = p2.trace
        var frequencies = d - 1
        if averaging == .all {
            let s1 = k1.sum.squared, s2 = k2.sum.squared
            joint += s1 * s2
            first += s1
            second += s2
            frequencies = d
        }
        return Parts(
            jointPower: joint.divided(byNonZero: frequencies),
            firstPower: first.divided(byNonZero: frequencies),
            secondPower: second.divided(byNonZero: frequencies))
    }
}

extension SpectralDensityRatio {
    /// Route 3, any shape: the DFTs in Q(ζ_m) (m = lcm of the sides) and the frequency sums taken
    /// directly — slow, but independent of the autocorrelation identities. Used to cross-check route 1 in 2D.
    public static func partsByFourier(
        _ k1: RationalImage, _ k2: RationalImage,
        averaging: FrequencyAveraging = .nonZero
    ) throws(ReferenceError) -> Parts {
        try checkShapes(k1, k2)
        let f1 = try ExactDFT.forward2D(k1).values.map(\.squaredModulus)
        let f2 = try ExactDFT.forward2D(k2).values.map(\.squaredModulus)
        let start = averaging == .nonZero ? 1 : 0
        guard f1.count > start else {
            throw .undefined("a kernel of one point has no non-zero frequency to average over")
        }
        var joint = Cyclotomic(0, in: f1[0].field), first = joint, second = joint
        for u in start..<f1.count {
            joint = try joint + f1[u] * f2[u]
            first = try first + f1[u]
            second = try second + f2[u]
        }
        guard let j = joint.rationalValue, let a = first.rationalValue, let b = second.rationalValue else {
            throw .invalidArgument("a frequency sum of squared moduli is not rational: the DFT route is inconsistent")
        }
        let count = f1.count - start
        return Parts(
            jointPower: j.divided(byNonZero: count), firstPower: a.divided(byNonZero: count),
            secondPower: b.divided(byNonZero: count))
    }
}
