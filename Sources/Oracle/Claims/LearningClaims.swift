import Reference

/// Sec. 3 and App. B.7–B.8: Model 2's contrast and ratio (Prop. 5, 6, 7), gradient dynamics (Prop. 8, 9),
/// and the Fourier bridges to Model 1 (eqs. 12, 13). The simulation claims are in `StatClaims`.
enum LearningClaims: ClaimSection {
    static let title = "Learning (Sec. 3, Prop. 5–9, eq. 12–13)"
    /// The section's one list: a reading is registered by being here.
    static var readings: [ClaimReading] {
        phiTilde + prop5 + prop7 + prop6 + prop8 + uniqueLimit + recursion + prop9 + prop9Correlated + eq12 + eq13
            + driftLimit
    }

    struct DiagonalPair: Sendable, JSONRenderable {
        let a: [Rational], b: [Rational]
        var d: Int { a.count + 1 }
        var json: JSONValue { .object(["d": .int(d), "a": a.json, "b": b.json]) }
    }

    /// Positive (d−1)-diagonals for a prime d.
    static var diagonalPair: Gen<DiagonalPair> {
        Domain.prime(in: 2...31).flatMap { d in
            Gen.zip(Domain.positiveDiagonal(length: d - 1), Domain.positiveDiagonal(length: d - 1)).map {
                DiagonalPair(a: $0.0, b: $0.1)
            }
        }
    }

    /// τ[ABBᵀAᵀ] with τ = Tr/(d−1), by multiplying the full matrices (an independent route to φ̃).
    static func normalisedTrace(a: [Rational], b: [Rational], normaliser: Int) -> Rational {
        let n = a.count
        let diag: ([Rational]) -> [[Rational]] = { v in (0..<n).map { i in (0..<n).map { $0 == i ? v[i] : .zero } } }
        let multiply: ([[Rational]], [[Rational]]) -> [[Rational]] = { x, y in
            (0..<n).map { i in (0..<n).map { j in (0..<n).reduce(Rational.zero) { $0 + x[i][$1] * y[$1][j] } } }
        }
        let transpose: ([[Rational]]) -> [[Rational]] = { x in (0..<n).map { i in (0..<n).map { x[$0][i] } } }
        let (A, B) = (diag(a), diag(b))
        let m = multiply(multiply(multiply(A, B), transpose(B)), transpose(A))
        return (0..<n).reduce(Rational.zero) { $0 + m[$1][$1] }.divided(byNonZero: normaliser)
    }

    /// The three expressions of φ̃: τ[ABBᵀAᵀ] = Tr/normaliser, Σ a_i² b_i² / normaliser, and ⟨a² ⊙ b²⟩.
    static func phiTildeSides(_ p: DiagonalPair, normaliser: Int) -> (tau: Rational, sum: Rational, mean: Rational) {
        let tau = normalisedTrace(a: p.a, b: p.b, normaliser: normaliser)
        let sum = zip(p.a, p.b).reduce(Rational.zero) { $0 + ($1.0 * $1.1).squared }.divided(byNonZero: normaliser)
        return (tau, sum, Model2.traceContrast(a: p.a, b: p.b))
    }

