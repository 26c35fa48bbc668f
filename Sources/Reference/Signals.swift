/// A rows × columns image over Q, row-major; both sides ≥ 1. Kernels, samples and activations are images: a 1D
/// kernel is 1×d, a 2D kernel d×d′.
public struct RationalImage: Sendable, Hashable, CustomStringConvertible {
    public let rows: Int
    public let columns: Int
    /// values[r·columns + c].
    public let values: [Rational]

    /// An empty shape or a value count other than rows·columns is a typed error.
    public init(rows: Int, columns: Int, values: [Rational]) throws(ReferenceError) {
        guard rows >= 1, columns >= 1 else {
            throw .shapeMismatch("an image needs at least one row and one column, got \(rows)×\(columns)")
        }
        guard values.count == rows * columns else {
            throw .shapeMismatch("a \(rows)×\(columns) image needs \(rows * columns) values, got \(values.count)")
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The all-zero image.
    public static func zeros(rows: Int, columns: Int) throws(ReferenceError) -> RationalImage {
        guard rows >= 1, columns >= 1 else {
            throw .shapeMismatch("an image needs at least one row and one column, got \(rows)×\(columns)")
        }
        return try RationalImage(
            rows: rows, columns: columns, values: [Rational](repeating: .zero, count: rows * columns))
    }

    /// The pixel at (r mod rows, c mod columns): indices are circular.
    public subscript(r: Int, c: Int) -> Rational {
        values[Primes.mod(r, rows) * columns + Primes.mod(c, columns)]
    }

    public var description: String {
        (0..<rows).map { r in (0..<columns).map { self[r, $0].description }.joined(separator: " ") }
            .joined(separator: "\n")
    }
}

/// Exact signal operations over Q on circular domains Z_n and Z_R × Z_C.
public enum Signals {
    static func requireNonEmpty(_ a: [Rational], _ what: String) throws(ReferenceError) {
        guard !a.isEmpty else { throw .shapeMismatch("\(what) needs a non-empty signal") }
    }

    /// Circular convolution (a ⊛ b)[n] = Σ_k a[k]·b[(n − k) mod d] (App. B.3); lengths must agree.
    public static func circularConvolution(_ a: [Rational], _ b: [Rational]) throws(ReferenceError) -> [Rational] {
        try requireNonEmpty(a, "circular convolution")
        guard a.count == b.count else {
            throw .shapeMismatch("circular convolution needs equal lengths, got \(a.count) and \(b.count)")
        }
        let d = a.count
        var result = [Rational](repeating: .zero, count: d)
        for (k, x) in a.enumerated() where !x.isZero {
            for (j, y) in b.enumerated() where !y.isZero {
                result[(k + j) % d] += x * y
            }
        }
        return result
    }

    /// 2D circular convolution over Z_R × Z_C (App. B.3); shapes must agree.
    public static func circularConvolution(_ a: RationalImage, _ b: RationalImage) throws(ReferenceError)
        -> RationalImage
    {
        guard a.rows == b.rows, a.columns == b.columns else {
            throw .shapeMismatch(
                "2D circular convolution needs equal shapes, got \(a.rows)×\(a.columns) and \(b.rows)×\(b.columns)")
        }
        let (rows, cols) = (a.rows, a.columns)
        var result = [Rational](repeating: .zero, count: rows * cols)
        for (p, x) in a.values.enumerated() where !x.isZero {
            let (r1, c1) = (p / cols, p % cols)
            for (q, y) in b.values.enumerated() where !y.isZero {
                let r = (r1 + q / cols) % rows, c = (c1 + q % cols) % cols
                result[r * cols + c] += x * y
            }
        }
        return try RationalImage(rows: rows, columns: cols, values: result)
    }

    /// Up-sampling (App. B.10): x↑s[k] = x[k/s] if s | k, else 0; length n·s; s ≥ 1.
    public static func upsampled(_ x: [Rational], by s: Int) throws(ReferenceError) -> [Rational] {
        try requireNonEmpty(x, "up-sampling")
        guard s >= 1 else { throw .invalidArgument("the up-sampling factor must be at least 1, got \(s)") }
        var result = [Rational](repeating: .zero, count: x.count * s)
        for (k, v) in x.enumerated() { result[k * s] = v }
        return result
    }

    /// 2D up-sampling (App. B.10) by s along both axes: x↑s[k, l] = x[k/s, l/s] if s | k and s | l, else 0.
    public static func upsampled(_ x: RationalImage, by s: Int) throws(ReferenceError) -> RationalImage {
        try upsampled(x, rowFactor: s, columnFactor: s)
    }

    /// 2D up-sampling with separate factors along rows and columns (both ≥ 1).
    public static func upsampled(_ x: RationalImage, rowFactor sr: Int, columnFactor sc: Int) throws(ReferenceError)
        -> RationalImage
    {
        guard sr >= 1, sc >= 1 else {
            throw .invalidArgument("up-sampling factors must be at least 1, got \(sr) and \(sc)")
        }
        let cols = x.columns * sc
        var result = [Rational](repeating: .zero, count: x.rows * sr * cols)
        for r in 0..<x.rows {
            for c in 0..<x.columns { result[(r * sr) * cols + c * sc] = x.values[r * x.columns + c] }
        }
        return try RationalImage(rows: x.rows * sr, columns: cols, values: result)
    }

    /// Reversal a⁻[k] = a[−k mod n].
    public static func reversed(_ a: [Rational]) throws(ReferenceError) -> [Rational] {
        try requireNonEmpty(a, "reversal")
        let n = a.count
        return (0..<n).map { a[(n - $0) % n] }
    }

    /// 2D reversal a⁻[k, l] = a[−k mod R, −l mod C].
    public static func reversed(_ a: RationalImage) throws(ReferenceError) -> RationalImage {
        try RationalImage(
            rows: a.rows, columns: a.columns,
            values: (0..<a.values.count).map { a[-($0 / a.columns), -($0 % a.columns)] })
    }

    /// Circular shift (τ_t a)[k] = a[(k − t) mod n], any integer t.
    public static func shifted(_ a: [Rational], by t: Int) throws(ReferenceError) -> [Rational] {
        try requireNonEmpty(a, "circular shift")
        let n = a.count
        return (0..<n).map { a[Primes.mod($0 - t, n)] }
    }

    /// 2D circular shift (τ_{(t, s)} a)[k, l] = a[(k − t) mod R, (l − s) mod C].
    public static func shifted(_ a: RationalImage, rows t: Int, columns s: Int) throws(ReferenceError) -> RationalImage
    {
        try RationalImage(
            rows: a.rows, columns: a.columns,
            values: (0..<a.values.count).map { a[$0 / a.columns - t, $0 % a.columns - s] })
    }

    /// Energy Σ a[k]².
    public static func energy(_ a: [Rational]) throws(ReferenceError) -> Rational {
        try requireNonEmpty(a, "energy")
        return a.reduce(into: Rational.zero) { $0 += $1 * $1 }
    }

    /// Energy Σ a[k, l]².
    public static func energy(_ a: RationalImage) -> Rational {
        a.values.reduce(into: Rational.zero) { $0 += $1 * $1 }
    }
}

extension Signals {
    /// The convolution inverse k⁻¹ (k ⊛ k⁻¹ = δ) of a kernel whose DFT has no zero coefficient,
    /// computed exactly through Q(ζ): k̂⁻¹ = 1/k̂ pointwise, then the inverse DFT (rational again).
    /// A DFT zero is a typed error: the kernel is not invertible.
    public static func convolutionInverse(_ k: RationalImage) throws(ReferenceError) -> RationalImage {
        let spectrum = try ExactDFT.forward2D(k)
        var inverted: [Cyclotomic] = []
        inverted.reserveCapacity(spectrum.values.count)
        for (i, x) in spectrum.values.enumerated() {
            guard !x.isZero else {
                throw .undefined(
                    "the kernel \(k.compactDescription) is not invertible: its DFT vanishes at frequency "
                        + "(\(i / k.columns), \(i % k.columns))"
                )
            }
            inverted.append(try x.inverse())
        }
        return try ExactDFT.inverse2DRational(try CyclotomicImage(rows: k.rows, columns: k.columns, values: inverted))
    }

    /// Whether no DFT coefficient vanishes (decided exactly).
    public static func isInvertible(_ k: RationalImage) throws(ReferenceError) -> Bool {
        try !ExactDFT.forward2D(k).values.contains { $0.isZero }
    }
}
