import Fast
import Numerics
import Reference

/// Training in Double (Sources/Fast/Training) against exact arithmetic: the SDR regulariser's gradient against
/// exact dual numbers, and one SGD step in the Fourier domain against its recursion computed in Q — each within an
/// error bound derived from the computation, so a slip in a factor, a sign or a conjugate shows in `oracle check`.
public enum TrainingCrossChecks: ClaimSection {
    public static let title = "Training against exact recursions (the Double mirror's SGD and SDR gradient)"
    /// The section's one list: a reading is registered by being here.
    public static var readings: [ClaimReading] { sdrGradient + fourierStep }

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