    static var phiTilde: [ClaimReading] {
        [
            .property(
                id: "phi-tilde", reading: "printed",
                statement:
                    "φ̃(B,A) = τ[ABBᵀAᵀ] = (1/(d−1)) Σ_{i=1}^{d} a_i² b_i² = ⟨a² ⊙ b²⟩, read with the sum's range: "
                    + "diagonals of d entries, τ = Tr/(d−1), ⟨·⟩ the mean over the entries.",
                expected: .refuted, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: Domain.prime(in: 2...31).flatMap { d in
                    Gen.zip(Domain.positiveDiagonal(length: d), Domain.positiveDiagonal(length: d)).map {
                        DiagonalPair(a: $0.0, b: $0.1)
                    }
                },
                render: { .object(["d": .int($0.a.count), "a": $0.a.json, "b": $0.b.json]) },
                sides: { p in
                    let s = phiTildeSides(p, normaliser: p.a.count - 1)
                    let tau: ClaimReading.Side = ClaimReading.Side("τ[ABBᵀAᵀ], τ = Tr/(d−1)", s.tau)
                    let sum: ClaimReading.Side = ClaimReading.Side("(1/(d−1)) Σ_{i=1}^{d} a_i² b_i²", s.sum)
                    let mean: ClaimReading.Side = ClaimReading.Side("⟨a² ⊙ b²⟩, the mean over the d entries", s.mean)
                    return s.tau != s.sum ? [tau, sum, mean] : [sum, mean, tau]
                },
                check: { p in
                    let s = phiTildeSides(p, normaliser: p.a.count - 1)
                    return s.tau == s.sum && s.sum == s.mean
                }),
            .property(
                id: "phi-tilde", reading: "dimension-d-minus-1",
                statement: "For Model 2's (d−1)-diagonals: τ[ABBᵀAᵀ] = (1/(d−1)) Σ_{i=1}^{d−1} a_i² b_i² = ⟨a² ⊙ b²⟩.",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: diagonalPair, render: { $0.json },
                check: { p in
                    let s = phiTildeSides(p, normaliser: p.d - 1)
                    return s.tau == s.sum && s.sum == s.mean
                }),
        ]
    }

    static var prop5: [ClaimReading] {
        [
            .property(
                id: "prop5", reading: "printed",
                statement:
                    "In Model 2 the S-generic ratio w.r.t. φ̃ (Def. 2 computed literally, S acting on B = f₁) is "
                    + "ρ′(B,A) = ⟨a²⊙b²⟩/(⟨a²⟩⟨b²⟩).",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: diagonalPair, render: { $0.json },
                check: { p in
                    let model = try Model2(a: p.a, b: p.b)
                    return try model.genericRatio() == Model2.ratio(a: p.a, b: p.b)
                })
        ]
    }

    // MARK: prop7

    enum DiagonalFamily: String, Sendable, CaseIterable { case scaling, stretch, random }

    struct EquivalenceCase: Sendable, JSONRenderable {
        let aStar: [Rational], bStar: [Rational], family: DiagonalFamily, a: [Rational]
        var json: JSONValue {
            .object(["a*": aStar.json, "b*": bStar.json, "family": .string(family.rawValue), "a": a.json])
        }
    }

    static var equivalenceCase: Gen<EquivalenceCase> {
        Domain.prime(in: 2...31).flatMap { d in
            Gen.zip(
                Domain.positiveDiagonal(length: d - 1), Domain.positiveDiagonal(length: d - 1),
                Gen.element(of: DiagonalFamily.allCases)
            )
            .flatMap { aStar, bStar, family in
                let a: Gen<[Rational]>
                switch family {
                case .scaling: a = Domain.positiveRational().map { l in aStar.map { $0 * l } }
                case .stretch:
                    a = Domain.groupElement(d).map { h in try Model2.stretch(aStar, by: h, in: try StretchGroup(d)) }
                case .random: a = Domain.positiveDiagonal(length: d - 1)
                }
                return a.map { EquivalenceCase(aStar: aStar, bStar: bStar, family: family, a: $0) }
            }
        }
    }

    /// For the solution (a, c*/a): S-equivalence (decided on the extrapolated classes) ⟺ a = λ⁻¹a* for one λ > 0.
    static func equivalenceMatchesScaling(_ c: EquivalenceCase, actingOn acted: Model2.ActedOn) throws -> Bool {
        let truth = try Model2(a: c.aStar, b: c.bStar)
        let b = try zip(truth.outputScales, c.a).map { try $0 / $1 }
        let candidate = try Model2(a: c.a, b: b)
        let ratios = try zip(c.aStar, c.a).map { try $0 / $1 }
        return try candidate.isEquivalent(to: truth, actingOn: acted) == ratios.allSatisfy { $0 == ratios[0] }
    }

    static var prop7: [ClaimReading] {
        [
            .property(
                id: "prop7", reading: "printed",
                statement:
                    "Model 2 with S acting on A as Prop. 7 prints: a solution (A,B) is S-equivalent to (A*,B*) iff "
                    + "(A,B) = (λ⁻¹A*, λB*) for some λ > 0.",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: equivalenceCase, render: { $0.json }, check: { try equivalenceMatchesScaling($0, actingOn: .a) }),
            .property(
                id: "prop7", reading: "acting-on-b",
                statement: "The same with S acting on B = f₁, as eq. (5) defines the extrapolated class.",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: equivalenceCase, render: { $0.json }, check: { try equivalenceMatchesScaling($0, actingOn: .b) }),
        ]
    }

