import Fast
import Reference

/// The FFT paths besides the forward transform of a real signal (`fast.fft/1d`): complex input, the inverses
/// (1D and 2D, which conjugate by swapping re and im), and the real-input path that packs two real rows into one
/// complex transform. Each is compared with the exact DFT coefficient by coefficient within a derived bound.
extension FastCrossChecks {
    struct ComplexArrayCase: Sendable, JSONRenderable {
        let rows: Int, columns: Int, real: [Rational], imaginary: [Rational], inverse: Bool
        var json: JSONValue {
            .object([
                "shape": .string("\(rows)x\(columns)"), "re": real.json, "im": imaginary.json,
                "direction": .string(inverse ? "inverse" : "forward"),
            ])
        }
    }

    /// A complex R×C array (R ≤ 6, C ≤ 12) with independent real and imaginary parts: not Hermitian, so a slip
    /// in a conjugation shows; forward or inverse.
    static var complexArrayCase: Gen<ComplexArrayCase> {
        Gen.zip(Gen.int(in: 1...6), Gen.int(in: 1...12), Gen.bool).flatMap { r, c, inverse in
            Gen.zip(signal(r * c), signal(r * c)).map {
                ComplexArrayCase(rows: r, columns: c, real: $0.0, imaginary: $0.1, inverse: inverse)
            }
        }
    }

    /// The exact X̂(u, v) = Â(u, v) + i·B̂(u, v) of x = a + i·b (B.4's convention), or the exact inverse
    /// x̌(u, v) = (Â(−u, −v) + i·B̂(−u, −v))/(RC); approximated in Double with the approximation's error bound.
    static func exactComplexTransform(_ c: ComplexArrayCase) throws -> [(re: Double, im: Double, error: Double)] {
        let a = try ExactDFT.forward2D(try RationalImage(rows: c.rows, columns: c.columns, values: c.real))
        let b = try ExactDFT.forward2D(try RationalImage(rows: c.rows, columns: c.columns, values: c.imaginary))
        let scale = c.inverse ? 1 / Double(c.rows * c.columns) : 1
        return (0..<c.rows * c.columns).map { index in
            let (row, column) = (index / c.columns, index % c.columns)
            let (p, q) = c.inverse ? ((c.rows - row) % c.rows, (c.columns - column) % c.columns) : (row, column)
            let x = a[p, q].approximation(), y = b[p, q].approximation()
            // Re = Re Â − Im B̂, Im = Im Â + Re B̂; each part within the sum of the two approximation bounds.
            let approximation: Double = (x.errorBound + y.errorBound) * (1 + 4 * u)
            let rounding: Double = 4 * u * (abs(x.real) + abs(y.imaginary) + abs(x.imaginary) + abs(y.real))
            return ((x.real - y.imaginary) * scale, (x.imaginary + y.real) * scale, (approximation + rounding) * scale)
        }
    }

    /// Largest (|Fast − exact| − bound) over every coefficient (≤ 0 when the check holds); for R = 1 the 1D
    /// functions `FFT.forward`/`FFT.inverse` are checked as well as the 2D ones.
    /// Bound: with L = Σ(|a| + |b|), a row pass then a column pass err by at most (κ_R + κ_C)·u·L per coefficient
    /// (each pass's error is κ·u times the ℓ¹ norm of its input column, and the DFT of the first pass's error has
    /// unit-modulus weights); reading the rationals into Double adds u·L; the inverse divides all by RC and rounds
    /// once more (u·L/(RC)).
    static func complexTransformExcess(_ c: ComplexArrayCase) throws -> Double {
        let exact = try exactComplexTransform(c)
        let re = c.real.map(\.doubleValue), im = c.imaginary.map(\.doubleValue)
        let norm = l1(c.real) + l1(c.imaginary)
        let passes =
            FFTPlanCache.shared.plan(c.rows).errorBound(l1Norm: norm)
            + FFTPlanCache.shared.plan(c.columns).errorBound(l1Norm: norm) + u * norm
        let bound = c.inverse ? (passes + u * norm) / Double(c.rows * c.columns) : passes
        var results: [(re: [Double], im: [Double])] = []
        var r2 = re, i2 = im
        if c.inverse {
            try FFT.inverse2D(re: &r2, im: &i2, rows: c.rows, columns: c.columns)
        } else {
            try FFT.forward2D(re: &r2, im: &i2, rows: c.rows, columns: c.columns)
        }
        results.append((r2, i2))
        if c.rows == 1 { results.append(try c.inverse ? FFT.inverse(re: re, im: im) : FFT.forward(re: re, im: im)) }
        var worst = -Double.infinity
        for result in results {
            for (k, e) in exact.enumerated() {
                let allowed = (bound + e.error) * (1 + 4 * u)
                worst = max(worst, abs(result.re[k] - e.re) - allowed, abs(result.im[k] - e.im) - allowed)
            }
        }
        return worst
    }

