import Reference

/// A Double with a first-order bound on its rounding error, in units of u: running error analysis (Higham,
/// *Accuracy and Stability of Numerical Algorithms*, §3.3). Each operation rounds once, so it adds |its result| to
/// the errors it propagates (|a|·δb + |b|·δa for a product, δa/|b| + |a|·δb/b² for a quotient, δa/(2√a) for a
/// root); a sum of K terms, in any order, adds (K − 1)·Σ|terms| (the γ_{K−1} bound), so the bound holds for
/// numpy's pairwise and torch's tree reductions alike.
public struct Rounded: Sendable {
    public var value: Double
    /// |computed − exact| ≤ error·u, to first order.
    public var error: Double

    init(_ value: Double, error: Double) {
        self.value = value
        self.error = error
    }

    /// An input: exact when the rational is a Double (the fuzzer's dyadic entries), else rounded once.
    init(_ exact: Rational) {
        value = exact.doubleValue
        error = (try? Rational(exactly: value)) == exact ? 0 : abs(value)
    }

    static func + (a: Rounded, b: Rounded) -> Rounded {
        let v = a.value + b.value
        return Rounded(v, error: a.error + b.error + abs(v))
    }

    static func - (a: Rounded, b: Rounded) -> Rounded {
        let v = a.value - b.value
        return Rounded(v, error: a.error + b.error + abs(v))
    }

    static func * (a: Rounded, b: Rounded) -> Rounded {
        let v = a.value * b.value
        return Rounded(v, error: abs(a.value) * b.error + abs(b.value) * a.error + abs(v))
    }

    static func / (a: Rounded, b: Rounded) -> Rounded {
        let v = a.value / b.value
        return Rounded(v, error: a.error / abs(b.value) + abs(a.value) * b.error / (b.value * b.value) + abs(v))
    }

    var squareRoot: Rounded {
        let v = value.squareRoot()
        return Rounded(v, error: (error == 0 ? 0 : error / (2 * v)) + v)
    }

    var magnitude: Rounded { Rounded(abs(value), error: error) }

    /// Σ terms in any order: Σ δ + (K − 1)·Σ|terms|.
    static func sum(_ terms: [Rounded]) -> Rounded {
        var (v, e, m) = (0.0, 0.0, 0.0)
        for t in terms {
            v += t.value
            e += t.error
            m += abs(t.value)
        }
        return Rounded(v, error: e + Double(max(terms.count - 1, 0)) * m)
    }

    /// The mean: the sum divided by K (one more rounding).
    static func mean(_ terms: [Rounded]) -> Rounded {
        sum(terms) / Rounded(Double(max(terms.count, 1)), error: 0)
    }
}

/// The companion scores computed in Double, as printed, with a running error bound per score (`Rounded`): the
/// in-process estimator of `oracle fuzz --builtin fast` for the companion tasks, and the error budget their answers
/// are judged by.
///
/// **Budget.** An answer's error is judged against B = 8·u·(κ + 1), κ = δ/|S| (δ the score's running bound in units
/// of u, S its exact value; the absolute δ where S = 0), the SDR's rule with N = 1. The bound follows the printed
/// formula's own graph — responses R(N) and R(Ñ) computed and then subtracted, σ by two passes, GITE as
/// φ_e(z ± αh) − φ_e(z) — which is the least accurate natural evaluation: an estimator that shortcuts (A(N − Ñ),
/// the closed form αk/‖w_c‖) only errs less. To first order every computed score is S + Σ_nodes ε_node·node·∂S/∂node
/// with |ε| ≤ u; the running bound sums the |node·∂S/∂node| along that graph, and the factor 8 covers second-order
/// terms and reassociated products.
public enum CompanionConditioning {
    /// The budget's rule, as it is printed in reports.
    public static let rule = "8·u·(κ + 1), κ = the printed formula's running error bound / |score|"