    // MARK: prop6 (finite d)

    /// A finite joint law of the diagonal entries (a*ₖ, b*ₖ), i.i.d. over k: support points (aᵢ, bᵢ) with
    /// probabilities pᵢ (a* and b* are dependent in general); `constantProduct` draws bᵢ = κ/aᵢ on every point.
    struct JointLaw: Sendable, JSONRenderable {
        let a: [Rational], b: [Rational], p: [Rational], constantProduct: Bool
        var c: [Rational] { zip(a, b).map { $0 * $1 } }
        var json: JSONValue {
            .object(["a*": a.json, "b*": b.json, "probabilities": p.json, "constantProduct": .bool(constantProduct)])
        }
        /// E[f] under the law.
        func mean(_ f: [Rational]) -> Rational { zip(f, p).reduce(.zero) { $0 + $1.0 * $1.1 } }
        /// Non-constant as a random variable: two support points of positive probability with different values.
        static func varies(_ x: [Rational], _ p: [Rational]) -> Bool {
            Set(zip(x, p).filter { !$0.1.isZero }.map(\.0)).count > 1
        }
        /// E[c²]/E[c]², the limit of ρ′(B, A) for A = B = √(A*B*) as d → ∞ (Prop. 6, law of large numbers).
        var limit: Rational { (try? mean(c.map(\.squared)) / mean(c).squared) ?? .zero }
    }

    static var jointLaw: Gen<JointLaw> {
        Gen.zip(Gen.int(in: 2...4), Gen.bool).flatMap { n, constantProduct in
            Gen.zip(
                Domain.vector(length: n, entry: Domain.positiveRational()),
                Domain.vector(length: n, entry: Domain.positiveRational()),
                Domain.probability(rows: 1, columns: n), Domain.positiveRational()
            )
            .map { a, b, p, product in
                JointLaw(
                    a: a, b: constantProduct ? try a.map { try product / $0 } : b, p: p.values,
                    constantProduct: constantProduct)
            }
        }
    }

