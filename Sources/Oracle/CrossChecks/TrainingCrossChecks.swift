import Fast
import Numerics
import Reference

/// Training in Double (Sources/Fast/Training) against exact arithmetic: the SDR regulariser's gradient against
/// exact dual numbers, and one SGD step in the Fourier domain against its recursion computed in Q — each within an
/// error bound derived from the computation, so a slip in a factor, a sign or a conjugate shows in `oracle check`.
public enum TrainingCrossChecks: ClaimSection {
    public static let title = "Training against exact recursions (the Double mirror's SGD and SDR gradient)"
    /// The section's one list: a reading is registered by being here.
    public static var readings: [ClaimReading] { sdrGradient + fourierStep + oneSteps }

    /// The unit roundoff of Double (the Fast cross-checks' own).
    static let unitRoundoff = FastCrossChecks.u

    // MARK: fast.training/sdr-gradient

    struct KernelPairCase: Sendable, JSONRenderable {
        let k1: [Rational], k2: [Rational]
        var json: JSONValue { .object(["d": .int(k1.count), "k1": k1.json, "k2": k2.json]) }
    }

    /// Quarter-integers in −2…2 (exact in Double), d from 3 to 13, k₁ not constant (power off the zero frequency).
    static var kernelPairCase: Gen<KernelPairCase> {
        Domain.prime(in: 3...13).flatMap { n in
            let entry = Gen.int(in: -8...8).map { try Rational($0, 4) }
            return Gen.zip(Domain.vector(length: n, entry: entry), Domain.vector(length: n, entry: entry))
                .filter("k₁ not constant", maxTries: 20) { Set($0.0).count > 1 }
                .map { KernelPairCase(k1: $0.0, k2: $0.1) }
        }
    }

    /// Largest (|Fast − exact| − bound) over the loss and the gradient entries (≤ 0 when the check holds).
    /// Bound: the loss (J/P₁ − P₂)² and its gradient are sums of O(n) products of DFT values; with ‖k_i‖₁ = K_i,
    /// every |k̂_i(u)| ≤ K_i, so with W = K₁²/P₁ + 1 the factor J/P₁ − P₂ is bounded by M̄ = K₂²W. The naive DFT's
    /// terms are rounded with relative error ≤ 4u each and n of them are summed (γ_n), and the few products and
    /// quotients after it add a constant number of u's: 32·n·u covers the whole chain; the gradient carries the
    /// extra factors (4/f)·n·W·K₂ of its formula (f = n − 1 frequencies), the loss 2·M̄².
    static func sdrGradientExcess(_ c: KernelPairCase) throws -> Double {
        let exact = try GenericityClaims.definedOrDiscarded { () throws(ReferenceError) in
            try ExactGradients.sdrLoss(k1: try RationalImage(c.k1), k2: try RationalImage(c.k2))
        }
        let (k1, k2) = (c.k1.map(\.doubleValue), c.k2.map(\.doubleValue))
        let fast = Training.sdrPenaltySpatial(k1: k1, k2: k2)
        let n = Double(k1.count), f = n - 1
        let K1 = k1.reduce(0) { $0 + abs($1) }, K2 = k2.reduce(0) { $0 + abs($1) }
        let p1 = Training.naiveDFT(k1)[1...].reduce(0) { $0 + $1.lengthSquared } / f
        let W = K1 * K1 / p1 + 1, Mbar = K2 * K2 * W
        let chain = 32 * n * unitRoundoff
        var excess = abs(fast.loss - exact.value.doubleValue) - chain * 2 * Mbar * Mbar
        for m in 0..<k1.count {
            let bound = chain * (4 / f) * n * Mbar * W * K2
            excess = max(excess, abs(fast.gradient[m] - exact.gradient[m].doubleValue) - bound)
        }
        return excess
    }

    static var sdrGradient: [ClaimReading] {
        [
            .property(
                id: "fast.training", reading: "sdr-gradient",
                kind: .float,
                statement:
                    "Training.sdrPenaltySpatial (eq. 13's loss and its gradient in the spatial k₂, Double, naive DFT) "
                    + "agrees with the exact loss and gradient by dual numbers over Q (ExactGradients.sdrLoss) within "
                    + "the bound derived beside the check.",
                expected: .holds, cases: 100, gen: kernelPairCase, render: { $0.json },
                classify: { c in
                    [
                        .nonTrivial(
                            c.k1.count >= 5 && !Bites.isFlat(try! RationalImage(c.k1))
                                && Bites.support(c.k2) >= 2)
                    ]
                },
                nonTrivialShare: 0.5,
                check: { try sdrGradientExcess($0) <= 0 })
        ]
    }

    // MARK: fast.training/fourier-sgd-step