    /// Each score in Double with its bound (the order of `EstimatorCase.exactScores`), and the divisors the scores
    /// divide by (σ_i and U_{I_m} for 002, ‖w_c‖ and ‖w_e‖ for 004).
    public static func evaluate(_ input: EstimatorCase) -> (scores: [Rounded], divisors: [Rounded]) {
        switch input {
        case let .icScores(map): return evaluate(map)
        case let .cageScores(pair): return evaluate(pair)
        default: return ([], [])
        }
    }

    static func rows(_ image: RationalImage) -> [[Rounded]] {
        (0..<image.rows).map { r in (0..<image.columns).map { Rounded(image[r, $0]) } }
    }

    /// Paper 002, §2.1, eq. (5): INV, EQV (n×n each), SCN (n), L_INV, L_EQV; U at the intervened index m.
    static func evaluate(_ map: ResponseMapCase) -> (scores: [Rounded], divisors: [Rounded]) {
        let n = map.dimension
        let (a, b, prior, l, values) = (
            rows(map.matrix), rows(map.offset)[0], rows(map.prior), rows(map.xblock), rows(map.interventions)
        )
        let k = prior.count
        guard a.count == n, a.allSatisfy({ $0.count == n }), l.count == n, l.allSatisfy({ $0.count == n }),
            prior.allSatisfy({ $0.count == n }), values.allSatisfy({ $0.count == n })
        else { return ([], []) }
        func respond(_ x: [Rounded]) -> [Rounded] {
            (0..<n).map { i in .sum((0..<n).map { a[i][$0] * x[$0] } + [b[i]]) }
        }
        /// Z_i = L_ii x_i + Σ_{j<i} L_ij Z_j (§2.2).
        func causes(_ x: [Rounded]) -> [Rounded] {
            var z: [Rounded] = []
            for i in 0..<n { z.append(.sum([l[i][i] * x[i]] + (0..<i).map { l[i][$0] * z[$0] })) }
            return z
        }
        func intervene(_ x: [Rounded], _ m: Int, _ v: Rounded) -> [Rounded] {
            var y = x
            y[m] = v
            return y
        }
        let r = prior.map(respond)
        // σ_i, the population standard deviation of the response, in two passes.
        let sigma: [Rounded] = (0..<n).map { i in
            let mu = Rounded.mean(r.map { $0[i] })
            return Rounded.mean(r.map { ($0[i] - mu) * ($0[i] - mu) }).squareRoot
        }
        var divisors = sigma
        // Per (m, i), the normalised error of each intervention value: INV[m,i] = 1 − their mean.
        var inv = [[[Rounded]]](repeating: [[Rounded]](repeating: [], count: n), count: n)
        var eqv = inv
        var (lossInv, lossEqv): ([Rounded], [Rounded]) = ([], [])
        for m in 0..<n {
            for v in values.map({ $0[m] }) {
                let u = Rounded.mean(prior.map { ($0[m] - v).magnitude })
                divisors.append(u)
                let intervened = prior.map { respond(intervene($0, m, v)) }
                // Ž′: the XBlock of the intervened response; Z̃′: the XBlock of the response to Ñ.
                let (zHat, zTilde) = (r.map { causes(intervene($0, m, v)) }, intervened.map(causes))
                let invariance = (0..<n).map { i in (0..<k).map { (r[$0][i] - intervened[$0][i]).magnitude } }
                let equivariance = (0..<n).map { i in (0..<k).map { (zHat[$0][i] - zTilde[$0][i]).magnitude } }
                for i in 0..<n {
                    inv[m][i].append(Rounded.mean(invariance[i]) / (u * sigma[i]))
                    eqv[m][i].append(Rounded.mean(equivariance[i]) / u)
                }
                let count = Rounded(Double(n * k), error: 0)
                lossInv.append(.sum((0..<n).filter { $0 != m }.flatMap { invariance[$0] }) / count)
                lossEqv.append(.sum((0..<n).filter { $0 != m }.flatMap { equivariance[$0] }) / count)
            }
        }
        let one = Rounded(1, error: 0)
        let scn = (0..<n).map { i in one - Rounded.mean((0..<k).map { (r[$0][i] - prior[$0][i]).magnitude }) / sigma[i]
        }
        let scores =
            inv.flatMap { $0.map { one - Rounded.mean($0) } } + eqv.flatMap { $0.map { one - Rounded.mean($0) } } + scn
            + [Rounded.mean(lossInv), Rounded.mean(lossEqv)]
        return (scores, divisors)
    }