    static var prop6: [ClaimReading] {
        [
            .property(
                id: "prop6", reading: "limit-any-joint-law",
                statement:
                    "Prop. 6's limit for diagonals i.i.d. over the coordinates but with a*ₖ, b*ₖ possibly dependent: "
                    + "whenever the laws of a* and b* are not constant, E[c²]/E[c]² > 1 (c = a*b*).",
                expected: .refuted, cases: 200, gen: jointLaw, render: { $0.json },
                classify: { l in
                    [.nonTrivial(l.constantProduct), .event(l.constantProduct ? "constant product" : "free")]
                },
                nonTrivialShare: 0.3,
                sides: { l in
                    [ClaimReading.Side("E[c²]/E[c]²", l.limit), ClaimReading.Side("1", Rational.one)]
                },
                check: { l in
                    guard JointLaw.varies(l.a, l.p), JointLaw.varies(l.b, l.p) else { throw Discard("a constant law") }
                    return l.limit > 1
                }),
            .property(
                id: "prop6", reading: "limit-independent",
                statement:
                    "Prop. 6's limit with a* and b* independent (the product law of two finite marginals), both not "
                    + "constant: E[c²]/E[c]² = E[a²]E[b²]/(E[a]²E[b]²) > 1.",
                expected: .holds, cases: 200, gen: jointLaw, render: { $0.json },
                classify: { l in [.nonTrivial(l.a.count >= 3)] }, nonTrivialShare: 0.3,
                check: { l in
                    // The product law of the two marginals (a with p, b with p): every pair (aᵢ, bⱼ) with pᵢpⱼ.
                    guard JointLaw.varies(l.a, l.p), JointLaw.varies(l.b, l.p) else { throw Discard("a constant law") }
                    var pairs: [(Rational, Rational)] = []
                    for i in l.a.indices { for j in l.b.indices { pairs.append((l.a[i] * l.b[j], l.p[i] * l.p[j])) } }
                    let mean = pairs.reduce(Rational.zero) { $0 + $1.0 * $1.1 }
                    let second = pairs.reduce(Rational.zero) { $0 + $1.0.squared * $1.1 }
                    return try second / mean.squared > 1
                }),
            .property(
                id: "prop6", reading: "limit-iff-product-varies",
                statement:
                    "For any finite joint law of (a*ₖ, b*ₖ), i.i.d. over k: E[c²]/E[c]² ≥ 1, with equality iff c = "
                    + "a*b* "
                    + "is almost surely constant — so the limit exceeds 1 exactly when the product varies.",
                expected: .holds, cases: 200, gen: jointLaw, render: { $0.json },
                classify: { l in [.nonTrivial(JointLaw.varies(l.c, l.p) || l.constantProduct)] }, nonTrivialShare: 0.5,
                check: { l in
                    let varies = JointLaw.varies(l.c, l.p)
                    return l.limit >= 1 && (l.limit == 1) == !varies
                }),
            .property(
                id: "prop6", reading: "finite-d",
                statement:
                    "For every d: A = B = √(A*B*) (s = √c, c = a*⊙b*) gives ρ′(B,A) = ⟨c²⟩/⟨c⟩² ≥ 1, with equality iff "
                    + "c is constant — so this solution is not S-generic unless c is constant.",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: Domain.prime(in: 2...31).flatMap { d in Domain.positiveDiagonal(length: d - 1) },
                render: { .object(["sqrt(c)": $0.json]) },
                check: { s in
                    let c = s.map(\.squared)
                    let rho = try Model2.ratio(a: s, b: s)
                    let formula = try Model2.mean(c.map(\.squared)) / Model2.mean(c).squared
                    let constant = c.allSatisfy { $0 == c[0] }
                    return rho == formula && (constant ? rho == 1 : rho > 1)
                }),
        ]
    }

    // MARK: prop8, prop9.recursion, prop9 — polynomial identities in a, b, c, λ

    static let (a, b, c, lambda) = (
        MultivariatePolynomial.variable(0), MultivariatePolynomial.variable(1),
        MultivariatePolynomial.variable(2), MultivariatePolynomial.variable(3)
    )
    static let L = a * a - b * b
    static let residual = c - a * b

    static var prop8: [ClaimReading] {
        [
            .identity(
                id: "prop8", reading: "printed",
                statement:
                    "Under CTGD (eqs. 20–21: ȧ = 2b(c − ab), ḃ = 2a(c − ab), the gradient flow of (c − ab)²) "
                    + "L = a² − b² is invariant (dL/dt ≡ 0 as a polynomial), the stationary points are S_c = {ab = c} "
                    + "(b·ȧ + a·ḃ = 2(a² + b²)(c − ab)), and the residual decays: d(c − ab)/dt = −2(a² + b²)(c − ab). "
                    + "(The uniqueness of the limit point is `prop8/unique-limit`; the numerical limit `prop8/limit`.)",
                expected: .holds,
                decide: {
                    let aDot = Rational(2) * (b * residual), bDot = Rational(2) * (a * residual)
                    let derivative = L.derivative(0) * aDot + L.derivative(1) * bDot
                    // eqs. 20–21 are the gradient flow of ℓ = (c − ab)²: ȧ = −∂ℓ/∂a, ḃ = −∂ℓ/∂b.
                    let loss = residual * residual
                    let gradientFlow = (aDot + loss.derivative(0)).isZero && (bDot + loss.derivative(1)).isZero
                    // Stationary iff c = ab (for (a, b) ≠ 0): b·ȧ + a·ḃ = 2(a² + b²)(c − ab), so ȧ = ḃ = 0 forces
                    // the residual to vanish, and conversely ȧ, ḃ are multiples of it.
                    let twoNorm = Rational(2) * (a * a + b * b)
                    let stationary = (b * aDot + a * bDot - twoNorm * residual).isZero
                    // Convergence: the residual obeys ṙ = −2(a² + b²) r along the flow (and a² + b² ≥ 2ab > 0 near
                    // S_c), so r decays exponentially; the limit lies on the invariant hyperbola.
                    let residualDot = residual.derivative(0) * aDot + residual.derivative(1) * bDot
                    let decays = (residualDot + twoNorm * residual).isZero
                    return (
                        derivative.isZero && gradientFlow && stationary && decays,
                        .object([
                            "dL/dt": .string(derivative.description), "aDot": .string(aDot.description),
                            "dr/dt": .string(residualDot.description),
                        ])
                    )
                })
        ]
    }