    struct RealRowsCase: Sendable, JSONRenderable {
        let rows: [[Rational]]
        var json: JSONValue { .object(["shape": .string("\(rows.count)x\(rows[0].count)"), "rows": rows.json]) }
    }

    /// 1 to 10 real rows of one length n ≤ 24: odd and even row counts, full and partial groups of eight rows.
    static var realRowsCase: Gen<RealRowsCase> {
        Gen.zip(Gen.int(in: 1...10), Gen.int(in: 1...24)).flatMap { rows, n in
            Gen.array(of: signal(n), count: rows...rows).map { RealRowsCase(rows: $0) }
        }
    }

    /// Largest (|Fast − exact| − bound) over every half-spectrum coefficient of every row of
    /// `FFT.realForward(batch:rows:length:)` (≤ 0 when the check holds).
    /// Bound: rows 2q and 2q + 1 share one complex transform z = x_{2q} + i·x_{2q+1}, so with L the sum of their
    /// ℓ¹ norms Ẑ errs by κ·u·L + u·L (input rounding); the unpacking (Ẑ(u) ± conj Ẑ(−u))/2 averages two such
    /// errors and rounds twice more (2u·L).
    static func realRowsExcess(_ c: RealRowsCase) throws -> Double {
        let rows = c.rows.count, n = c.rows[0].count, half = n / 2 + 1
        let fast = try FFT.realForward(batch: c.rows.flatMap { $0.map(\.doubleValue) }, rows: rows, length: n)
        var worst = -Double.infinity
        for (r, row) in c.rows.enumerated() {
            let partner = r % 2 == 0 ? r + 1 : r - 1
            let norm = l1(row) + (partner < rows ? l1(c.rows[partner]) : 0)
            let bound = FFTPlanCache.shared.plan(n).errorBound(l1Norm: norm) + 3 * u * norm
            let exact = try ExactDFT.forward(row)
            for k in 0..<half {
                let e = exact[k].approximation()
                let allowed = (bound + e.errorBound) * (1 + 4 * u)
                worst = max(
                    worst, abs(fast.re[r * half + k] - e.real) - allowed,
                    abs(fast.im[r * half + k] - e.imaginary) - allowed)
            }
        }
        return worst
    }

    static var fftPaths: [ClaimReading] {
        [
            .property(
                id: "fast.fft", reading: "complex-and-inverse", kind: .float,
                statement:
                    "FFT.forward2D and FFT.inverse2D (and, for one row, FFT.forward and FFT.inverse) of a complex, "
                    + "non-Hermitian R×C array x = a + i·b agree with the exact DFT Â + i·B̂ and the exact inverse "
                    + "(Â(−u) + i·B̂(−u))/(RC) on every coefficient within (κ_R + κ_C)·u·‖x‖₁ plus the input "
                    + "rounding and the cyclotomic approximation bound.",
                expected: .holds, cases: 200, gen: complexArrayCase, render: { $0.json },
                classify: { c in
                    [
                        .nonTrivial(c.rows >= 2 && c.columns >= 2 && Bites.support(c.imaginary) >= 1),
                        .parameter("shape", "\(c.rows)x\(c.columns)"), .event(c.inverse ? "inverse" : "forward"),
                    ]
                },
                nonTrivialShare: 0.4,
                check: { try complexTransformExcess($0) <= 0 }),
            .property(
                id: "fast.fft", reading: "real-rows", kind: .float,
                statement:
                    "FFT.realForward(batch:rows:length:) (two real rows per complex transform, eight rows per SIMD "
                    + "group) gives every row's half spectrum X̂(0…⌊n/2⌋) within κ·u·L + 3u·L of the exact DFT, L "
                    + "the ℓ¹ norm of the row and the row it is packed with.",
                expected: .holds, cases: 200, gen: realRowsCase, render: { $0.json },
                classify: { c in
                    [
                        .nonTrivial(c.rows.count >= 2 && c.rows[0].count >= 3),
                        .parameter("rows", c.rows.count),
                    ]
                },
                nonTrivialShare: 0.5,
                check: { try realRowsExcess($0) <= 0 }),
        ]
    }
}
