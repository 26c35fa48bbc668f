/// A forward-mode dual number over Q: a value and its gradient with respect to n inputs, exactly.
public struct Dual: Sendable, Hashable, CustomStringConvertible {
    public var value: Rational
    public var gradient: [Rational]

    public init(_ value: Rational, gradient: [Rational]) {
        self.value = value
        self.gradient = gradient
    }

    /// A constant in a space of n inputs.
    public static func constant(_ value: Rational, inputs n: Int) -> Dual {
        Dual(value, gradient: [Rational](repeating: .zero, count: n))
    }

    /// Input number `index` of n, with value `value`.
    public static func input(_ value: Rational, index: Int, inputs n: Int) -> Dual {
        var g = [Rational](repeating: .zero, count: n)
        g[index] = .one
        return Dual(value, gradient: g)
    }

    public static func + (a: Dual, b: Dual) -> Dual {
        Dual(a.value + b.value, gradient: zip(a.gradient, b.gradient).map { $0 + $1 })
    }

    public static func - (a: Dual, b: Dual) -> Dual {
        Dual(a.value - b.value, gradient: zip(a.gradient, b.gradient).map { $0 - $1 })
    }

    public static prefix func - (a: Dual) -> Dual { Dual(-a.value, gradient: a.gradient.map { -$0 }) }

    public static func * (a: Dual, b: Dual) -> Dual {
        Dual(a.value * b.value, gradient: zip(a.gradient, b.gradient).map { a.value * $1 + b.value * $0 })
    }

    public static func * (r: Rational, a: Dual) -> Dual { Dual(r * a.value, gradient: a.gradient.map { r * $0 }) }

    /// a / b by the quotient rule; b = 0 is a typed error.
    public func divided(by b: Dual) throws(ReferenceError) -> Dual {
        let inverse = try b.value.reciprocal()
        let q = value * inverse
        return Dual(q, gradient: zip(gradient, b.gradient).map { ($0 - q * $1) * inverse })
    }

    public var squared: Dual { self * self }

    public var description: String { "\(value) + ⟨\(gradient.map(\.description).joined(separator: ", "))⟩ε" }
}

/// Exact losses with their gradients (dual numbers over Q), for checking analytic gradients.
public enum ExactGradients {
    /// Eq. (10)/(11): ℓ(c; a, b) = |c − ab|², with ∇ = (−2b(c − ab), −2a(c − ab)) (eqs. 18–19).
    public static func leastSquares(c: Rational, a: Rational, b: Rational) -> Dual {
        let da = Dual.input(a, index: 0, inputs: 2), db = Dual.input(b, index: 1, inputs: 2)
        return (Dual.constant(c, inputs: 2) - da * db).squared
    }

    /// Model 2 least squares summed over coordinates: Σ_k |c_k − a_k b_k|², gradient over (a, b).
    public static func leastSquares(c: [Rational], a: [Rational], b: [Rational]) throws(ReferenceError) -> Dual {
        guard c.count == a.count, a.count == b.count else {
            throw .shapeMismatch("c, a and b have lengths \(c.count), \(a.count), \(b.count): they must agree")
        }
        let n = 2 * a.count
        var total = Dual.constant(.zero, inputs: n)
        for k in 0..<a.count {
            let da = Dual.input(a[k], index: k, inputs: n), db = Dual.input(b[k], index: a.count + k, inputs: n)
            total = total + (Dual.constant(c[k], inputs: n) - da * db).squared
        }
        return total
    }

    /// Eq. (13)'s right side as a function of the spatial k₂ (k₁ fixed):
    /// L(k₂) = ⟨|k̂₂|² ⊙ (|k̂₁|²/⟨|k̂₁|²⟩ − 1)⟩² = (J/P₁ − P₂)², with J = ⟨|k̂₁|²|k̂₂|²⟩, P_i = ⟨|k̂_i|²⟩,
    /// each a polynomial in k₂ through the autocorrelation identities (see `SpectralDensityRatio`).
    public static func sdrLoss(
        k1: RationalImage, k2: RationalImage,
        averaging: FrequencyAveraging = .nonZero
    ) throws(ReferenceError) -> Dual {
        guard k1.rows == k2.rows, k1.columns == k2.columns else {
            throw .shapeMismatch("k₁ is \(k1.rows)×\(k1.columns) and k₂ is \(k2.rows)×\(k2.columns)")
        }
        let n = k2.count
        let x = k2.values.enumerated().map { Dual.input($0.element, index: $0.offset, inputs: n) }
        let r1 = k1.autocorrelation
        // r₂(τ) as duals.
        var r2: [Dual] = []
        for a in 0..<k2.rows {
            for b in 0..<k2.columns {
                var sum = Dual.constant(.zero, inputs: n)
                for m in 0..<k2.rows {
                    for c in 0..<k2.columns {
                        sum = sum + x[m * k2.columns + c] * x[((m + a) % k2.rows) * k2.columns + (c + b) % k2.columns]
                    }
                }
                r2.append(sum)
            }
        }
        let size = Rational(n)
        var joint = Dual.constant(.zero, inputs: n)
        for tau in 0..<n where !r1[tau].isZero {
            let a = tau / k2.columns, b = tau % k2.columns
            let minus = ((k2.rows - a) % k2.rows) * k2.columns + (k2.columns - b) % k2.columns
            joint = joint + (size * r1[tau]) * r2[minus]
        }
        var first = Dual.constant(size * r1[0], inputs: n)
        var second = size * r2[0]
        var frequencies = n
        if averaging == .nonZero {
            let s1 = k1.sum.squared
            var s2 = Dual.constant(.zero, inputs: n)
            for v in x { s2 = s2 + v }
            joint = joint - s1 * s2.squared
            first = first - Dual.constant(s1, inputs: n)
            second = second - s2.squared
            frequencies -= 1
        }
        let scale = Rational(frequencies)
        let inverseScale = try scale.reciprocal()
        joint = inverseScale * joint
        first = inverseScale * first
        second = inverseScale * second
        guard !first.value.isZero else {
            throw .undefined("⟨|k̂₁|²⟩ = 0: eq. (13) divides by it; k₁ needs power at the averaged frequencies")
        }
        return (try joint.divided(by: first) - second).squared
    }
}