    struct HyperbolaCase: Sendable, JSONRenderable {
        let a0: Rational, b0: Rational, c: Rational
        var json: JSONValue { .object(["a0": a0.json, "b0": b0.json, "c": c.json]) }
    }

    /// Prop. 8's limit point is unique: on ab = c (a, b > 0), a² − b² = L reads t² − Lt − c² = 0 in t = a²; the
    /// polynomial is negative at t = 0 and its roots have product −c² < 0, so exactly one root is positive. Checked on
    /// the polynomial: its value at 0 and its discriminant L² + 4c² > 0, and a sign change on (0, T) for T = |L| + c +
    /// 1
    /// with none on (−∞, 0] past the negative root.
    static var uniqueLimit: [ClaimReading] {
        [
            .property(
                id: "prop8", reading: "unique-limit",
                statement:
                    "For a₀, b₀, c > 0 the invariant hyperbola a² − b² = a₀² − b₀² meets S_c = {ab = c} in exactly one "
                    + "point with a, b > 0: t² − Lt − c² (t = a²) has exactly one positive root.",
                expected: .holds, cases: 200,
                gen: Gen.zip(Domain.positiveRational(), Domain.positiveRational(), Domain.positiveRational())
                    .map { HyperbolaCase(a0: $0.0, b0: $0.1, c: $0.2) },
                render: { $0.json },
                classify: { h in [.nonTrivial(h.a0 != h.b0 && h.a0 * h.b0 != h.c)] }, nonTrivialShare: 0.5,
                check: { h in
                    let L = h.a0.squared - h.b0.squared
                    let q = { (t: Rational) in t.squared - L * t - h.c.squared }
                    let T = L.magnitude + h.c + 1
                    // q(0) < 0 < q(T): a positive root in (0, T); q is a quadratic with q(0) < 0, so its roots have
                    // opposite signs and there is exactly one positive root. Check every fact used.
                    let discriminant = L.squared + Rational(4) * h.c.squared
                    return q(.zero) < 0 && q(T) > 0 && discriminant > 0 && h.c.squared > 0
                })
        ]
    }

    static var recursion: [ClaimReading] {
        [
            .identity(
                id: "prop9.recursion", reading: "printed",
                statement:
                    "One SGD step (Algorithm 1 on ℓ = |c − ab|²: a' = a + 2λb(c − ab), b' = b + 2λa(c − ab)) gives "
                    + "L(a', b') = (a² − b²)(1 − 4λ²(c − ab)²), as a polynomial identity in a, b, c, λ.",
                expected: .holds,
                decide: {
                    let two = Rational(2)
                    let aNext = a + two * (lambda * b * residual), bNext = b + two * (lambda * a * residual)
                    let lhs = aNext * aNext - bNext * bNext
                    let rhs = L * (MultivariatePolynomial(.one) - Rational(4) * (lambda * lambda * residual * residual))
                    let difference = lhs - rhs
                    return (
                        difference.isZero,
                        .object(["lhs - rhs": .string(difference.description), "degree": .int(lhs.degree)])
                    )
                })
        ]
    }

    struct DriftCase: Sendable, JSONRenderable {
        let a0: Rational, c0: Rational, initialVariance: Rational, noiseVariance: Rational, rate: Rational
        var b0: Rational { try! c0 / a0 }
        var json: JSONValue {
            .object([
                "a0": a0.json, "b0": b0.json, "c0": c0.json, "sigma'^2": initialVariance.json,
                "sigma^2": noiseVariance.json, "lambda": rate.json,
            ])
        }
    }