    struct StepCase: Sendable, JSONRenderable {
        /// Hermitian spectra on Z_d given by their values at u = 0 … ⌊d/2⌋ as (re, im) (im = 0 at 0 and d/2).
        let d: Int, k1: [[Rational]], k2: [[Rational]], target: [[Rational]], rate: Rational
        var json: JSONValue {
            .object(["d": .int(d), "k1^": k1.json, "k2^": k2.json, "C^": target.json, "rate": rate.json])
        }
    }

    static var stepCase: Gen<StepCase> {
        Gen.zip(Gen.int(in: 3...12), Gen.int(in: 1...8), Gen.int(in: 4...8)).flatMap { d, m, k in
            let half = d / 2 + 1
            let part = Gen.int(in: -16...16).map { try Rational($0, 8) }
            func spectrum() -> Gen<[[Rational]]> {
                Gen.array(of: Gen.zip(part, part).map { [$0.0, $0.1] }, count: half...half).map { values in
                    values.enumerated().map { u, v in u == 0 || 2 * u == d ? [v[0], .zero] : v }
                }
            }
            return Gen.zip(spectrum(), spectrum(), spectrum()).map {
                StepCase(d: d, k1: $0.0, k2: $0.1, target: $0.2, rate: try Rational(BigInt(m), try BigInt(2).power(k)))
            }
        }
    }

    static func fullSpectrum(_ half: [[Rational]], d: Int) -> Training.Spectrum {
        (0..<d).map { u in
            let v = half[min(u, d - u)]
            return Complex(v[0].doubleValue, u <= d / 2 ? v[1].doubleValue : -v[1].doubleValue)
        }
    }

    /// The recursion in Q: r = C − pq, p′ = p + 2λ r q̄, q′ = q + 2λ r p̄ at every u ≤ ⌊d/2⌋.
    static func exactStep(_ c: StepCase) -> (k1: [[Rational]], k2: [[Rational]]) {
        func mul(_ a: [Rational], _ b: [Rational]) -> [Rational] {
            [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]]
        }
        func conj(_ a: [Rational]) -> [Rational] { [a[0], .zero - a[1]] }
        var k1: [[Rational]] = [], k2: [[Rational]] = []
        for u in c.k1.indices {
            let (p, q, t) = (c.k1[u], c.k2[u], c.target[u])
            let pq = mul(p, q)
            let r = [t[0] - pq[0], t[1] - pq[1]]
            let two = Rational(2) * c.rate
            let dp = mul(r, conj(q)), dq = mul(r, conj(p))
            k1.append([p[0] + two * dp[0], p[1] + two * dp[1]])
            k2.append([q[0] + two * dq[0], q[1] + two * dq[1]])
        }
        return (k1, k2)
    }

    /// Largest (|Fast − exact| − bound) over every component of both updated spectra (≤ 0 when the check holds).
    /// Bound: each component of p′ = p + 2λ·(C − pq)·q̄ is computed in at most 7 rounded operations on exact
    /// (dyadic) inputs; by the standard model its error is at most γ₇ times the sum of the absolute values of the
    /// terms, |p| + 2λ(|C| + 2|p||q|)·2|q|, and γ₇ = 7u/(1 − 7u) < 8u.
    static func stepExcess(_ c: StepCase) -> Double {
        let target = fullSpectrum(c.target, d: c.d)
        var k1 = fullSpectrum(c.k1, d: c.d), k2 = fullSpectrum(c.k2, d: c.d)
        Training.fourierSGDStep(k1: &k1, k2: &k2, target: target, rate: c.rate.doubleValue)
        let exact = exactStep(c)
        let lambda = c.rate.doubleValue
        let (before1, before2) = (fullSpectrum(c.k1, d: c.d), fullSpectrum(c.k2, d: c.d))
        var excess = -Double.infinity
        for u in 0..<c.d {
            let h = min(u, c.d - u), sign = u <= c.d / 2 ? 1.0 : -1.0
            let p = before1[u], q = before2[u], t = target[u]
            func magnitude(_ z: Complex<Double>) -> Double { abs(z.real) + abs(z.imaginary) }
            let scale = { (a: Complex<Double>, b: Complex<Double>) in
                magnitude(a) + 2 * lambda * (magnitude(t) + 2 * magnitude(a) * magnitude(b)) * 2 * magnitude(b)
            }
            let (b1, b2) = (8 * unitRoundoff * scale(p, q), 8 * unitRoundoff * scale(q, p))
            let e1 = exact.k1[h], e2 = exact.k2[h]
            excess = max(
                excess, abs(k1[u].real - e1[0].doubleValue) - b1,
                abs(k1[u].imaginary - sign * e1[1].doubleValue) - b1,
                abs(k2[u].real - e2[0].doubleValue) - b2,
                abs(k2[u].imaginary - sign * e2[1].doubleValue) - b2)
        }
        return excess
    }

    static var fourierStep: [ClaimReading] {
        [
            .property(
                id: "fast.training", reading: "fourier-sgd-step",
                kind: .float,
                statement:
                    "One Training.fourierSGDStep (Sec. 3.3: k̂₁ ← k̂₁ + 2λ r conj(k̂₂), k̂₂ ← k̂₂ + 2λ r conj(k̂₁), "
                    + "r = Ĉ − k̂₁k̂₂, Hermitian) equals its recursion computed in Q, component by component, within "
                    + "the bound derived beside the check.",
                expected: .holds, cases: 200, gen: stepCase, render: { $0.json },
                classify: { c in [.nonTrivial(c.d >= 5), .parameter("d", c.d)] }, nonTrivialShare: 0.5,
                check: { stepExcess($0) <= 0 })
        ]
    }
}

