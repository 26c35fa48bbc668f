import Testing
import Reference
import Oracle

// The finite steps of proofs.md's hand-written proofs, each recomputed exactly: frequency sums are taken
// directly over the exact DFT in Q(ζ_n) (not through the autocorrelation identities the implementation uses),
// polynomial identities with `MultivariatePolynomial`, Gaussian expectations with its exact moments.
// One test per proof step, named after the claim id and the step; sizes where the step bites (d ≥ 5,
// non-flat spectra), and the original wording checked to fail where proofs.md had a false step.

// MARK: - Helpers

private func q(_ n: Int, _ d: Int = 1) -> Rational { try! Rational(n, d) }
private func qs(_ v: [Int]) -> [Rational] { v.map { Rational($0) } }
private func line(_ v: [Int]) -> RationalImage { try! RationalImage(qs(v)) }
private func line(_ v: [Rational]) -> RationalImage { try! RationalImage(v) }
private func grid(_ rows: [[Int]]) -> RationalImage {
    try! RationalImage(rows: rows.count, columns: rows[0].count, values: rows.flatMap(qs))
}
private func delta(_ n: Int, at p: Int = 0) -> [Rational] {
    (0..<n).map { $0 == Primes.mod(p, n) ? Rational.one : Rational.zero }
}
private func conv(_ a: [Rational], _ b: [Rational]) throws -> [Rational] { try Signals.circularConvolution(a, b) }
private func conv(_ a: RationalImage, _ b: RationalImage) throws -> RationalImage {
    try Signals.circularConvolution(a, b)
}
private func inverse(_ k: [Rational]) throws -> [Rational] { try Signals.convolutionInverse(line(k)).values }
private func total(_ xs: [Cyclotomic], in field: CyclotomicField) throws -> Cyclotomic {
    var sum = field.zero
    for x in xs { sum = try sum + x }
    return sum
}
private func rational(_ x: Cyclotomic) throws -> Rational { try #require(x.rationalValue) }
/// |k̂(w)|² at every frequency (row-major in 2D), straight from the exact DFT.
private func powers(_ k: RationalImage) throws -> [Cyclotomic] {
    try ExactDFT.forward2D(k).values.map(\.squaredModulus)
}
private func products(_ a: [Cyclotomic], _ b: [Cyclotomic]) throws -> [Cyclotomic] {
    try zip(a, b).map { try $0 * $1 }
}
/// ⟨x⟩ over the non-zero frequencies (index 0 is the zero frequency); the mean must be rational.
private func meanNonZero(_ xs: [Cyclotomic]) throws -> Rational {
    try rational(total(Array(xs.dropFirst()), in: xs[0].field)).divided(byNonZero: xs.count - 1)
}
private func meanAll(_ xs: [Cyclotomic]) throws -> Rational {
    try rational(total(xs, in: xs[0].field)).divided(byNonZero: xs.count)
}
private func mean(_ xs: [Cyclotomic], _ averaging: FrequencyAveraging) throws -> Rational {
    averaging == .nonZero ? try meanNonZero(xs) : try meanAll(xs)
}
/// ρ(k₁, k₂) by direct frequency sums over the exact spectra (independent of S3's identities).
private func directSDR(
    _ k1: RationalImage, _ k2: RationalImage,
    _ averaging: FrequencyAveraging = .nonZero
) throws -> Rational {
    let p1 = try powers(k1), p2 = try powers(k2)
    return try mean(products(p1, p2), averaging) / (mean(p1, averaging) * mean(p2, averaging))
}
private func randomSignal(_ s: inout TestStream, _ n: Int, _ range: ClosedRange<Int> = -3...3) -> [Rational] {
    while true {
        let v = (0..<n).map { _ in Rational(s.int(range)) }
        if Set(v).count > 1 { return v }  // non-constant: power off the zero frequency
    }
}
private func randomInvertible(_ s: inout TestStream, _ n: Int, _ range: ClosedRange<Int> = -3...3) throws
    -> [Rational]
{
    while true {
        let v = randomSignal(&s, n, range)
        if try Signals.isInvertible(line(v)) { return v }
    }
}
/// (g·k)(m, n) = k(gm, gn) on a d×d image (Sec. 2.4), written out here.
private func stretched2D(_ k: RationalImage, by g: Int) throws -> RationalImage {
    try RationalImage(
        rows: k.rows, columns: k.columns,
        values: (0..<k.count).map { k[($0 / k.columns) * g, ($0 % k.columns) * g] })
}
private func legendre(_ m: Int, _ d: Int) throws -> Int {
    try StretchGroup(d).power(Primes.mod(m, d), (d - 1) / 2) == 1 ? 1 : -1
}
private func variable(_ i: Int) -> MultivariatePolynomial { .variable(i) }
private func constant(_ r: Rational) -> MultivariatePolynomial { MultivariatePolynomial(r) }

// MARK: - Structural facts

@Suite struct ProofStepTests {
    /// S1: "for every k | d−1 … S has at most φ(k) elements of order k … Σ_{k | d−1} φ(k) = d−1 = |S|, so each
    /// bound is attained", with the premise "the k roots [of x^k − 1] are exactly ⟨h⟩".
    @Test("S1 — Z_d^* has exactly φ(k) elements of order k; the k-th roots of 1 are ⟨h⟩")
    func s1_orderCountsAreEulerPhi() throws {
        for d in Primes.inRange(3, 211) {
            let group = try StretchGroup(d)
            var count: [Int: Int] = [:]
            for g in group.elements { count[try group.elementOrder(g), default: 0] += 1 }
            for k in 1...(d - 1) where (d - 1) % k == 0 {
                #expect(count[k, default: 0] == Primes.totient(k), "d=\(d) k=\(k)")
            }
            #expect(count.keys.allSatisfy { (d - 1) % $0 == 0 })
            guard d <= 61 else { continue }
            for h in group.elements {
                let k = try group.elementOrder(h)
                let roots = try Set(group.elements.filter { try group.power($0, k) == 1 })
                let powers = try Set((0..<k).map { try group.power(h, $0) })
                #expect(roots == powers, "d=\(d) h=\(h)")
            }
        }
    }

    /// S1: "(g·k)^(u) = k̂(g⁻¹u)" and "σ_a(k̂(u)) = k̂(au), so k̂(u) = σ_u(k̂(1)) and (g·k)^ = σ_{g⁻¹}∘k̂";
    /// "|k̂(u)|² = k̂(u)k̂(−u)".
    @Test("S1 — the stretch is the frequency permutation u ↦ g⁻¹u and the Galois action σ_{g⁻¹}")
    func s1_stretchIsFrequencyPermutationAndGaloisAction() throws {
        var s = TestStream(seed: 0x5101)
        for d in [5, 7, 11, 13] {
            let group = try StretchGroup(d)
            let k = randomSignal(&s, d)
            let hat = try ExactDFT.forward(k)
            for u in 1..<d {
                #expect(hat[u] == (try hat[1].galois(u)))
                #expect(hat[u].squaredModulus == (try hat[u] * hat[d - u]))
            }
            for g in group.elements {
                let gInverse = try group.inverse(g)
                let stretched = try ExactDFT.forward(try group.stretch(k, by: g))
                for u in 0..<d {
                    #expect(stretched[u] == hat[u * gInverse % d], "d=\(d) g=\(g) u=\(u)")
                    #expect(stretched[u] == (try hat[u].galois(gInverse)))
                }
            }
        }
    }

    /// S1: "It is a group automorphism of Z_d, hence also distributes over circular convolution:
    /// g·(a ⊛ b) = (g·a) ⊛ (g·b)."
    @Test("S1 — g·(a ⊛ b) = (g·a) ⊛ (g·b) on Z_d")
    func s1_stretchDistributesOverConvolution() throws {
        var s = TestStream(seed: 0x5102)
        for d in [7, 11, 13] {
            let group = try StretchGroup(d)
            let a = randomSignal(&s, d), b = randomSignal(&s, d)
            for g in group.elements {
                #expect(
                    try group.stretch(conv(a, b), by: g)
                        == conv(group.stretch(a, by: g), group.stretch(b, by: g)))
            }
        }
    }

    /// S1: "Σ_{u≠0} f(k̂₁(u), k̂₁(−u), k̂₂(u), k̂₂(−u)) = Tr_{Q(ζ_d)/Q} f(k̂₁(1), k̂₁(−1), k̂₂(1), k̂₂(−1)), a rational
    /// number"; in particular Σ_{u≠0}|k̂₁|²|k̂₂|² = Tr(|k̂₁(1)|²|k̂₂(1)|²).
    @Test("S1 — frequency sums of rational polynomials in the spectra are Galois traces")
    func s1_frequencySumsAreGaloisTraces() throws {
        var s = TestStream(seed: 0x5103)
        for d in [5, 7, 11] {
            let field = try CyclotomicField(order: d)
            let h1 = try ExactDFT.forward(randomSignal(&s, d)), h2 = try ExactDFT.forward(randomSignal(&s, d))
            let joint = try (1..<d).map { try h1[$0].squaredModulus * h2[$0].squaredModulus }
            #expect(try total(joint, in: field).rationalValue == (try joint[0].trace))
            // A polynomial that is not symmetric under u ↦ −u: f = k̂₁(u)·k̂₂(−u)² + 3k̂₁(−u).
            let f = try (1..<d).map { u in try h1[u] * h2[d - u] * h2[d - u] + Rational(3) * h1[d - u] }
            let sum = try total(f, in: field)
            #expect(sum.isRational)
            #expect(sum.rationalValue == f[0].trace)
        }
    }

    /// S2: "E_g |(g·k₁)^(u)|² = … = ⟨|k̂₁|²⟩ (u ≠ 0), independent of u" and "E_g P(g·k₁, k₂) = ⟨|k̂₁|²⟩⟨|k̂₂|²⟩".
    @Test("S2 — the Haar average of the stretched power is the frequency mean (1D)")
    func s2_haarAverageOfStretchedPowerIsFrequencyMean() throws {
        var s = TestStream(seed: 0x5201)
        for d in [5, 7, 11] {
            let group = try StretchGroup(d)
            let k1 = randomSignal(&s, d), k2 = randomSignal(&s, d)
            let p1 = try powers(line(k1)), p2 = try powers(line(k2))
            let stretchedPowers = try group.elements.map { try powers(line(group.stretch(k1, by: $0))) }
            let field = p1[0].field
            for u in 1..<d {
                let average = try total(stretchedPowers.map { $0[u] }, in: field).rationalValue
                #expect(average?.divided(byNonZero: d - 1) == (try meanNonZero(p1)), "d=\(d) u=\(u)")
            }
            var contrast = Rational.zero
            for stretched in stretchedPowers { contrast += try meanNonZero(products(p2, stretched)) }
            #expect(contrast.divided(byNonZero: d - 1) == (try meanNonZero(p1) * meanNonZero(p2)))
        }
    }

    /// S2: "In 2D with one g on both axes the orbit of (u, v) is only the line {t(u, v)}, so the factorisation
    /// holds line by line, not globally".
    @Test("S2 — in 2D (one g on both axes) the average factorises per line, not globally")
    func s2_factorisationIsLineByLineIn2D() throws {
        let d = 5
        let group = try StretchGroup(d)
        let k1 = grid([[1, 1, 0, 0, 0]] + Array(repeating: [0, 0, 0, 0, 0], count: 4))  // δ₀ + δ_(0,1)
        let k2 = grid([[1, 0, 0, 0, 0], [1, 0, 0, 0, 0]] + Array(repeating: [0, 0, 0, 0, 0], count: 3))
        let p1 = try powers(k1), p2 = try powers(k2)
        let stretchedPowers = try group.elements.map { try powers(stretched2D(k1, by: $0)) }
        let field = p1[0].field
        for w in 1..<(d * d) {
            let (u, v) = (w / d, w % d)
            let haar = try total(stretchedPowers.map { $0[w] }, in: field)
            let lineMean = try total(
                group.elements.map { p1[Primes.mod($0 * u, d) * d + Primes.mod($0 * v, d)] },
                in: field)
            #expect(haar == lineMean, "w=(\(u),\(v))")
        }
        var contrast = Rational.zero
        for stretched in stretchedPowers { contrast += try meanNonZero(products(p2, stretched)) }
        let average = contrast.divided(byNonZero: d - 1)
        #expect(average == q(7, 2))
        #expect(try meanNonZero(p1) * meanNonZero(p2) == q(529, 144))
        #expect(average != (try meanNonZero(p1) * meanNonZero(p2)))
    }

    /// S3: "|k̂(u)|² = Σ_τ r(τ) ζ^{uτ}", "Σ_u |k̂₁(u)|²|k̂₂(u)|² = N Σ_τ r₁(τ) r₂(−τ)", "Σ_u |k̂(u)|² = N r(0)",
    /// "|k̂(0)|² = (Σ_m k[m])²", and ⟨|k̂₁|²|k̂₂|²⟩ = (N Σ_τ r₁(τ)r₂(−τ) − (Σk₁)²(Σk₂)²)/(N−1), on any grid.
    @Test("S3 — autocorrelation identities on composite and 2D grids")
    func s3_autocorrelationIdentitiesOnAnyGrid() throws {
        var s = TestStream(seed: 0x5301)
        for (rows, columns) in [(1, 6), (1, 8), (1, 9), (2, 3), (3, 4), (4, 4), (2, 6)] {
            let n = rows * columns
            let k1 = try RationalImage(rows: rows, columns: columns, values: randomSignal(&s, n))
            let k2 = try RationalImage(rows: rows, columns: columns, values: randomSignal(&s, n))
            func autocorrelation(_ k: RationalImage) throws -> RationalImage {
                try RationalImage(
                    rows: rows, columns: columns,
                    values: (0..<n).map { tau in
                        var r = Rational.zero
                        for m in 0..<n {
                            r += k.values[m] * k[m / columns + tau / columns, m % columns + tau % columns]
                        }
                        return r
                    })
            }
            func minus(_ i: Int) -> Int {
                Primes.mod(-(i / columns), rows) * columns + Primes.mod(-(i % columns), columns)
            }
            let r1 = try autocorrelation(k1), r2 = try autocorrelation(k2)
            let p1 = try powers(k1), p2 = try powers(k2), r1Hat = try ExactDFT.forward2D(r1).values
            for w in 0..<n { #expect(p1[w] == r1Hat[minus(w)], "\(rows)x\(columns) w=\(w)") }  // Σ_τ r(τ)ζ^{+wτ}
            var cross = Rational.zero
            for tau in 0..<n { cross += r1.values[tau] * r2.values[minus(tau)] }
            let joint = try products(p1, p2), field = p1[0].field
            #expect(try total(joint, in: field).rationalValue == Rational(n) * cross)
            #expect(try total(p1, in: field).rationalValue == Rational(n) * r1.values[0])
            #expect(p1[0].rationalValue == k1.sum.squared)
            #expect(
                try meanNonZero(joint)
                    == (Rational(n) * cross - k1.sum.squared * k2.sum.squared).divided(byNonZero: n - 1))
        }
    }

    /// S4: "π_g is multiplication mod 2d−1 only for g = 1", and the Lemma: "M = F S_π F⁻¹ is a permutation matrix iff
    /// π(i) = ai … M e_ν = e_μ iff χ_ν∘π = χ_μ". Columns computed as (M e_ν)[μ] = (1/n) Σ_i ζ^{νπ(i) − μi}.
    @Test("S4 — the signed stretch is a frequency permutation only for g = 1")
    func s4_signedStretchIsAFrequencyPermutationOnlyForGOne() throws {
        for d in Primes.inRange(2, 61) {
            let n = 2 * d - 1, group = try StretchGroup(d)
            let units = (1..<max(n, 2)).filter { Primes.gcd($0, n) == 1 }
            for g in group.elements {
                let multiplying = try units.filter { a in
                    try (-(d - 1)...(d - 1)).allSatisfy { i in
                        Primes.mod(try group.stretchSignedIndex(i, by: g) - a * i, n) == 0
                    }
                }
                #expect(multiplying == (g == 1 ? [1] : []), "d=\(d) g=\(g)")
            }
        }
        for d in [3, 5, 7] {
            let n = 2 * d - 1, group = try StretchGroup(d), field = try CyclotomicField(order: n)
            for g in group.elements {
                for nu in (d == 7 ? [1, 2] : Array(1..<n)) {
                    var column: [Cyclotomic] = []
                    for mu in 0..<n {
                        var counts = [Rational](repeating: .zero, count: n)
                        for i in -(d - 1)...(d - 1) {
                            counts[Primes.mod(nu * (try group.stretchSignedIndex(i, by: g)) - mu * i, n)] += 1
                        }
                        column.append(try Cyclotomic(exponentCoefficients: counts, in: field) * q(1, n))
                    }
                    let isBasisVector = column.filter { !$0.isZero }.count == 1 && column.contains(field.one)
                    #expect(isBasisVector == (g == 1), "d=\(d) g=\(g) ν=\(nu)")
                    if g == 1 { #expect(column[nu] == field.one) }
                }
            }
        }
    }

    // MARK: - Background claims

    /// b3.conv: "the printed 2D formula … reads a single column j of a: … (2×2 grid, a = b = 2δ_(0,0), j = 1) …
    /// the printed sum is identically 0, whereas a⊛b = 4δ_(0,0) and â·b̂ ≡ 4."
    @Test("b3.conv — the printed 2D formula reads one column; the double sum is the convolution")
    func b3Conv_printed2DFormulaReadsOneColumn() throws {
        let a = grid([[2, 0], [0, 0]])
        let printed = (0..<4).map { w -> Rational in
            var sum = Rational.zero
            for k in 1...2 { sum += a[k, 1] * a[w / 2 - k, w % 2 - 1] }
            return sum
        }
        #expect(try printed.allSatisfy(\.isZero))
        #expect(try conv(a, a) == grid([[4, 0], [0, 0]]))
        #expect(try ExactDFT.forward2D(conv(a, a)).values.allSatisfy { $0.rationalValue == 4 })
    }

    /// b4.dft-inverse: "Σ_n â[n] ζ^{nk} = Σ_j a[j] Σ_n ζ^{n(k−j)} = d·a[k] … d = 2, a = (0, 1): â = (1, −1) and the
    /// unnormalised inverse gives (0, 2) = 2a."
    @Test("b4.dft-inverse — the unnormalised inverse returns d·a")
    func b4DftInverse_unnormalisedInverseReturnsDTimesA() throws {
        var s = TestStream(seed: 0xB401)
        for n in [2, 3, 4, 6, 7, 9, 10] {
            let a = randomSignal(&s, n), hat = try ExactDFT.forward(a), field = hat[0].field
            for k in 0..<n {
                let back = try total((0..<n).map { try hat[$0] * field.zeta($0 * k) }, in: field)
                #expect(back.rationalValue == Rational(n) * a[k])
            }
        }
        #expect(try ExactDFT.forward(qs([0, 1])).map(\.rationalValue) == [1, -1])
    }

    /// b4.parseval: "Σ_u |â[u]|² = d Σ_k |a[k]|² … d = 2, a = (0, 1): ‖a‖² = 1 but Σ|â|² = 2."
    @Test("b4.parseval — Σ|â|² = d·‖a‖²")
    func b4Parseval_fourierSideCarriesD() throws {
        var s = TestStream(seed: 0xB402)
        for n in [2, 5, 6, 8, 9] {
            let a = randomSignal(&s, n), p = try powers(line(a))
            #expect(try total(p, in: p[0].field).rationalValue == Rational(n) * Signals.energy(a))
        }
        #expect(try total(powers(line([0, 1])), in: CyclotomicField(order: 2)).rationalValue == 2)
    }

    /// b4.conv-theorem: "(a⊛b)^(u) = … = â(u) b̂(u), substituting n − k over Z_d. In 2D the same computation runs".
    @Test("b4.conv-theorem — (a⊛b)^ = â·b̂ on composite 1D and 2D grids")
    func b4ConvTheorem_onCompositeGrids() throws {
        var s = TestStream(seed: 0xB403)
        for (rows, columns) in [(1, 8), (2, 3), (3, 3), (4, 6)] {
            let n = rows * columns
            let a = try RationalImage(rows: rows, columns: columns, values: randomSignal(&s, n))
            let b = try RationalImage(rows: rows, columns: columns, values: randomSignal(&s, n))
            #expect(
                try ExactDFT.forward2D(conv(a, b)).values
                    == products(ExactDFT.forward2D(a).values, ExactDFT.forward2D(b).values))
        }
    }

    /// eq16/eq17: "|X̂(u)|² = |k̂₂(u)k̂₁(u)|²|Ẑ(u)|²", "(1/N)Σ_u|k̂₂k̂₁|² = ‖k₂ ⊛ k₁‖²₂", the non-zero-frequency power
    /// "= (N·(i) − (Σk₂)²(Σk₁)²)/(N−1)"; counterexample "2×2 grid … |X̂|² = (4, 0, 4, 0) … 4/3 while (1/d²)Σ = 2".
    @Test("eq17 — the zero frequency separates eq. (17) from eq. (7)")
    func eq17_zeroFrequencyAccounting() throws {
        var s = TestStream(seed: 0xE017)
        for (rows, columns) in [(2, 2), (3, 3), (2, 4), (3, 5)] {
            let n = rows * columns
            let k1 = try RationalImage(rows: rows, columns: columns, values: randomSignal(&s, n))
            let k2 = try RationalImage(rows: rows, columns: columns, values: randomSignal(&s, n))
            let latent = try RationalImage(rows: rows, columns: columns, values: delta(n, at: s.int(0...(n - 1))))
            let x = try conv(conv(k2, k1), latent)
            let px = try powers(x), joint = try products(powers(k2), powers(k1))
            #expect(px == joint)
            #expect(try meanAll(px) == Signals.energy(conv(k2, k1)))
            #expect(
                try meanNonZero(px)
                    == (Rational(n) * meanAll(px) - k2.sum.squared * k1.sum.squared).divided(byNonZero: n - 1))
        }
        let x = try conv(conv(grid([[1, 1], [0, 0]]), grid([[0, 0], [0, 1]])), grid([[1, 0], [0, 0]]))
        let px = try powers(x)
        #expect(px.map(\.rationalValue) == [4, 0, 4, 0])
        #expect(try meanNonZero(px) == q(4, 3))
        #expect(try meanAll(px) == 2)
    }

    /// b5.action: "π_{g⁻¹}(π_g(i)) = … = i, and likewise π_g∘π_h = π_{gh}"; "d = 3, g = 2: integer products send ±2 to
    /// ±4, outside the tuple; mod 5, the positive index 2 goes to 4 ≡ −1, a negative index."
    @Test("b5.action — the signed action is a sign-preserving group action; the other readings fail at d = 3")
    func b5Action_signedGroupActionAndCounterexamples() throws {
        for d in Primes.inRange(3, 23) {
            let group = try StretchGroup(d)
            for g in group.elements {
                let images = try (-(d - 1)...(d - 1)).map { try group.stretchSignedIndex($0, by: g) }
                #expect(Set(images).count == 2 * d - 1)
                #expect(zip(-(d - 1)...(d - 1), images).allSatisfy { $0.signum() == $1.signum() })
                for h in group.elements {
                    for i in -(d - 1)...(d - 1) {
                        #expect(
                            try group.stretchSignedIndex(group.stretchSignedIndex(i, by: h), by: g)
                                == group.stretchSignedIndex(i, by: group.product(g, h)))
                    }
                }
                let gInverse = try group.inverse(g)
                for i in -(d - 1)...(d - 1) {
                    #expect(try group.stretchSignedIndex(group.stretchSignedIndex(i, by: g), by: gInverse) == i)
                }
            }
        }
        #expect(2 * 2 > 3 - 1)  // integer reading: 2·2 = 4 is outside {−2, …, 2}
        let modFive = Primes.mod(2 * 2, 5)  // mod 2d−1 = 5, shown signed
        #expect((modFive <= 2 ? modFive : modFive - 5) == -1)
    }

    /// sec2.4.stretch-dft: "d = 3, g = 2, k = δ₁ on Z₅. The signed stretch sends k to δ₂ …, so (g·k)^(ν) = ζ₅^{−2ν};
    /// at ν = 2 this is ζ₅^{−4} = ζ₅, whereas the printed right side is k̂(sign(2)(2·2 mod 3)) = k̂(1) = ζ₅^{−1}."
    @Test("sec2.4.stretch-dft — the signed-axis counterexample d = 3, g = 2, k = δ₁")
    func sec24StretchDft_signedAxisCounterexample() throws {
        let group = try StretchGroup(3), field = try CyclotomicField(order: 5)
        let k = delta(5, at: 1), stretched = try group.stretchSigned(k, by: 2)
        #expect(stretched == delta(5, at: 2))
        let hat = try ExactDFT.forward(stretched), kHat = try ExactDFT.forward(k)
        #expect(hat[2] == field.zeta(1))
        let printedIndex = try group.stretchSignedIndex(2, by: group.inverse(2))
        #expect(printedIndex == 1)
        #expect(kHat[printedIndex] == field.zeta(-1))
        #expect(hat[2] != kHat[printedIndex])
    }

    /// eq14: "Π_g = Π^{ind_r(g)}" and "Whether g maps {1, …, (d−1)/2} to itself depends on g (d = 5, g⁻¹ = 2:
    /// 2 ↦ 4 ≡ −1)".
    @Test("eq14 — on Z_d, M_g = diag(1, Π_r^{ind_r g}); the half-axis blocks are not preserved")
    func eq14_zdMatrixIsAPowerOfOnePermutation() throws {
        for d in [5, 7, 11, 13] {
            let group = try StretchGroup(d), r = group.smallestPrimitiveRoot
            for g in group.elements {
                let gInverse = try group.inverse(g), power = try group.discreteLogarithm(g, base: r)
                for u in 1..<d {
                    var image = u
                    for _ in 0..<power { image = image * (try group.inverse(r)) % d }
                    #expect(image == u * gInverse % d)
                }
            }
        }
        #expect(try StretchGroup(5).inverse(3) == 2 && 2 * 2 % 5 == 5 - 1)
    }

    // MARK: - Solution sets

    /// prop1: "put ω = f₁*∘f₁⁻¹ = f₂*⁻¹∘f₂ … and then f₁ = ω⁻¹∘f₁*, f₂ = f₂*∘ω." The earlier text had
    /// "ω = f₁*∘f₁⁻¹ = f₂⁻¹∘f₂*", which is false: f₂⁻¹∘f₂* = ω⁻¹ and f₂*∘(f₂⁻¹∘f₂*) ≠ f₂.
    @Test("prop1 — ω = f₁*∘f₁⁻¹ = f₂*⁻¹∘f₂ (not f₂⁻¹∘f₂*), Models 1 and 2")
    func prop1_omegaIsF1StarF1InverseEqualsF2StarInverseF2() throws {
        // Model 1 on Z_7 (f = convolution by a kernel).
        let k1Star = qs([1, 1, 0, 0, 0, 0, 0]), k2Star = qs([2, 0, 1, 0, 0, 0, 0])
        let omega0 = qs([3, 1, 0, 0, 1, 0, 0]), unit = delta(7)
        for k in [k1Star, k2Star, omega0] { #expect(try Signals.isInvertible(line(k))) }
        let k1 = try conv(inverse(omega0), k1Star), k2 = try conv(k2Star, omega0)
        #expect(try conv(k2, k1) == conv(k2Star, k1Star))  // (k₁, k₂) ∈ S
        let omega = try conv(k1Star, inverse(k1))  // f₁*∘f₁⁻¹
        #expect(omega == omega0)
        #expect(try conv(inverse(k2Star), k2) == omega)  // f₂*⁻¹∘f₂: the corrected step
        #expect(try conv(inverse(omega), k1Star) == k1)
        #expect(try conv(k2Star, omega) == k2)
        let printed = try conv(inverse(k2), k2Star)  // f₂⁻¹∘f₂*: the false step
        #expect(printed != omega)
        #expect(try conv(printed, omega) == unit)  // it is ω⁻¹
        #expect(try conv(k2Star, printed) != k2)  // f₂*∘(f₂⁻¹∘f₂*) ≠ f₂
        // Model 2, proofs.md's instance: d = 3, f₁ = B, f₂ = A (diagonals act coordinatewise).
        let bStar = qs([1, 2]), aStar = qs([3, 1]), b = qs([2, 1]), a = [q(3, 2), q(2)]
        #expect(zip(a, b).map { $0 * $1 } == zip(aStar, bStar).map { $0 * $1 })
        let omega2 = try zip(bStar, b).map { try $0 / $1 }
        #expect(omega2 == [q(1, 2), q(2)])
        #expect(try zip(a, aStar).map { try $0 / $1 } == omega2)
        let printed2 = try zip(aStar, a).map { try $0 / $1 }
        #expect(printed2 == [q(2), q(1, 2)])
        #expect(zip(aStar, printed2).map { $0 * $1 } == [q(6), q(1, 2)])
        #expect(zip(aStar, printed2).map { $0 * $1 } != a)
        #expect(try zip(bStar, omega2).map { try $0 / $1 } == b && zip(aStar, omega2).map { $0 * $1 } == a)
    }

    /// prop1: "X = τ_Z c with c = k₂⊛k₁, so E[X] = π ⊛ c and the law of X fixes π̂ĉ, hence ĉ when π̂ has no zero."
    @Test("prop1 — E[X] = π ⊛ c, so c is identified when π̂ has no zero")
    func prop1_identifiabilityFromTheMean() throws {
        let pi = [q(1, 3)] + Array(repeating: q(1, 6), count: 4)
        var s = TestStream(seed: 0x1001)
        for _ in 0..<4 {
            let model = try Model1(k1: line(randomSignal(&s, 5)), k2: line(randomSignal(&s, 5)), latent: line(pi))
            let distribution = model.outputDistribution
            let mean = (0..<5).map { i in distribution.expectation { $0.values[i] } }
            #expect(try mean == conv(pi, model.composite.values))
            #expect(try conv(inverse(pi), mean) == model.composite.values)
        }
    }

    /// cor2: "If a⊙b = c* then with ω = a/a* > 0: a = a*⊙ω and b = c*/a = b*/ω".
    @Test("cor2 — every solution is (a*⊙ω, b*/ω) with ω = a/a*")
    func cor2_solutionsAreScalings() throws {
        var s = TestStream(seed: 0xC002)
        for _ in 0..<10 {
            let aStar = (0..<6).map { _ in q(s.int(1...9), s.int(1...4)) }
            let bStar = (0..<6).map { _ in q(s.int(1...9), s.int(1...4)) }
            let a = (0..<6).map { _ in q(s.int(1...9), s.int(1...4)) }
            let b = try zip(zip(aStar, bStar), a).map { try ($0.0 * $0.1) / $1 }
            let omega = try zip(a, aStar).map { try $0 / $1 }
            #expect(zip(aStar, omega).map { $0 * $1 } == a)
            #expect(try zip(bStar, omega).map { try $0 / $1 } == b)
        }
    }

    /// prop2: "A(k) = Σ_{u≠0} k̂(u) = d·k[0] − Σ_m k[m]" and "At u ≠ 0, by S1, Σ_g k̂₁(g⁻¹u) = Σ_{v≠0} k̂₁(v) = A(k₁)".
    @Test("prop2 — A(k) = Σ_{u≠0} k̂(u) = d·k[0] − Σk is the orbit sum at every u ≠ 0")
    func prop2_averageOfTheNonZeroCoefficients() throws {
        var s = TestStream(seed: 0x2001)
        for d in [5, 7, 11, 13] {
            let group = try StretchGroup(d), k = randomSignal(&s, d), hat = try ExactDFT.forward(k)
            let a = Rational(d) * k[0] - k.reduce(Rational.zero, +)
            #expect(try total(Array(hat.dropFirst()), in: hat[0].field).rationalValue == a)
            let stretched = try group.elements.map { try ExactDFT.forward(group.stretch(k, by: $0)) }
            for u in 1..<d { #expect(try total(stretched.map { $0[u] }, in: hat[0].field).rationalValue == a) }
        }
    }

    /// prop2 (i) and (ii): "(i) If k̂₁ = λ⁻¹k̂₁* and k̂₂ = λk̂₂* on Z_d^* … S-equivalent"; "(ii) … equal multisets and
    /// Σ_g k₂⊛g·k₁ = Σ_g k₂*⊛g·k₁* … If A(k₁*) ≠ 0 … k̂₂ = λk̂₂* on Z_d^* with λ = A(k₁*)/A(k₁) ∈ ℝ∖{0}".
    @Test("prop2 — under A(k₁*) ≠ 0, S-equivalence ⇔ a common real λ, λ = A(k₁*)/A(k₁)")
    func prop2_equivalenceIffLambdaUnderNonZeroAverage() throws {
        var s = TestStream(seed: 0x2002)
        var equivalentWithNonTrivialLambda = 0, inequivalent = 0
        for d in [5, 7] {
            let group = try StretchGroup(d)
            let pi = line([q(1, 3)] + Array(repeating: q(2, 3 * (d - 1)), count: d - 1))
            for trial in 0..<8 {
                let k1Star = try randomInvertible(&s, d), k2Star = try randomInvertible(&s, d)
                let aStar = Rational(d) * k1Star[0] - k1Star.reduce(Rational.zero, +)
                guard !aStar.isZero else { continue }
                let omega: [Rational]
                switch trial % 4 {
                case 0: omega = delta(d).map { $0 * q(3, 2) }  // scaling
                case 1: omega = zip(delta(d), Array(repeating: q(1, 2), count: d)).map { $0 * 2 + $1 }
                case 2: omega = try conv(k1Star, inverse(group.stretch(k1Star, by: group.smallestPrimitiveRoot)))
                default: omega = try randomInvertible(&s, d)
                }
                let k1 = try conv(inverse(omega), k1Star), k2 = try conv(k2Star, omega)
                let model = try Model1(k1: line(k1), k2: line(k2), latent: pi)
                let truth = try Model1(k1: line(k1Star), k2: line(k2Star), latent: pi)
                let equivalent = try model.isEquivalent(to: truth, .modular)
                let omegaHat = try ExactDFT.forward(omega)
                let lambdaCondition = omegaHat.dropFirst().allSatisfy { $0 == omegaHat[1] }
                #expect(equivalent == lambdaCondition, "d=\(d) trial=\(trial)")
                guard equivalent else { inequivalent += 1; continue }
                var sum = [Rational](repeating: .zero, count: d), sumStar = sum
                for g in group.elements {
                    let term = try conv(k2, group.stretch(k1, by: g))
                    let termStar = try conv(k2Star, group.stretch(k1Star, by: g))
                    sum = zip(sum, term).map { $0 + $1 }
                    sumStar = zip(sumStar, termStar).map { $0 + $1 }
                }
                #expect(sum == sumStar)
                let lambda = try aStar / (Rational(d) * k1[0] - k1.reduce(Rational.zero, +))
                let h2 = try ExactDFT.forward(k2), h2Star = try ExactDFT.forward(k2Star)
                for u in 1..<d { #expect(h2[u] == lambda * h2Star[u]) }
                if lambda != 1 { equivalentWithNonTrivialLambda += 1 }
            }
        }
        #expect(equivalentWithNonTrivialLambda >= 4 && inequivalent >= 2)
    }

    /// prop2 (ii) for d = 3: "C = C* means either k₂⊛k₁^R = k₂*⊛k₁*^R … or both k₁ and k₁* are symmetric …; either way
    /// ρ is real" — "For d ≤ 3 the hypothesis A(k₁*) ≠ 0 is not needed".
    @Test("prop2 — at d = 3 equivalence gives a real λ even when A(k₁*) = 0")
    func prop2_d3NeedsNoAverageHypothesis() throws {
        let pi = line([q(1, 2), q(1, 4), q(1, 4)])
        var equivalentWithZeroAverage = 0
        let omegas = [[1, 1, 0], [2, 0, 1], [1, 2, 2], [3, 1, 1], [0, 1, 0], [2, -1, 0]].map(qs)
        for k1Star in [[1, 2, 0], [2, 3, 1], [1, 0, 2], [0, 1, 2], [2, 1, 1]].map(qs) {  // A = 0 for (2, 3, 1)
            for omega in omegas {
                guard try Signals.isInvertible(line(omega)) else { continue }
                let k2Star = qs([2, 1, 0])
                let k1 = try conv(inverse(omega), k1Star), k2 = try conv(k2Star, omega)
                let equivalent = try Model1(k1: line(k1), k2: line(k2), latent: pi)
                    .isEquivalent(to: Model1(k1: line(k1Star), k2: line(k2Star), latent: pi), .modular)
                guard equivalent else { continue }
                let hatStar = try ExactDFT.forward(k1Star), hat = try ExactDFT.forward(k1)
                let ratio = try hatStar[1] / hat[1]
                #expect(try ratio == ratio.conjugate && ratio == hatStar[2] / hat[2])
                if Rational(3) * k1Star[0] == k1Star.reduce(Rational.zero, +) { equivalentWithZeroAverage += 1 }
            }
        }
        #expect(equivalentWithZeroAverage >= 2)
    }

    /// prop2 remark: "ω̂(0) = d and ω̂(u) = χ(u)√d"; "ψ̂_g(u) = ω̂(u)/ω̂(g⁻¹u) = χ(g)"; "For a non-residue,
    /// ψ_g = −δ + (2/d)·1 … ψ_g⊛g·k₁* = … = (−g)·k₁*"; "C = C* … yet k̂₁*/k̂₁ = √d·χ(u) … is not constant";
    /// "A(k₁*) = dβ − dβ = 0"; the d = 5 instance with its four-element family.
    @Test("prop2 — the Legendre family refutes (ii) without A(k₁*) ≠ 0 (d = 5, 13)")
    func prop2_legendreFamilyRemark() throws {
        for (d, k1Star) in [(5, qs([5, 6, 7, 3, 4])), (13, qs([1, 2] + Array(repeating: 1, count: 10) + [0]))] {
            let group = try StretchGroup(d), field = try CyclotomicField(order: d)
            let chi = try (0..<d).map { $0 == 0 ? 0 : try legendre($0, d) }
            let omega = chi.map { Rational(1 + $0) }
            let gauss = try Cyclotomic(exponentCoefficients: chi.map { Rational($0) }, in: field)
            #expect(try gauss * gauss == field.element(Rational(d)))
            let omegaHat = try ExactDFT.forward(omega)
            #expect(omegaHat[0].rationalValue == Rational(d))
            for u in 1..<d { #expect(omegaHat[u] == Rational(chi[u]) * gauss) }
            #expect(Rational(d) * k1Star[0] == k1Star.reduce(Rational.zero, +))  // A(k₁*) = 0
            let k1 = try conv(inverse(omega), k1Star), k2 = omega  // k₂* = δ
            #expect(try conv(omega, k1) == k1Star)
            let family = try Set(group.elements.map { try conv(k2, group.stretch(k1, by: $0)) })
            let familyStar = try Set(group.elements.map { try group.stretch(k1Star, by: $0) })
            #expect(family == familyStar)
            for g in group.elements where chi[g] == -1 {
                let psi = (0..<d).map { ($0 == 0 ? Rational(-1) : .zero) + q(2, d) }
                #expect(try conv(psi, group.stretch(k1Star, by: g)) == group.stretch(k1Star, by: d - g))
            }
            let hat = try ExactDFT.forward(k1), hatStar = try ExactDFT.forward(k1Star)
            let ratios = try (1..<d).map { try hatStar[$0] / hat[$0] }
            #expect(ratios == (1..<d).map { omegaHat[$0] })
            #expect(Set(ratios.prefix((d - 1) / 2)).count == 2)
            if d == 5 {
                let listed = Set([[5, 6, 7, 3, 4], [5, 3, 6, 4, 7], [5, 4, 3, 7, 6], [5, 7, 4, 6, 3]].map(qs))
                #expect(family == listed && k1 == qs([1, 2, 1, 1, 0]) && omega == qs([1, 2, 0, 0, 2]))
                let pi = line([q(1, 3)] + Array(repeating: q(1, 6), count: 4))
                #expect(
                    try Model1(k1: line(k1), k2: line(k2), latent: pi)
                        .isEquivalent(to: Model1(k1: line(k1Star), k2: line(delta(5)), latent: pi), .modular))
            }
        }
    }

    /// prop2, why the printed reading fails: "(d = 5, positions on Z₉): k₁* = δ₋₄, k₂* = δ₀, ω = δ₄, hence k₁ = δ₁, k₂
    /// = δ₄ … C* = {δ₋₁, …, δ₋₄} and C = … = {δ₋₄, …, δ₋₁} … k̂₁*(u)/k̂₁(u) = ζ₉^{5u} is not constant"; and "the same
    /// happens at d = 3 with k₁* = δ₋₁, ω = δ₂".
    @Test("prop2 — on the signed axis a translation carries one stretch orbit onto another")
    func prop2_signedAxisCounterexample() throws {
        for (d, start, shift) in [(5, -4, 4), (3, -1, 2)] {
            let n = 2 * d - 1, group = try StretchGroup(d), field = try CyclotomicField(order: n)
            let k1Star = delta(n, at: start), k2Star = delta(n), omega = delta(n, at: shift)
            let k1 = try conv(inverse(omega), k1Star), k2 = try conv(k2Star, omega)
            #expect(k1 == delta(n, at: start - shift) && k2 == delta(n, at: shift))
            let family = try Set(group.elements.map { try conv(k2, group.stretchSigned(k1, by: $0)) })
            let familyStar = try Set(group.elements.map { try conv(k2Star, group.stretchSigned(k1Star, by: $0)) })
            #expect(family == familyStar)
            #expect(familyStar == Set((1..<d).map { delta(n, at: -$0) }))
            let hat = try ExactDFT.forward(k1), hatStar = try ExactDFT.forward(k1Star)
            let ratios = try (1..<d).map { try hatStar[$0] / hat[$0] }
            #expect(ratios == (1..<d).map { field.zeta(-shift * $0) })  // k̂₁*/k̂₁ = ζ^{−shift·u}
            if d == 5 { #expect(ratios == (1..<d).map { field.zeta(5 * $0) }) }
            #expect(Set(ratios).count == d - 1)
        }
    }

    // MARK: - Genericity

    /// prop4.formula: "|X̂|² = |k̂₂k̂₁|² … for every realisation of Z, so P(D_θ) = ⟨|k̂₂k̂₁|²⟩ … independently of π.
    /// The denominator of Def. 2 is E_g P(g·k₁, k₂) = ⟨|k̂₁|²⟩⟨|k̂₂|²⟩ by S2."
    @Test("prop4.formula — P(D_θ) = ⟨|k̂₂k̂₁|²⟩ for every π, and the literal generic ratio is the SDR")
    func prop4Formula_genericRatioIsTheSDR() throws {
        var s = TestStream(seed: 0x4001)
        for d in [5, 7, 11] {
            let k1 = line(randomSignal(&s, d)), k2 = line(randomSignal(&s, d))
            let joint = try meanNonZero(products(powers(k1), powers(k2)))
            for pi in [delta(d), [q(1, 2)] + Array(repeating: q(1, 2 * (d - 1)), count: d - 1)] {
                let model = try Model1(k1: k1, k2: k2, latent: line(pi))
                #expect(Model1.powerContrast(model.outputDistribution) == joint)
                #expect(try model.genericRatio(.modular) == directSDR(k1, k2))
            }
        }
    }

    /// prop4.formula, general form: "O(u) = (1/(d−1)) Σ_g |k̂(gu)|² … is rational … Σ_U |k̂₂|²O₁ = Σ_U O₂O₁ … the minimal
    /// counterexamples … the SDR is (16/2)/(2·2) = 2 … the 2D SDR … is (16/3)/((4/3)²) = 3."
    @Test("prop4.formula — orbit averages by the Ramanujan sum; Def. 2's ratio in 2D and over all frequencies")
    func prop4Formula_orbitAverages() throws {
        var s = TestStream(seed: 0x4002)
        for (rows, d) in [(1, 7), (5, 5), (7, 7)] {
            let k1 = try RationalImage(rows: rows, columns: d, values: randomSignal(&s, rows * d))
            let k2 = try RationalImage(rows: rows, columns: d, values: randomSignal(&s, rows * d))
            let (p1, p2) = (try powers(k1), try powers(k2))
            let field = p1[0].field
            // O(u) straight from the exact DFT: the mean of |k̂|² over {gu}.
            func orbit(_ p: [Cyclotomic], _ u: Int) throws -> Rational {
                let (u0, u1) = (u / d, u % d)
                let terms = (1..<d).map { g in p[((g * u0) % d) * d + (g * u1) % d] }
                return try rational(total(terms, in: field)) / Rational(d - 1)
            }
            let o1 = try Model1.orbitAveragedPower(k1), o2 = try Model1.orbitAveragedPower(k2)
            for u in 1..<(rows * d) {
                #expect(try o1[u] == orbit(p1, u))
                let line = (1..<d).map { g in ((g * (u / d)) % d) * d + (g * (u % d)) % d }
                let lineSum = try rational(total(line.map { p2[$0] }, in: field))
                #expect(lineSum == Rational(d - 1) * o2[u])  // Σ over the orbit of |k̂₂|² = (d − 1)·O₂
            }
            for averaging in FrequencyAveraging.allCases {
                let model = try Model1(k1: k1, k2: k2)
                #expect(
                    try model.genericRatio(.modular, averaging: averaging)
                        == model.genericRatioByOrbits(averaging: averaging))
            }
        }
        let ones = grid([[1, 1], [0, 0]])
        #expect(try Model1(k1: ones, k2: ones).genericRatio(.modular) == 1)
        #expect(try SpectralDensityRatio.ratio(ones, ones) == 3)
        #expect(try SpectralDensityRatio.ratio(line([1, 1]), line([1, 1]), averaging: .all) == 2)
    }

    /// prop4.formula, signed axis: "d = 3 (Z₅), k₁ = δ₋₂ + δ₋₁, k₂ = δ₀ + δ₁ … g·k₁ = k₁: … the generic ratio is 1 …
    /// Σ_{u≠0}|k̂|² = 5·2 − 4 = 6 and Σ_{u≠0}|k̂₁|²|k̂₂|² = 5·(4 + 1 + 1) − 16 = 14, giving ρ = 14/9."
    @Test("prop4.formula — on the signed axis the generic ratio is 1 while the SDR is 14/9")
    func prop4Formula_signedAxisCounterexample() throws {
        let k1 = qs([0, 0, 0, 1, 1]), k2 = qs([1, 1, 0, 0, 0])
        #expect(try StretchGroup(3).stretchSigned(k1, by: 2) == k1)
        #expect(try Model1(k1: line(k1), k2: line(k2)).genericRatio(.signed) == 1)
        let p1 = try powers(line(k1)), p2 = try powers(line(k2)), field = p1[0].field
        #expect(try total(Array(p1.dropFirst()), in: field).rationalValue == 6)
        #expect(try total(Array(products(p1, p2).dropFirst()), in: field).rationalValue == 14)
        #expect(try directSDR(line(k1), line(k2)) == q(14, 9))
    }

    /// prop4.eye: "(i) ρ_all(k₁, k₂) = 1 + r₂(ℓ)/r₂(0)"; "(ii) ρ = (N−1)(2N r₂(0) + 2N r₂(ℓ) − 4S²)/((2N−4)(N r₂(0) −
    /// S²))"; "r₂(ℓ) = 0 once ℓ's circular distance is ≥ δ along one axis"; for separated eyes "ρ = 1 iff r₂(0) = S²".
    @Test("prop4.eye — the eye formulas (all and non-zero frequencies) against direct frequency sums")
    func prop4Eye_formulasAgainstDirectSums() throws {
        var s = TestStream(seed: 0x4E01)
        var separatedCases = 0, separatedGeneric = 0
        for (d, side) in [(4, 2), (5, 2), (5, 3), (6, 2), (7, 3)] {
            var k2Rows = [[Int]](repeating: [Int](repeating: 0, count: d), count: d)
            for i in 0..<side { for j in 0..<side { k2Rows[i][j] = s.int(-2...3) } }
            k2Rows[0][0] = 1
            let k2 = grid(k2Rows), n = d * d, p2 = try powers(k2)
            let sum = k2.sum, r0 = Signals.energy(k2)
            let offsets = (1..<n).filter { d <= 5 || $0 % 5 == 0 || $0 == 2 * d - 2 }
            for l in offsets {
                let (m0, n0) = (l / d, l % d)
                var rl = Rational.zero
                for m in 0..<n { rl += k2.values[m] * k2[m / d + m0, m % d + n0] }
                let eyes = try RationalImage(rows: d, columns: d, values: (0..<n).map { $0 == 0 || $0 == l ? 1 : 0 })
                let p1 = try powers(eyes), joint = try products(p1, p2)
                let all = try meanAll(joint) / (meanAll(p1) * meanAll(p2))
                #expect(all == 1 + (try rl / r0), "d=\(d) δ=\(side) ℓ=(\(m0),\(n0))")
                let nonZero = try meanNonZero(joint) / (meanNonZero(p1) * meanNonZero(p2))
                let big = Rational(n)
                let formula =
                    try (big - 1) * (2 * big * r0 + 2 * big * rl - 4 * sum.squared)
                    / ((2 * big - 4) * (big * r0 - sum.squared))
                #expect(nonZero == formula, "d=\(d) δ=\(side) ℓ=(\(m0),\(n0))")
                if max(min(m0, d - m0), min(n0, d - n0)) >= side {
                    separatedCases += 1
                    #expect(rl.isZero && all == 1)
                    #expect((nonZero == 1) == (sum.squared == r0))
                    if nonZero != 1 { separatedGeneric += 1 }
                }
            }
        }
        #expect(separatedCases >= 10 && separatedGeneric >= 10)
        // A separated eye shape with (Σk₂)² = Σk₂² has ρ = 1 exactly.
        let flat = grid([[1, 1, 0, 0, 0], [1, -1, 0, 0, 0]] + Array(repeating: [0, 0, 0, 0, 0], count: 3))
        let eyes = grid([[1, 0, 1, 0, 0]] + Array(repeating: [0, 0, 0, 0, 0], count: 4))
        #expect(try directSDR(eyes, flat) == 1)
    }

    /// prop4.eye counterexamples: separated eyes "d = 5, δ = 2, … eyes at (0,0), (0,2) … ρ = 136/161" with ρ_all = 1;
    /// the shrinker's "d = 3 … ρ = 44/35 (and ρ_all = 3/2)", not separated (no offset of Z₃ is); App. A.3's condition
    /// "d = 5, δ = 2, … eyes at (0,0), (0,1): 4 < max(0, 1, 5, 4) = 5, yet ρ_all = 1 + 2/4 = 3/2".
    @Test("prop4.eye — the three hand-checked counterexamples")
    func prop4Eye_counterexamples() throws {
        let zeros5 = Array(repeating: [0, 0, 0, 0, 0], count: 3)
        let box5 = grid([[1, 1, 0, 0, 0], [1, 1, 0, 0, 0]] + zeros5)
        let separated = grid([[1, 0, 1, 0, 0]] + zeros5 + [[0, 0, 0, 0, 0]])
        #expect(try directSDR(separated, box5) == q(136, 161))
        #expect(try directSDR(separated, box5, .all) == 1)
        let box3 = grid([[1, 1, 0], [1, 1, 0], [0, 0, 0]])
        let adjacent3 = grid([[1, 1, 0], [0, 0, 0], [0, 0, 0]])
        #expect(try directSDR(adjacent3, box3) == q(44, 35))
        #expect(try directSDR(adjacent3, box3, .all) == q(3, 2))
        for l in 1..<9 {  // on Z₃ × Z₃ no offset is at circular distance ≥ δ = 2, and r₂(ℓ) ≠ 0 for the box
            #expect(max(min(l / 3, 3 - l / 3), min(l % 3, 3 - l % 3)) < 2)
            var rl = Rational.zero
            for m in 0..<9 { rl += box3.values[m] * box3[m / 3 + l / 3, m % 3 + l % 3] }
            #expect(!rl.isZero)
        }
        let adjacent5 = grid([[1, 1, 0, 0, 0]] + zeros5 + [[0, 0, 0, 0, 0]])
        #expect(2 * 2 < max(0, 1, 5 - 0, 5 - 1))
        #expect(try directSDR(adjacent5, box5, .all) == q(3, 2))
    }

    /// a3.step: "E_g⟨|k̂₂ ⊙ (g·k̂₁) ⊙ Ẑ|²⟩ = ⟨|k̂₂|² E_g|g·k̂₁|²⟩ = ⟨|k̂₂|²⟩⟨|k̂₁|²⟩"; "E_g(g·k̂₁)(u) = A/(d−1) for
    /// every u ≠ 0 … a real constant"; the printed side "≤ the true value, with equality iff … k₁ = αδ₀ + β·1"; "d = 3,
    /// k₁ = δ₁, k₂ = 2δ₀, Z = δ₀ … the left side is 4 … the printed right side is 4·1/4 = 1."
    @Test("a3.step — averaging inside the modulus is Jensen's lower bound")
    func a3Step_printedSideIsAJensenLowerBound() throws {
        var s = TestStream(seed: 0xA301)
        for d in [3, 5, 7, 11] {
            let group = try StretchGroup(d), field = try CyclotomicField(order: d)
            let flatCause = zip(delta(d), Array(repeating: Rational(2), count: d)).map { $0 * 3 + $1 }
            let causes = d == 3 ? [delta(d, at: 1), randomSignal(&s, d)] : [randomSignal(&s, d), flatCause]
            for k1 in causes {
                let k2 = d == 3 ? delta(d).map { $0 * 2 } : randomSignal(&s, d)
                let zHat = try ExactDFT.forward(delta(d, at: d == 3 ? 0 : s.int(0...(d - 1))))
                let h2 = try ExactDFT.forward(k2), p1 = try powers(line(k1)), p2 = try powers(line(k2))
                let stretched = try group.elements.map { try ExactDFT.forward(group.stretch(k1, by: $0)) }
                var left = Rational.zero
                for hat in stretched {
                    left += try meanNonZero((0..<d).map { try (h2[$0] * hat[$0] * zHat[$0]).squaredModulus })
                }
                left = left.divided(byNonZero: d - 1)
                #expect(try left == meanNonZero(p2) * meanNonZero(p1))
                let a = Rational(d) * k1[0] - k1.reduce(Rational.zero, +)
                var averaged: [Cyclotomic] = []
                for u in 0..<d {
                    let e = try total(stretched.map { $0[u] }, in: field) * q(1, d - 1)
                    if u > 0 { #expect(e.rationalValue == a.divided(byNonZero: d - 1)) }
                    averaged.append(e)
                }
                let printed = try meanNonZero((0..<d).map { try (h2[$0] * averaged[$0] * zHat[$0]).squaredModulus })
                #expect(try printed == meanNonZero(p2) * a.divided(byNonZero: d - 1).squared)
                #expect(printed <= left)
                #expect((printed == left) == (Set(k1.dropFirst()).count == 1))  // k̂₁ constant on Z_d^*
                if d == 3 && k1 == delta(3, at: 1) { #expect(left == 4 && printed == 1) }
            }
        }
    }

    /// a3.dirac-pair: "v̂(u,v) = 1 + ζ^{−t}, t = m₀u + n₀v, so |v̂|² = 2 + ζ^t + ζ^{−t} …; the mean is 2"; "d = 2, (m₀,
    /// n₀) = (0, 1): … |v̂|² = (4, 0, 4, 0) and |Fv|² = (1, 0, 1, 0), whereas the printed cosine gives the constant
    /// 4/d² = 1; and the mean of |Fv|² is 1/2".
    @Test("a3.dirac-pair — |v̂|² = 2 + ζ^t + ζ^{−t}, mean 2; the printed normalisation fails at d = 2")
    func a3DiracPair_spectrumAndMean() throws {
        for d in 2...6 {
            let field = try CyclotomicField(order: d)
            for l in 1..<(d * d) {
                let (m0, n0) = (l / d, l % d)
                let v = try RationalImage(rows: d, columns: d, values: (0..<(d * d)).map { $0 == 0 || $0 == l ? 1 : 0 })
                let p = try powers(v)
                for w in 0..<(d * d) {
                    let t = m0 * (w / d) + n0 * (w % d)
                    #expect(p[w] == (try field.element(2) + field.zeta(t) + field.zeta(-t)))
                }
                #expect(try meanAll(p) == 2)
            }
        }
        let p = try powers(grid([[1, 1], [0, 0]]))
        #expect(p.map(\.rationalValue) == [4, 0, 4, 0])
        #expect(p.map { $0.rationalValue.map { $0.divided(byNonZero: 4) } } == [1, 0, 1, 0])
        #expect(try meanAll(p).divided(byNonZero: 4) == q(1, 2))
    }

    /// sec2.6.direction: "ρ(X, k₂⁻¹) = ⟨|k̂₁|²⟩/(⟨|k̂₂|²|k̂₁|²⟩⟨|k̂₂|⁻²⟩) = … = 1/(⟨|k̂₂|²⟩⟨|k̂₂|⁻²⟩)", "1 =
    /// ⟨|k̂₂|·|k̂₂|⁻¹⟩² ≤ ⟨|k̂₂|²⟩⟨|k̂₂|⁻²⟩, with equality iff |k̂₂| is constant"; "d = 3, k₁ = k₂ = δ₀ — both
    /// directions have ρ = 1".
    @Test("sec2.6.direction — with ρ(k₁, k₂) = 1 the anti-causal ratio is 1/(⟨|k̂₂|²⟩⟨|k̂₂|⁻²⟩) ≤ 1")
    func sec26Direction_antiCausalRatio() throws {
        var s = TestStream(seed: 0x2601)
        for d in [5, 7, 11] {
            for flatMechanism in [false, true] {
                let k1 = zip(delta(d), Array(repeating: Rational(s.int(-2...2)), count: d)).map { $0 * 3 + $1 }
                var k2 = zip(delta(d), Array(repeating: Rational(1), count: d)).map { $0 * 2 + $1 }
                if !flatMechanism { k2 = try randomInvertible(&s, d) }
                #expect(try directSDR(line(k1), line(k2)) == 1)
                let x = try conv(k2, k1), k2Inverse = try inverse(k2)
                let meanInverse = try meanNonZero(powers(line(k2Inverse)))  // ⟨|k̂₂|⁻²⟩
                let backwards = try directSDR(line(x), line(k2Inverse))
                #expect(try backwards == 1 / (meanNonZero(powers(line(k2))) * meanInverse))
                #expect(flatMechanism ? backwards == 1 : backwards < 1)
            }
        }
        #expect(try directSDR(line(delta(3)), line(delta(3))) == 1)
        #expect(try directSDR(line(delta(3)), line(inverse(delta(3)))) == 1)
    }

    // MARK: - Model 2

    /// phi-tilde: "ABBᵀAᵀ = diag(a_i² b_i²), whose trace is Σ_{i=1}^{d−1} a_i²b_i²"; "d = 2, a = b = (1, 1):
    /// (1/(d−1))Σ = 2 while ⟨a²⊙b²⟩ = 1".
    @Test("phi-tilde — τ[ABBᵀAᵀ] = ⟨a²⊙b²⟩ for (d−1)-diagonals; the d-entry sum is not a mean")
    func phiTilde_traceOfTheDiagonalProduct() throws {
        var s = TestStream(seed: 0xF001)
        for d in [5, 7] {
            let a = (0..<(d - 1)).map { _ in q(s.int(1...9), s.int(1...3)) }
            let b = (0..<(d - 1)).map { _ in q(s.int(1...9), s.int(1...3)) }
            func diag(_ v: [Rational]) -> [[Rational]] {
                (0..<v.count).map { i in (0..<v.count).map { i == $0 ? v[i] : .zero } }
            }
            func times(_ x: [[Rational]], _ y: [[Rational]]) -> [[Rational]] {
                (0..<x.count).map { i in
                    (0..<x.count).map { j in
                        (0..<x.count).reduce(Rational.zero) { $0 + x[i][$1] * y[$1][j] }
                    }
                }
            }
            let product = times(times(times(diag(a), diag(b)), diag(b)), diag(a))  // diagonal: Bᵀ = B, Aᵀ = A
            let trace = (0..<(d - 1)).reduce(Rational.zero) { $0 + product[$1][$1] }
            #expect(trace.divided(byNonZero: d - 1) == Model2.traceContrast(a: a, b: b))
        }
        let ones = qs([1, 1])
        #expect(zip(ones, ones).reduce(Rational.zero) { $0 + ($1.0 * $1.1).squared } == 2)
        #expect(Model2.traceContrast(a: ones, b: ones) == 1)
    }

    /// prop5: "E_g φ̃(g·B, A) = ⟨a_k² E_g b_{gk}²⟩; for each k, g ↦ gk is a bijection of S, so E_g b_{gk}² = ⟨b²⟩"; "ρ′
    /// being symmetric in a and b, it is the same with S acting on A".
    @Test("prop5 — E_g b_{gk}² = ⟨b²⟩, so the literal generic ratio is ρ′ (acting on B or on A)")
    func prop5_haarAverageOfTheStretchedDiagonal() throws {
        var s = TestStream(seed: 0x5005)
        for d in [5, 7, 11, 13] {
            let group = try StretchGroup(d)
            let a = (0..<(d - 1)).map { _ in q(s.int(1...9), s.int(1...3)) }
            let b = (0..<(d - 1)).map { _ in q(s.int(1...9), s.int(1...3)) }
            let meanB2 = Model2.mean(b.map(\.squared))
            let stretched = try group.elements.map { try Model2.stretch(b, by: $0, in: group) }
            for k in 0..<(d - 1) {
                #expect(stretched.reduce(Rational.zero) { $0 + $1[k].squared }.divided(byNonZero: d - 1) == meanB2)
            }
            let rho = try Model2.ratio(a: a, b: b)
            #expect(try Model2(a: a, b: b).genericRatio() == rho)
            var onA = Rational.zero
            for g in group.elements { onA += Model2.traceContrast(a: try Model2.stretch(a, by: g, in: group), b: b) }
            #expect(try Model2.traceContrast(a: a, b: b) / onA.divided(byNonZero: d - 1) == rho)
        }
    }

    /// prop7: "Coordinate k: Σ_g b_{gk} = Σ_j b_j, so a‖b‖₁ = a*‖b*‖₁, i.e. a = λ⁻¹a* with λ = ‖b‖₁/‖b*‖₁ …; then
    /// b = c*/a = λb*. Conversely …".
    @Test("prop7 — the orbit sum Σ_g a⊙(g·b) = a‖b‖₁ fixes the scale of an equivalent pair")
    func prop7_orbitSumFixesTheScale() throws {
        var s = TestStream(seed: 0x7007)
        var equivalentCount = 0
        for d in [5, 7] {
            let group = try StretchGroup(d)
            let aStar = (0..<(d - 1)).map { _ in q(s.int(1...9), s.int(1...3)) }
            let bStar = (0..<(d - 1)).map { _ in q(s.int(1...9), s.int(1...3)) }
            let cStar = zip(aStar, bStar).map { $0 * $1 }
            let candidates = try [
                aStar.map { $0 * q(2, 5) }, Model2.stretch(aStar, by: 2, in: group),
                (0..<(d - 1)).map { _ in q(s.int(1...9), s.int(1...3)) },
            ]
            for a in candidates {
                let b = try zip(cStar, a).map { try $0 / $1 }
                let l1 = b.reduce(Rational.zero, +), l1Star = bStar.reduce(Rational.zero, +)
                var orbitSum = [Rational](repeating: .zero, count: d - 1)
                for g in group.elements {
                    orbitSum = zip(orbitSum, zip(a, try Model2.stretch(b, by: g, in: group)).map { $0 * $1 })
                        .map { $0 + $1 }
                }
                #expect(orbitSum == a.map { $0 * l1 })
                let equivalent = try Model2(a: a, b: b).isEquivalent(to: Model2(a: aStar, b: bStar), actingOn: .b)
                if equivalent {
                    equivalentCount += 1
                    let lambda = try l1 / l1Star
                    #expect(try a == aStar.map { try $0 / lambda })
                    #expect(b == bStar.map { $0 * lambda })
                }
                #expect(equivalent == (try a == aStar.map { try $0 / (l1 / l1Star) }))
            }
        }
        #expect(equivalentCount >= 2)
    }

    /// prop6 (i): "ρ′(s, s) = ⟨s⁴⟩/⟨s²⟩² with s² = c; ⟨c²⟩ − ⟨c⟩² = ⟨(c − ⟨c⟩)²⟩ ≥ 0", i.e. ρ′ = 1 + Var_emp(c)/⟨c⟩²,
    /// = 1 iff c is constant.
    @Test("prop6 — at finite d, ρ′(√c, √c) = 1 + Var_emp(c)/⟨c⟩² ≥ 1")
    func prop6_finiteDRatioIsOnePlusRelativeVariance() throws {
        var s = TestStream(seed: 0x6006)
        for d in [5, 7, 11, 13] {
            for constant in [false, true] {
                let root = (0..<(d - 1)).map { _ in constant ? q(3, 2) : q(s.int(1...9), s.int(1...3)) }
                let c = root.map(\.squared)
                let meanC = Model2.mean(c)
                let variance = Model2.mean(c.map { ($0 - meanC).squared })
                let rho = try Model2.ratio(a: root, b: root)
                #expect(try rho == Model2.mean(c.map(\.squared)) / meanC.squared)
                #expect(try rho == 1 + variance / meanC.squared)
                #expect(constant ? rho == 1 : rho > 1)
            }
        }
    }

    /// prop6 (ii): "by the independence of a = a*₁ and b = b*₁, E[(ab)^j] = E[a^j]E[b^j], so Var(c₁) = E[a²]E[b²] −
    /// E[a]²E[b]² ≥ Var(a)E[b]² > 0"; "Without independence this step fails: for a uniform on {1, 2} and b = a,
    /// Var(c₁) = 9/4, not 19/16; and for b = 2/a … c ≡ 2, so ρ′ = 1 for every d and the limit is 1"; "for U[1, 2]
    /// factors, E[c] = (3/2)², E[c²] = (7/3)², ρ∞ = 784/729".
    @Test("prop6 — the variance step needs a*₁ and b*₁ independent (fails for couplings)")
    func prop6_varianceStepNeedsIndependence() throws {
        typealias Law = [(a: Rational, b: Rational, p: Rational)]
        func moment(_ law: Law, _ f: (Rational, Rational) -> Rational) -> Rational {
            law.reduce(Rational.zero) { $0 + $1.p * f($1.a, $1.b) }
        }
        func varianceOfProduct(_ law: Law) -> Rational {
            moment(law) { ($0 * $1).squared } - moment(law) { $0 * $1 }.squared
        }
        func independentFormula(_ law: Law) -> Rational {
            moment(law) { a, _ in a.squared } * moment(law) { _, b in b.squared }
                - (moment(law) { a, _ in a } * moment(law) { _, b in b }).squared
        }
        let half = q(1, 2), quarter = q(1, 4)
        let independent: Law = [(1, 1, quarter), (1, 3, quarter), (2, 1, quarter), (2, 3, quarter)]
        #expect(varianceOfProduct(independent) == independentFormula(independent))
        let varA = moment(independent) { a, _ in a.squared } - moment(independent) { a, _ in a }.squared
        #expect(independentFormula(independent) >= varA * moment(independent) { _, b in b }.squared)
        #expect(varA * moment(independent) { _, b in b }.squared > 0)
        let equal: Law = [(1, 1, half), (2, 2, half)]
        #expect(varianceOfProduct(equal) == q(9, 4) && independentFormula(equal) == q(19, 16))
        let reciprocal: Law = [(1, 2, half), (2, 1, half)]  // b = 2/a
        #expect(varianceOfProduct(reciprocal) == 0 && independentFormula(reciprocal) > 0)
        // Finite d under the coupling b = 2/a: c ≡ 2, so ρ′(√c, √c) = ⟨c²⟩/⟨c⟩² = 1 for every d.
        for d in [5, 7, 11, 101] {
            let c = (1..<d).map { k in (k % 2 == 0 ? Rational(1) : 2) * (k % 2 == 0 ? Rational(2) : 1) }
            #expect(try Model2.mean(c.map(\.squared)) / Model2.mean(c).squared == 1)
        }
        // The independent U[1, 2] limit: E[a] = 3/2, E[a²] = 7/3.
        let meanC = q(3, 2).squared, meanC2 = q(7, 3).squared
        #expect(try meanC2 / meanC.squared == q(784, 729))
    }

    // MARK: - Learning dynamics

    /// prop8: "d(a² − b²)/dt = 4ab(c − ab) − 4ab(c − ab) = 0", "ė = −(ȧb + aḃ) = −2(a² + b²)e", "on the hyperbola,
    /// da/d(ab) = b/(a² + b²)", and the limit "solving a⁴ − La² − c² = 0 gives a∞² = (L + √(L² + 4c²))/2".
    @Test("prop8 — the CTGD invariant, the residual's decay and the limit on the hyperbola")
    func prop8_invariantDecayAndLimit() throws {
        let a = variable(0), b = variable(1), c = variable(2)
        let e = c - a * b
        let aDot = constant(2) * b * e, bDot = constant(2) * a * e
        #expect((constant(2) * a * aDot - constant(2) * b * bDot).isZero)
        #expect((constant(-1) * (aDot * b + a * bDot) + constant(2) * (a * a + b * b) * e).isZero)
        let l = a * a - b * b, product = a * b
        #expect((l.derivative(0) * b + l.derivative(1) * a).isZero)  // (b, a) is tangent
        #expect((product.derivative(0) * b + product.derivative(1) * a - (a * a + b * b)).isZero)
        for aInf in [q(1, 2), q(1), q(3), q(7, 2)] {
            for cValue in [q(1), q(2), q(5, 3)] {
                let lValue = try aInf.squared - cValue.squared / aInf.squared
                #expect(aInf.squared.squared - lValue * aInf.squared - cValue.squared == 0)
                let root = 2 * aInf.squared - lValue
                #expect(root > 0 && root.squared == lValue.squared + 4 * cValue.squared)
            }
        }
    }

    /// prop9.recursion: "a′² − b′² = a² + 4λabe + 4λ²b²e² − b² − 4λabe − 4λ²a²e² = (a² − b²)(1 − 4λ²e²)".
    @Test("prop9.recursion — L(a′, b′) = (a² − b²)(1 − 4λ²(c − ab)²) as polynomials")
    func prop9Recursion_polynomialIdentity() throws {
        let a = variable(0), b = variable(1), c = variable(2), lambda = variable(3)
        let e = c - a * b
        let aNext = a + constant(2) * lambda * b * e, bNext = b + constant(2) * lambda * a * e
        let difference =
            aNext * aNext - bNext * bNext
            - (a * a - b * b) * (constant(1) - constant(4) * lambda * lambda * e * e)
        #expect(difference.isZero)
    }

    /// prop9: "E[q²] = s(a₀² + b₀²) + s², E[xq²] = 2a₀s², E[yq²] = 2b₀s², E[x²q²] = a₀²s² + 3b₀²s² + 3s³,
    /// E[y²q²] = 3a₀²s² + b₀²s² + 3s³", "E[L⁽¹⁾] = (a₀² − b₀²)(1 − 4λ²κ)"; "(1, 2, 2), σ'² = 1, σ² = 0, λ = 1/5: …
    /// η = −7/25"; without independence (y = x) "η = 1 − 4λ²((a₀ + b₀)²σ'² + 15σ'⁴ + σ²) … −71/25".
    @Test("prop9 — exact Gaussian moments give η = 1 − 4λ²κ; independence of A⁽⁰⁾, B⁽⁰⁾ is needed")
    func prop9_gaussianMomentsAndEta() throws {
        let points: [(Rational, Rational, Rational, Rational, Rational)] = [
            (1, 2, 1, 0, q(1, 5)), (3, 1, q(1, 2), q(1, 3), q(1, 10)), (q(1, 2), 4, 2, 1, q(1, 7)),
            (2, q(1, 3), q(1, 4), 0, q(1, 3)), (5, 2, q(1, 9), 2, q(1, 20)),
        ]
        for (a0, b0, sPrime, sigma2, lambdaValue) in points {
            let x = variable(0), y = variable(1)
            let qPoly = constant(a0) * y + constant(b0) * x + x * y
            let zero = [Rational.zero, .zero], variances = [sPrime, sPrime]
            func expectation(_ p: MultivariatePolynomial) throws -> Rational {
                try p.gaussianExpectation(means: zero, variances: variances)
            }
            let s = sPrime
            #expect(try expectation(qPoly * qPoly) == s * (a0.squared + b0.squared) + s.squared)
            #expect(try expectation(x * qPoly * qPoly) == 2 * a0 * s.squared)
            #expect(try expectation(y * qPoly * qPoly) == 2 * b0 * s.squared)
            #expect(try expectation(x * x * qPoly * qPoly) == (a0.squared + 3 * b0.squared) * s.squared + 3 * s * s * s)
            #expect(try expectation(y * y * qPoly * qPoly) == (3 * a0.squared + b0.squared) * s.squared + 3 * s * s * s)
            // The whole step, from the recursion polynomial and independent A, B, C.
            let bigA = variable(0), bigB = variable(1), bigC = variable(2), lam = constant(lambdaValue)
            let e = bigC - bigA * bigB
            let aNext = bigA + constant(2) * lam * bigB * e, bNext = bigB + constant(2) * lam * bigA * e
            let next = try (aNext * aNext - bNext * bNext)
                .gaussianExpectation(means: [a0, b0, a0 * b0], variances: [s, s, sigma2])
            let kappa = s * (a0.squared + b0.squared) + 3 * s.squared + sigma2
            let eta = 1 - 4 * lambdaValue.squared * kappa
            #expect(next == eta * (a0.squared - b0.squared))
            // Perfectly correlated initial errors (B − b₀ = A − a₀): a different η.
            let shared = variable(0)
            let cA = constant(a0) + shared, cB = constant(b0) + shared, cC = variable(1)
            let ce = cC - cA * cB
            let cANext = cA + constant(2) * lam * cB * ce, cBNext = cB + constant(2) * lam * cA * ce
            let correlated = try (cANext * cANext - cBNext * cBNext)
                .gaussianExpectation(means: [0, a0 * b0], variances: [s, sigma2])
            let etaCorrelated = 1 - 4 * lambdaValue.squared * ((a0 + b0).squared * s + 15 * s.squared + sigma2)
            #expect(correlated == etaCorrelated * (a0.squared - b0.squared))
            #expect(correlated != next)
            if a0 == 1 && b0 == 2 && lambdaValue == q(1, 5) { #expect(eta == q(-7, 25) && etaCorrelated == q(-71, 25)) }
        }
    }

    /// sgd.drift: "(ii) E[L_{n+1} | a_n, b_n] = L_n(1 − 4λ²(σ² + (c₀ − a_nb_n)²))" and "(iii) ab is mean-reverting to
    /// c₀ (E[Δ(ab)] ≈ 2λ(a² + b²)(c₀ − ab))" — exactly, E[Δ(ab)] = 2λ(a² + b²)(c₀ − ab) + 4λ²ab(σ² + (c₀ − ab)²).
    @Test("sgd.drift — conditional means of L and of ab after one SGD step")
    func sgdDrift_conditionalMeans() throws {
        let points = [
            (q(3), q(1, 3), q(1), q(1), q(1, 100)), (q(2), q(5, 2), q(3), q(1, 2), q(1, 7)),
            (q(1, 2), q(1), q(2), q(2), q(1, 3)),
        ]
        for (a, b, c0, sigma2, lambda) in points {
            let c = variable(0), e = c - constant(a * b)
            let aNext = constant(a) + constant(2 * lambda * b) * e, bNext = constant(b) + constant(2 * lambda * a) * e
            func expectation(_ p: MultivariatePolynomial) throws -> Rational {
                try p.gaussianExpectation(means: [c0], variances: [sigma2])
            }
            let residual = c0 - a * b
            #expect(
                try expectation(aNext * aNext - bNext * bNext)
                    == (a.squared - b.squared) * (1 - 4 * lambda.squared * (sigma2 + residual.squared)))
            #expect(
                try expectation(aNext * bNext) - a * b
                    == 2 * lambda * (a.squared + b.squared) * residual
                    + 4 * lambda.squared * a * b * (sigma2 + residual.squared))
        }
    }

    /// asgd.drift: "e′ = c − a′b = e(1 − 2λb²)", "L′ − L = 8λ²ab³e − 4λ²b²e² − 4λ²a′²e′² + 16λ³b⁴e²", "E[L_{n+1} − L_n]
    /// = −4λ²σ²[(1 − 2λb²)²(a² + 12λ²σ²b²) + b²(1 − 4λb²)], which is −4λ²σ²(a² + b²) + O(λ³) and negative whenever b² <
    /// 1/(4λ)".
    @Test("asgd.drift — the asynchronous step's expected change of L on S_c₀")
    func asgdDrift_expectedChangeOfL() throws {
        let a = variable(0), b = variable(1), lambda = variable(2), e = variable(3)
        let two = constant(2), four = constant(4)
        let c = e + a * b
        let aNext = a + two * lambda * b * e
        let eNext = c - aNext * b
        #expect((eNext - e * (constant(1) - two * lambda * b * b)).isZero)
        let bNext = b + two * lambda * aNext * eNext
        let change = aNext * aNext - bNext * bNext - a * a + b * b
        let claimed =
            constant(8) * lambda * lambda * a * b * b * b * e - four * lambda * lambda * b * b * e * e
            - four * lambda * lambda * aNext * aNext * eNext * eNext
            + constant(16) * lambda.power(3) * b.power(4) * e * e
        #expect((change - claimed).isZero)
        for (aValue, bValue, sigma2, lambdaValue) in [
            (q(1), q(1), q(1), q(1, 100)), (q(3), q(1, 3), q(2), q(1, 10)),
            (q(1, 2), q(2), q(1, 2), q(1, 20)), (q(2), q(3), q(1), q(1, 5)),
        ] {
            let ce = variable(0), ca = constant(aValue), cb = constant(bValue), cl = constant(lambdaValue)
            let caNext = ca + two * cl * cb * ce
            let ceNext = ce * (constant(1) - two * cl * cb * cb)
            let cbNext = cb + two * cl * caNext * ceNext
            let expected = try (caNext * caNext - cbNext * cbNext - ca * ca + cb * cb)
                .gaussianExpectation(means: [0], variances: [sigma2])
            let (l, s2, b2) = (lambdaValue, sigma2, bValue.squared)
            let display =
                -4 * l.squared * s2
                * ((1 - 2 * l * b2).squared * (aValue.squared + 12 * l.squared * s2 * b2)
                    + b2 * (1 - 4 * l * b2))
            #expect(expected == display)
            if 4 * lambdaValue * b2 < 1 { #expect(display < 0) }
        }
        // The display as a polynomial in λ: no term below λ², and the λ² coefficient is −4σ²(a² + b²).
        for (aValue, bValue, sigma2) in [(q(3), q(1, 3), q(2)), (q(1, 2), q(5), q(1, 3))] {
            let l = variable(0), s2 = constant(sigma2), b2 = constant(bValue.squared), a2 = constant(aValue.squared)
            let one = constant(1)
            let bracket =
                (one - two * l * b2).power(2) * (a2 + constant(12) * l * l * s2 * b2)
                + b2 * (one - four * l * b2)
            let display = constant(-4) * l * l * s2 * bracket
            #expect(display.terms.keys.allSatisfy { ($0.first ?? 0) >= 2 })
            #expect(display.terms[[2]] == -4 * sigma2 * (aValue.squared + bValue.squared))
        }
    }

    // MARK: - Eqs. (12), (13) and the Fourier dynamics

    /// eq12: "d = 5, k₁ = k₂ = (1, 1, 0, 0, 0): |k̂(u)|² … takes the values φ² and φ⁻² … twice each, so ρ = ⟨p²⟩/⟨p⟩² =
    /// (7/2)/(3/2)² = 14/9 while the printed ρ′ = ⟨p⁴⟩/⟨p²⟩² = (47/2)/(7/2)² = 94/49"; "ρ′(|k̂₁|, |k̂₂|) = ρ".
    @Test("eq12 — ρ′ of the squared moduli compares fourth powers (golden-ratio example)")
    func eq12_goldenRatioExample() throws {
        let k = line([1, 1, 0, 0, 0]), p = try powers(k)
        #expect(p[1] == p[4] && p[2] == p[3])
        #expect(try (p[1] + p[2]).rationalValue == 3 && (p[1] * p[2]).rationalValue == 1)  // {φ², φ⁻²}
        func meanOfPower(_ xs: [Cyclotomic], _ j: Int) throws -> Rational {
            try meanNonZero(xs.map { try $0.power(j) })
        }
        #expect(try meanOfPower(p, 1) == q(3, 2) && meanOfPower(p, 2) == q(7, 2) && meanOfPower(p, 4) == q(47, 2))
        #expect(try SpectralDensityRatio.ratio(k, k) == q(14, 9))
        #expect(try meanOfPower(p, 4) / meanOfPower(p, 2).squared == q(94, 49))
        var s = TestStream(seed: 0xE012)
        for d in [7, 11] {
            let k1 = line(randomSignal(&s, d)), k2 = line(randomSignal(&s, d))
            let p1 = try powers(k1), p2 = try powers(k2)
            let moduli = try meanNonZero(products(p1, p2)) / (meanNonZero(p1) * meanNonZero(p2))
            let squares =
                try meanNonZero(products(p1.map { try $0 * $0 }, p2.map { try $0 * $0 }))
                / (meanOfPower(p1, 2) * meanOfPower(p2, 2))
            #expect(try moduli == SpectralDensityRatio.ratio(k1, k2))
            #expect(squares != moduli)
        }
    }

    /// eq13: "⟨|k̂₂|²(|k̂₁|²/⟨|k̂₁|²⟩ − 1)⟩ = ⟨|k̂₂|²|k̂₁|²⟩/⟨|k̂₁|²⟩ − ⟨|k̂₂|²⟩ = ⟨|k̂₂|²⟩(ρ − 1); square both sides."
    @Test("eq13 — (ρ − 1)²⟨|k̂₂|²⟩² = ⟨|k̂₂|²(|k̂₁|²/⟨|k̂₁|²⟩ − 1)⟩² by frequency sums")
    func eq13_identityByFrequencySums() throws {
        var s = TestStream(seed: 0xE013)
        for d in [5, 7, 11, 13] {
            let k1 = line(randomSignal(&s, d)), k2 = line(randomSignal(&s, d))
            let p1 = try powers(k1), p2 = try powers(k2), field = p1[0].field
            let m1 = try meanNonZero(p1), m2 = try meanNonZero(p2)
            let rho = try directSDR(k1, k2)
            let inverseM1 = try 1 / m1
            let weighted = try (0..<d).map { try p2[$0] * (p1[$0] * inverseM1 - field.one) }
            let bigM = try meanNonZero(weighted)
            #expect(bigM == m2 * (rho - 1))
            #expect((rho - 1).squared * m2.squared == bigM.squared)
        }
    }

    /// sec3.3.drift: the step "k̂₁ ← k̂₁ + 2λ r conj(k̂₂), k̂₂ ← k̂₂ + 2λ r conj(k̂₁)" is gradient descent on |Ĉ −
    /// k̂₁k̂₂|² in the real and imaginary parts; "|z₁ + 2λrz̄₂|² − |z₂ + 2λrz̄₁|² = … (|z₁|² − |z₂|²)(1 − 4λ²|r|²)";
    /// "frequencies u and −u are updated as conjugates"; "At the balanced point ρ(k₁, k₂) = ⟨|ĉ|²⟩/⟨|ĉ|⟩² ≥ 1".
    @Test("sec3.3.drift — the per-frequency SGD step and L_u′ = L_u(1 − 4λ²|r_u|²)")
    func sec33Drift_perFrequencyBalanceRecursion() throws {
        // Gradient: variables x₁, y₁, x₂, y₂, Re Ĉ, Im Ĉ.
        let x1 = variable(0), y1 = variable(1), x2 = variable(2), y2 = variable(3), cr = variable(4), ci = variable(5)
        let re = cr - (x1 * x2 - y1 * y2), im = ci - (x1 * y2 + y1 * x2)
        let loss = re * re + im * im
        let two = constant(2)
        // 2 r z̄₂ = 2(re + i·im)(x₂ − i y₂): real part 2(re x₂ + im y₂), imaginary part 2(im x₂ − re y₂).
        #expect((constant(-1) * loss.derivative(0) - two * (re * x2 + im * y2)).isZero)
        #expect((constant(-1) * loss.derivative(1) - two * (im * x2 - re * y2)).isZero)
        #expect((constant(-1) * loss.derivative(2) - two * (re * x1 + im * y1)).isZero)
        #expect((constant(-1) * loss.derivative(3) - two * (im * x1 - re * y1)).isZero)
        // The recursion, in Q(ζ₁₂) (which contains i) and Q(ζ₇).
        var s = TestStream(seed: 0xE033)
        for order in [7, 12] {
            let field = try CyclotomicField(order: order)
            func element() throws -> Cyclotomic {
                try Cyclotomic(coefficients: (0..<field.degree).map { _ in q(s.int(-4...4), s.int(1...3)) }, in: field)
            }
            for lambda in [q(1, 100), q(1, 3), q(2)] {
                let z1 = try element(), z2 = try element(), target = try element()
                let r = try target - z1 * z2, step = field.element(2 * lambda)
                let z1Next = try z1 + step * r * z2.conjugate, z2Next = try z2 + step * r * z1.conjugate
                let balance = try z1.squaredModulus - z2.squaredModulus
                #expect(
                    try z1Next.squaredModulus - z2Next.squaredModulus
                        == balance * (field.one - field.element(4 * lambda.squared) * r.squaredModulus))
                let mirrored = try z1.conjugate + step * r.conjugate * z2  // the update at −u
                #expect(mirrored == z1Next.conjugate)
            }
        }
        // At balance (k₁ = k₂ = h, so |k̂₁|² = |k̂₂|² = |ĉ| with ĉ = ĥ²): ρ = ⟨|ĉ|²⟩/⟨|ĉ|⟩² ≥ 1, = 1 iff |ĉ| is flat.
        for h in [qs([1, 2, 0, -1, 3]), qs([2, 1, 1, 1, 1, 1, 1]), qs([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])] {
            let modulus = try powers(line(h))  // |ĉ| = |ĥ|²
            let rho = try directSDR(line(h), line(h))
            #expect(try rho == meanNonZero(modulus.map { try $0 * $0 }) / meanNonZero(modulus).squared)
            #expect(Set(modulus.dropFirst()).count == 1 ? rho == 1 : rho > 1)
        }
    }

    /// b12: "M = ⟨|k̂₂|² w⟩, w = |k̂₁|²/⟨|k̂₁|²⟩ − 1; its gradient in k̂₂ is (4M/(d−1)) w k̂₂ at u ≠ 0".
    @Test("b12 — the gradient of the eq. (13) penalty M² in the coefficients of k̂₂")
    func b12_penaltyGradient() throws {
        let d = 5
        let weights = [q(3, 2), q(-1, 2), q(-2, 3), q(2, 3)]  // w at u = 1…4 (any rationals)
        var bigM = MultivariatePolynomial()
        for u in 0..<(d - 1) {
            let x = variable(2 * u), y = variable(2 * u + 1)
            bigM = bigM + constant(weights[u].divided(byNonZero: d - 1)) * (x * x + y * y)
        }
        let penalty = bigM * bigM
        for u in 0..<(d - 1) {
            let factor = constant(q(4, d - 1) * weights[u]) * bigM
            #expect((penalty.derivative(2 * u) - factor * variable(2 * u)).isZero)
            #expect((penalty.derivative(2 * u + 1) - factor * variable(2 * u + 1)).isZero)
        }
    }

    // MARK: - Estimators

    /// eq22: "X̂(u) = Σ_i k̂₂ⁱ(u) k̂₁ⁱ(u) Ẑ(u) for u ≠ 0, and X̂(0) = Σ_i k̂₂ⁱ(0)k̂₁ⁱ(0) + N b" — "the DFT of the
    /// constant image b, which is N b at u = 0 and 0 elsewhere".
    @Test("eq22 — a constant bias changes only the zero frequency")
    func eq22_biasChangesOnlyTheZeroFrequency() throws {
        var s = TestStream(seed: 0xE022)
        let (rows, columns) = (3, 4), n = rows * columns
        func image() throws -> RationalImage {
            try RationalImage(rows: rows, columns: columns, values: randomSignal(&s, n))
        }
        let bias = q(5, 3)
        let constantImage = try RationalImage(rows: rows, columns: columns, values: Array(repeating: bias, count: n))
        let latent = try RationalImage(rows: rows, columns: columns, values: delta(n, at: 7))
        let channels = try (0..<2).map { _ in (k1: try image(), k2: try image()) }
        var x = constantImage
        for channel in channels {
            let partial = try conv(conv(channel.k2, channel.k1), latent)
            x = try RationalImage(rows: rows, columns: columns, values: zip(x.values, partial.values).map { $0 + $1 })
        }
        let xHat = try ExactDFT.forward2D(x).values, zHat = try ExactDFT.forward2D(latent).values
        let biasHat = try ExactDFT.forward2D(constantImage).values
        #expect(biasHat[0].rationalValue == Rational(n) * bias && biasHat.dropFirst().allSatisfy(\.isZero))
        for w in 0..<n {
            var sum = xHat[0].field.zero
            for channel in channels {
                let k2Hat = try ExactDFT.forward2D(channel.k2).values, k1Hat = try ExactDFT.forward2D(channel.k1).values
                sum = try sum + k2Hat[w] * k1Hat[w] * zHat[w]
            }
            let expected = w == 0 ? (try sum + biasHat[0]) : sum
            #expect(xHat[w] == expected)
        }
    }

    /// eq23 (ii): "In Model 1 (vᵏ = k₁ ⊛ Zᵏ, Zᵏ one-hot) |v̂ᵏ|² = |k̂₁|² for every sample, so ρ̂_B = ρ(k₁, k) exactly,
    /// for every B"; (i) "for B = 1 it is ρ(v, k)".
    @Test("eq23 — the batch estimator on Model 1 samples is the SDR for every B")
    func eq23_batchOnModel1SamplesIsTheSDR() throws {
        var s = TestStream(seed: 0xE023)
        for d in [5, 7, 8] {
            let k = line(randomSignal(&s, d)), k1 = randomSignal(&s, d)
            let samples = try (0..<4).map { _ in line(try Signals.shifted(k1, by: s.int(0...(d - 1)))) }
            for count in 1...4 {
                #expect(
                    try SpectralDensityRatio.batch(kernel: k, samples: Array(samples.prefix(count)))
                        == directSDR(line(k1), k))
            }
            let v = line(randomSignal(&s, d))
            #expect(try SpectralDensityRatio.batch(kernel: k, samples: [v]) == directSDR(v, k))
        }
    }

    /// b10.upsample: "(x↑s)^[u] = Σ_k x[k] e^{−2πi u(sk)/(sn)} = … = x̂[u mod n] (2D coordinatewise)"; "x = (0, 1), s =
    /// 2: x↑2 = (0, 0, 1, 0) has DFT (1, −1, 1, −1), while x̂[2u mod 2] = x̂[0] = 1 for all u".
    @Test("b10.upsample — up-sampling repeats the spectrum; the integer-index reading fails")
    func b10Upsample_spectrumRepeats() throws {
        var s = TestStream(seed: 0xB010)
        for (n, factor) in [(3, 2), (4, 3), (5, 2), (6, 2)] {
            let x = randomSignal(&s, n), field = try CyclotomicField(order: n * factor)
            let upHat = try ExactDFT.forward(Signals.upsampled(x, by: factor)), xHat = try ExactDFT.forward(x)
            for u in 0..<(n * factor) { #expect(upHat[u] == (try xHat[u % n].embedded(in: field))) }
        }
        let image = try RationalImage(rows: 2, columns: 3, values: randomSignal(&s, 6))
        let upHat = try ExactDFT.forward2D(Signals.upsampled(image, by: 2))
        let xHat = try ExactDFT.forward2D(image)
        for u in 0..<4 { for v in 0..<6 { #expect(upHat[u, v] == (try xHat[u % 2, v % 3].embedded(in: upHat.field))) } }
        let small = try ExactDFT.forward(Signals.upsampled(qs([0, 1]), by: 2))
        #expect(small.map(\.rationalValue) == [1, -1, 1, -1])
        #expect(try ExactDFT.forward(qs([0, 1]))[0].rationalValue == 1)
    }

    /// eq24: "summing |x̂_i|² over the non-zero n-grid frequencies gives s²(P + D₀) − D₀ = s²P + (s² − 1)D₀, divided by
    /// s²m² − 1"; printed "P/(m² − 1)"; "for zero-mean maps [the factor] is (s²m² − 1)/(s²(m² − 1))".
    @Test("eq24 — the two activation averages and the factor between the strided estimates")
    func eq24_activationAveragesOnBothGrids() throws {
        var s = TestStream(seed: 0xE024)
        for (m, factor) in [(2, 2), (2, 3), (3, 2)] {
            let n = m * factor
            for zeroMean in [false, true] {
                var values = randomSignal(&s, m * m)
                if zeroMean { values[0] -= values.reduce(Rational.zero, +) }
                let x = try RationalImage(rows: m, columns: m, values: values)
                let up = try powers(Signals.upsampled(x, by: factor)), native = try powers(x)
                let p = try rational(total(Array(native.dropFirst()), in: native[0].field))
                let d0 = try rational(native[0])
                let s2 = Rational(factor * factor)
                #expect(try total(Array(up.dropFirst()), in: up[0].field).rationalValue == s2 * p + (s2 - 1) * d0)
                let upsampledAverage = (s2 * p + (s2 - 1) * d0).divided(byNonZero: n * n - 1)
                let nativeAverage = p.divided(byNonZero: m * m - 1)
                let filter = try RationalImage(rows: n, columns: n, values: randomSignal(&s, n * n))
                let estimateUp = try SpectralDensityRatio.strided(filter: filter, samples: [x], stride: factor)
                let estimateNative = try SpectralDensityRatio.strided(
                    filter: filter, samples: [x], stride: factor,
                    activationGrid: .native)
                #expect(try estimateUp / estimateNative == nativeAverage / upsampledAverage)
                if zeroMean {
                    #expect(
                        try estimateUp / estimateNative
                            == Rational(n * n - 1) / (s2 * Rational(m * m - 1)))
                }
            }
        }
    }
}