    static var driftCase: Gen<DriftCase> {
        Gen.zip(
            Gen.zip(Domain.positiveRational(), Domain.positiveRational()),
            Gen.zip(
                Domain.positiveRational(numerator: 3, denominator: 4),
                Domain.rational(numerator: 3, denominator: 4).map { $0.magnitude }),
            Domain.learningRate
        )
        .map { DriftCase(a0: $0.0.0, c0: $0.0.1, initialVariance: $0.1.0, noiseVariance: $0.1.1, rate: $0.2) }
    }

    /// η = E[L(A⁽¹⁾,B⁽¹⁾)] / E[L(A⁽⁰⁾,B⁽⁰⁾)] with A⁽⁰⁾ ~ N(a₀,σ'²), B⁽⁰⁾ ~ N(b₀,σ'²), C ~ N(c₀,σ²), λ fixed — exactly,
    /// from the recursion's polynomial and exact Gaussian moments. Discards a₀ = b₀ (E[L⁽⁰⁾] = 0, η undefined).
    static func eta(_ c: DriftCase) throws -> Rational {
        let oneStep = L * (MultivariatePolynomial(.one) - Rational(4) * (lambda * lambda * residual * residual))
        let means = [c.a0, c.b0, c.c0, c.rate],
            variances = [c.initialVariance, c.initialVariance, c.noiseVariance, .zero]
        let before = try L.gaussianExpectation(means: means, variances: variances)
        guard !before.isZero else { throw Discard("a0 = b0: E[L] = 0 and η is undefined") }
        return try oneStep.gaussianExpectation(means: means, variances: variances) / before
    }

    static var prop9: [ClaimReading] {
        [
            .property(
                id: "prop9", reading: "printed",
                statement:
                    "With A⁽⁰⁾ ~ N(a₀,σ'²), B⁽⁰⁾ ~ N(b₀,σ'²), (a₀,b₀) ∈ S_{c₀}, C ~ N(c₀,σ²): one SGD step gives "
                    + "E[L(A⁽¹⁾,B⁽¹⁾)] = η E[L(A⁽⁰⁾,B⁽⁰⁾)] with 0 < η < 1 (for any learning rate λ).",
                expected: .refuted, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: driftCase, render: { $0.json },
                relation: "∈",
                sides: { c in
                    let e = try eta(c)
                    return [
                        ClaimReading.Side("η = E[L(A⁽¹⁾,B⁽¹⁾)] / E[L(A⁽⁰⁾,B⁽⁰⁾)]", e),
                        ClaimReading.Side("the interval 0 < η < 1", exact: "(0, 1)"),
                        e <= 0
                            ? ClaimReading.Side("lower end", Rational.zero)
                            : ClaimReading.Side("upper end", Rational.one),
                    ]
                },
                check: { c in
                    let e = try eta(c); return e > 0 && e < 1
                }),
            .property(
                id: "prop9", reading: "step-size",
                statement:
                    "η = 1 − 4λ²κ with κ = σ'²(a₀² + b₀²) + 3σ'⁴ + σ² on S_{c₀}; so η < 1 whenever σ'² + σ² > 0, and η "
                    + "> 0 iff λ² < 1/(4κ).",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: driftCase, render: { $0.json },
                check: { c in
                    let e = try eta(c)
                    let s = c.initialVariance
                    let kappa = s * (c.a0.squared + c.b0.squared) + Rational(3) * s.squared + c.noiseVariance
                    let condition = kappa > 0 && Rational(4) * c.rate.squared * kappa < 1
                    return e == closedFormEta(c) && ((e > 0 && e < 1) == condition)
                }),
        ]
    }

    // MARK: eq12, eq13 — in Q(ζ_d) over the non-zero frequencies

    struct PrimePair: Sendable, JSONRenderable {
        let k1: RationalImage, k2: RationalImage
        var json: JSONValue { .object(["d": .int(k1.count), "k1": k1.json, "k2": k2.json]) }
    }

    static var invertiblePair: Gen<PrimePair> {
        Domain.prime(in: 2...31).flatMap { d in
            Gen.zip(Domain.invertibleKernel(rows: 1, columns: d), Domain.invertibleKernel(rows: 1, columns: d)).map {
                PrimePair(k1: $0.0, k2: $0.1)
            }
        }
    }