// MARK: fast.training/model2-step and sdr-step — one step against its recursion in Q

extension TrainingCrossChecks {
    struct Model2StepCase: Sendable, JSONRenderable {
        let a: Rational, b: Rational, c: Rational, rate: Rational, asynchronous: Bool
        var json: JSONValue {
            .object([
                "a": a.json, "b": b.json, "c": c.json, "rate": rate.json,
                "algorithm": .string(asynchronous ? "asgd" : "sgd"),
            ])
        }
    }

    /// Dyadic a, b, c in −4…4 (multiples of 1/16) and λ = m/2^k: every input is exact in Double.
    static var model2StepCase: Gen<Model2StepCase> {
        let value = Gen.int(in: -64...64).map { try Rational($0, 16) }
        return Gen.zip(Gen.zip(value, value, value), Gen.zip(Gen.int(in: 1...8), Gen.int(in: 3...8)), Gen.bool)
            .map { abc, mk, asynchronous in
                Model2StepCase(
                    a: abc.0, b: abc.1, c: abc.2, rate: try Rational(BigInt(mk.0), try BigInt(2).power(mk.1)),
                    asynchronous: asynchronous)
            }
    }

    /// Algorithms 1 and 2 (eqs. 18–19, App. B.9) in Q: a′ = a + 2λb(c − ab), b′ = b + 2λâ(c − âb), â = a (SGD) or
    /// a′ (ASGD).
    static func exactModel2Step(_ c: Model2StepCase) -> (a: Rational, b: Rational) {
        let two = Rational(2) * c.rate
        let a1 = c.a + two * c.b * (c.c - c.a * c.b)
        let pivot = c.asynchronous ? a1 : c.a
        return (a1, c.b + two * pivot * (c.c - pivot * c.b))
    }

    /// Largest (|Fast − exact| − bound) over a′ and b′ (≤ 0 when the check holds).
    /// Bound: a′ = a + (2λb)·(c − ab) takes 4 roundings on exact inputs (2λ is exact), so it errs by at most γ₄ ≤ 5u
    /// times |a| + 2λ|b|(|c| + 2|a||b|); b′ likewise, and under ASGD it also carries a′'s error δ through its
    /// derivative in a′, 2λ(|c| + 2|a′||b|).
    static func model2StepExcess(_ c: Model2StepCase) -> Double {
        let (a, b, target, rate) = (c.a.doubleValue, c.b.doubleValue, c.c.doubleValue, c.rate.doubleValue)
        let fast = Training.step(c.asynchronous ? .asgd : .sgd, a: a, b: b, c: target, rate: rate)
        let exact = exactModel2Step(c)
        let errorA = 5 * unitRoundoff * (abs(a) + 2 * rate * abs(b) * (abs(target) + 2 * abs(a * b)))
        let pivot = c.asynchronous ? abs(exact.a.doubleValue) + errorA : abs(a)
        let errorB =
            5 * unitRoundoff * (abs(b) + 2 * rate * pivot * (abs(target) + 2 * pivot * abs(b)))
            + (c.asynchronous ? 2 * rate * (abs(target) + 2 * pivot * abs(b)) * errorA : 0)
        return max(
            abs(fast.a - exact.a.doubleValue) - errorA * (1 + 4 * unitRoundoff),
            abs(fast.b - exact.b.doubleValue) - errorB * (1 + 4 * unitRoundoff))
    }