    /// Paper 004, eqs. (5)–(7) for logit classifiers: τ_GATE(c → e), τ_GATE(e → c), Δτ. A GITE is
    /// φ_e(z + αh_c) − φ_e(z) where the factual m_c = 𝟙[φ_c(z) > 0] is 0, φ_e(z) − φ_e(z − αh_c) where it is 1; the
    /// factual side is decided in Double, so the bound is the larger of the two sides'.
    static func evaluate(_ pair: ClassifierPairCase) -> (scores: [Rounded], divisors: [Rounded]) {
        let (wc, bc, we, be) = (
            rows(pair.treatment)[0], Rounded(pair.treatmentBias.values[0]), rows(pair.effect)[0],
            Rounded(pair.effectBias.values[0])
        )
        let (z, alpha) = (rows(pair.samples), Rounded(pair.alpha.values[0]))
        guard we.count == wc.count, z.allSatisfy({ $0.count == wc.count }) else { return ([], []) }
        func logit(_ w: [Rounded], _ b: Rounded, _ y: [Rounded]) -> Rounded { .sum(zip(w, y).map { $0 * $1 } + [b]) }
        func norm(_ w: [Rounded]) -> Rounded { Rounded.sum(w.map { $0 * $0 }).squareRoot }
        func gate(_ w: [Rounded], _ b: Rounded, effect w2: [Rounded], _ b2: Rounded) -> Rounded {
            let length = norm(w)
            let h = w.map { $0 / length }
            return Rounded.mean(
                z.map { point in
                    let up = zip(point, h).map { $0 + alpha * $1 }, down = zip(point, h).map { $0 - alpha * $1 }
                    let here = logit(w2, b2, point)
                    let (treated, untreated) = (logit(w2, b2, up) - here, here - logit(w2, b2, down))
                    var gite = logit(w, b, point).value > 0 ? untreated : treated
                    gite.error = max(treated.error, untreated.error)
                    return gite
                })
        }
        let (ce, ec) = (gate(wc, bc, effect: we, be), gate(we, be, effect: wc, bc))
        return ([ce, ec, ce.magnitude - ec.magnitude], [norm(wc), norm(we)])
    }

    /// Every divisor is far from its rounding (value > 64·u·δ): below that a Double estimator may find it zero and
    /// refuse the case, which the fuzzer then accepts (as for the SDR's `Conditioning.resolvable`).
    public static func resolvable(_ input: EstimatorCase, precision: Conditioning.Precision) -> Bool {
        evaluate(input).divisors.allSatisfy { $0.value > 64 * precision.unitRoundoff * $0.error }
    }

    /// κ of each score: δ/|S| (δ where S = 0); +∞ where no bound could be computed.
    public static func conditionNumbers(_ input: EstimatorCase, exact: [SquareRootSum]?) -> [Double] {
        let scores = evaluate(input).scores
        return scores.enumerated().map { k, s in
            let zero = exact.map { k >= $0.count || $0[k].isZero } ?? (s.value == 0)
            let magnitude = exact.map { k < $0.count ? abs($0[k].doubleValue) : 0 } ?? abs(s.value)
            let kappa = zero ? s.error : s.error / magnitude
            return kappa.isNaN ? .infinity : kappa
        }
    }
}