    /// ⟨x⟩ over the non-zero frequencies, which must be rational here.
    static func mean(_ x: [Cyclotomic]) throws -> Rational {
        guard let value = try GenericityClaims.nonZeroMean(x).rationalValue else {
            throw ReferenceError.invalidArgument("a frequency average that should be rational is not")
        }
        return value
    }

    /// ρ′(a, b) = ⟨a²b²⟩/(⟨a²⟩⟨b²⟩) given the squares a², b² per non-zero frequency.
    static func modelTwoRatio(squaresA: [Cyclotomic], squaresB: [Cyclotomic]) throws -> Rational {
        let joint = try zip(squaresA, squaresB).map { try $0 * $1 }
        return try mean(joint) / (try mean(squaresA) * mean(squaresB))
    }

    /// Both sides of eq. (12): ρ′ with Model 2's diagonals |k̂*|² (powers) or |k̂*| (moduli), and ρ(k₁*, k₂*).
    static func eq12Sides(_ p: PrimePair, diagonalsArePowers: Bool) throws -> (modelTwo: Rational, sdr: Rational) {
        let (p1, p2) = (
            try FourierClaims.spectrum(p.k1).map(\.squaredModulus),
            try FourierClaims.spectrum(p.k2).map(\.squaredModulus)
        )
        // ρ′ sees the squares of its diagonals.
        let (squares1, squares2) =
            diagonalsArePowers ? (try p1.map { try $0 * $0 }, try p2.map { try $0 * $0 }) : (p1, p2)
        return (try modelTwoRatio(squaresA: squares1, squaresB: squares2), try SpectralDensityRatio.ratio(p.k1, p.k2))
    }

    static var eq12: [ClaimReading] {
        [
            .property(
                id: "eq12", reading: "printed",
                statement:
                    "ρ′(|k̂₁*|², |k̂₂*|²) = ρ(k₁*, k₂*): Model 2's ratio with the diagonals a = |k̂₁*|², b = |k̂₂*|² "
                    + "over the non-zero frequencies.",
                expected: .refuted, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: invertiblePair, render: { $0.json },
                classify: { p in [.nonTrivial(p.k1.count >= 5 && !Bites.isFlat(p.k1) && !Bites.isFlat(p.k2))] },
                nonTrivialShare: 0.3,
                sides: { p in
                    let s = try eq12Sides(p, diagonalsArePowers: true)
                    return [
                        ClaimReading.Side("ρ′(|k̂₁*|², |k̂₂*|²)", s.modelTwo), ClaimReading.Side("ρ(k₁*, k₂*)", s.sdr),
                    ]
                },
                check: { p in
                    let s = try eq12Sides(p, diagonalsArePowers: true); return s.modelTwo == s.sdr
                }),
            .property(
                id: "eq12", reading: "moduli",
                statement:
                    "ρ′(|k̂₁*|, |k̂₂*|) = ρ(k₁*, k₂*): with the moduli as Model 2's diagonals (ρ′ sees their squares "
                    + "|k̂|²).",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: invertiblePair, render: { $0.json },
                classify: { p in [.nonTrivial(p.k1.count >= 5 && !Bites.isFlat(p.k1) && !Bites.isFlat(p.k2))] },
                nonTrivialShare: 0.15,
                check: { p in
                    let s = try eq12Sides(p, diagonalsArePowers: false); return s.modelTwo == s.sdr
                }),
        ]
    }

    /// eq. (13)'s right side ⟨|k̂₂|² ⊙ (|k̂₁|²/⟨|k̂₁|²⟩ − 1)⟩² for the current kernels (k₁, k₂).
    static func equation13RightSide(_ k1: RationalImage, _ k2: RationalImage) throws -> Rational {
        let (p1, p2) = (
            try FourierClaims.spectrum(k1).map(\.squaredModulus), try FourierClaims.spectrum(k2).map(\.squaredModulus)
        )
        let mean1 = try mean(p1)
        // |k̂₁|²/⟨|k̂₁|²⟩ needs power at the non-zero frequencies: otherwise the statement says nothing.
        guard !mean1.isZero else { throw Discard("⟨|k̂₁|²⟩ = 0: the right side is undefined") }
        let field = p1[0].field
        let weights = try p1.map { try $0.scaled(by: try mean1.reciprocal()) - Cyclotomic(1, in: field) }
        return try mean(try zip(p2, weights).map { try $0 * $1 }).squared
    }