    /// One step of eq. (13) in Q on the spectra (Sec. 3.4): P₁ = ⟨|k̂₁|²⟩, w = |k̂₁|²/P₁ − 1,
    /// M = ⟨|k̂₂|²·w⟩, G(u) = (4M/f)·w(u)·k̂₂(u), k̂₂ ← k̂₂ − γG; averages over the f = d − 1 non-zero frequencies.
    static func exactSDRStep(_ c: StepCase) throws -> [[Rational]] {
        let f = Rational(c.d - 1)
        func power(_ z: [Rational]) -> Rational { z[0] * z[0] + z[1] * z[1] }
        // Σ over u = 1…d−1 of a function of the half spectrum: u and d − u carry the same modulus.
        func sum(_ term: (Int) -> Rational) -> Rational {
            (1..<c.d).reduce(Rational.zero) { $0 + term(min($1, c.d - $1)) }
        }
        let total = sum { power(c.k1[$0]) }
        guard !total.isZero else { throw Discard("k̂₁ vanishes off the zero frequency: eq. (13) is undefined") }
        let p1 = try total / f
        let w = try (0..<c.k1.count).map { try power(c.k1[$0]) / p1 - Rational(1) }
        let m = try sum { power(c.k2[$0]) * w[$0] } / f
        let scale = try Rational(4) * m / f
        return c.k2.enumerated().map { u, q in
            u == 0 ? q : q.map { $0 - c.rate * scale * w[u] * $0 }
        }
    }

    /// Largest (|Fast − exact| − bound) over every component of k̂₂′ (≤ 0 when the check holds).
    /// Bound (W = max|k̂₁|²/P₁ + 1 ≥ |w|, Q = ⟨|k̂₂|²⟩, d terms per sum): P₁ is a sum of d positive terms (γ_{d+2});
    /// w = |k̂₁|²/P₁ − 1 errs by (d + 6)u·W; M = ⟨|k̂₂|²w⟩ by (2d + 10)u·Q·W; so G(u) = (4M/f)·w·k̂₂ errs by
    /// (4/f)|k̂₂|·Q·W²·(3d + 20)u, and k̂₂ − γG by γ times that plus u(|k̂₂| + γ|G|) per component.
    static func sdrStepExcess(_ c: StepCase) throws -> Double {
        let k1 = fullSpectrum(c.k1, d: c.d)
        var k2 = fullSpectrum(c.k2, d: c.d)
        let before = k2
        Training.sdrStep(k1: k1, k2: &k2, gamma: c.rate.doubleValue)
        let exact = try exactSDRStep(c)
        let d = Double(c.d), f = d - 1, gamma = c.rate.doubleValue
        let p1 = k1[1...].reduce(0) { $0 + $1.lengthSquared } / f
        let bigW = k1[1...].map { $0.lengthSquared / p1 }.max()! + 1
        let bigQ = before[1...].reduce(0) { $0 + $1.lengthSquared } / f
        var excess = -Double.infinity
        for u in 0..<c.d {
            let h = min(u, c.d - u), sign = u <= c.d / 2 ? 1.0 : -1.0
            let q = Training.modulus(before[u])
            let gradient = (4 / f) * q * bigQ * bigW * bigW
            let bound = (gamma * gradient * (3 * d + 20) * unitRoundoff + unitRoundoff * (q + gamma * gradient)) * 1.01
            excess = max(
                excess, abs(k2[u].real - exact[h][0].doubleValue) - bound,
                abs(k2[u].imaginary - sign * exact[h][1].doubleValue) - bound)
        }
        return excess
    }

    static var oneSteps: [ClaimReading] {
        [
            .property(
                id: "fast.training", reading: "model2-step",
                kind: .float,
                statement:
                    "One Training.sgdStep or asgdStep on Model 2's loss |c − ab|² (Algorithms 1 and 2, eqs. 18–19) "
                    + "equals its recursion computed in Q on the same (dyadic) inputs within the bound derived beside "
                    + "the check.",
                expected: .holds, cases: 200, gen: model2StepCase, render: { $0.json },
                classify: { c in
                    [
                        .nonTrivial(!c.a.isZero && !c.b.isZero && c.c != c.a * c.b),
                        .event(c.asynchronous ? "asgd" : "sgd"),
                    ]
                },
                nonTrivialShare: 0.7,
                check: { model2StepExcess($0) <= 0 }),
            .property(
                id: "fast.training", reading: "sdr-step",
                kind: .float,
                statement:
                    "One Training.sdrStep (Sec. 3.4: k̂₂ ← k̂₂ − γG, G the gradient of eq. (13)'s penalty in the "
                    + "Fourier coefficients, (4M/f)·(|k̂₁|²/P₁ − 1)·k̂₂) equals the step computed in Q within the bound "
                    + "derived beside the check.",
                expected: .holds, cases: 200, gen: stepCase, render: { $0.json },
                classify: { c in
                    let moduli = Set((1..<c.k1.count).map { c.k1[$0][0] * c.k1[$0][0] + c.k1[$0][1] * c.k1[$0][1] })
                    return [.nonTrivial(c.d >= 5 && moduli.count >= 2), .parameter("d", c.d)]
                },
                nonTrivialShare: 0.5,
                check: { try sdrStepExcess($0) <= 0 }),
        ]
    }
}