    /// eq. (13)'s left side (ρ(a₁, a₂) − 1)² ⟨|k̂₂|²⟩², ρ taken on (a₁, a₂).
    static func equation13LeftSide(rhoOf a1: RationalImage, _ a2: RationalImage, k2: RationalImage) throws -> Rational {
        let rho = try GenericityClaims.definedOrDiscarded { () throws(ReferenceError) in
            try SpectralDensityRatio.ratio(a1, a2)
        }
        return (rho - 1).squared * (try mean(try FourierClaims.spectrum(k2).map(\.squaredModulus))).squared
    }

    /// The true kernels (k₁*, k₂*) and the current ones (k₁, k₂) of one length, as eq. (13) is printed.
    struct TrueAndCurrent: Sendable, JSONRenderable {
        let k1Star: RationalImage, k2Star: RationalImage, k1: RationalImage, k2: RationalImage
        var json: JSONValue {
            .object(["k1*": k1Star.json, "k2*": k2Star.json, "k1": k1.json, "k2": k2.json])
        }
    }

    static var trueAndCurrent: Gen<TrueAndCurrent> {
        Gen.element(of: [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31]).flatMap { n in
            Gen.zip(
                Domain.kernel(length: n), Domain.kernel(length: n), Domain.kernel(length: n), Domain.kernel(length: n)
            )
            .map {
                TrueAndCurrent(
                    k1Star: try RationalImage($0.0), k2Star: try RationalImage($0.1),
                    k1: try RationalImage($0.2), k2: try RationalImage($0.3))
            }
        }
    }

    static var eq13: [ClaimReading] {
        [
            .property(
                id: "eq13", reading: "printed",
                statement:
                    "As printed, the left side on the true kernels and the right side on the current ones: "
                    + "(ρ(k₁*,k₂*) − 1)² ⟨|k̂₂|²⟩² = ⟨|k̂₂|² ⊙ (|k̂₁|²/⟨|k̂₁|²⟩ − 1)⟩², ⟨·⟩ over the non-zero "
                    + "frequencies.",
                expected: .refuted, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: trueAndCurrent, render: { $0.json },
                classify: { c in
                    [
                        .nonTrivial(
                            c.k1.count >= 5 && !Bites.isFlat(c.k1) && !Bites.isFlat(c.k2) && !Bites.isFlat(c.k1Star))
                    ]
                },
                nonTrivialShare: 0.2,
                sides: { c in
                    [
                        ClaimReading.Side(
                            "(ρ(k₁*,k₂*) − 1)² ⟨|k̂₂|²⟩²", try equation13LeftSide(rhoOf: c.k1Star, c.k2Star, k2: c.k2)),
                        ClaimReading.Side("⟨|k̂₂|² ⊙ (|k̂₁|²/⟨|k̂₁|²⟩ − 1)⟩²", try equation13RightSide(c.k1, c.k2)),
                    ]
                },
                check: { c in
                    try equation13LeftSide(rhoOf: c.k1Star, c.k2Star, k2: c.k2) == equation13RightSide(c.k1, c.k2)
                }),
            .property(
                id: "eq13", reading: "current-kernels",
                statement:
                    "With ρ taken on the current kernels: (ρ(k₁,k₂) − 1)² ⟨|k̂₂|²⟩² = ⟨|k̂₂|² ⊙ (|k̂₁|²/⟨|k̂₁|²⟩ − "
                    + "1)⟩², "
                    + "⟨·⟩ over the non-zero frequencies.",
                expected: .holds, exhaustiveBudget: 100, exhaustiveValueCap: 2,
                gen: GenericityClaims.kernelPair(lengths: [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31]),
                render: { $0.json },
                classify: GenericityClaims.kernelPairBites, nonTrivialShare: 0.2,
                check: { p in
                    try equation13LeftSide(rhoOf: p.k1, p.k2, k2: p.k2) == equation13RightSide(p.k1, p.k2)
                }),
        ]
    }
}
