/// A rows × columns array over one field Q(ζ_M), row-major (a 2D spectrum); both sides ≥ 1.
public struct CyclotomicImage: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    public let field: CyclotomicField
    /// values[r·columns + c], all in `field`.
    public let values: [Cyclotomic]

    /// Typed errors for an empty shape, a wrong value count, or values from different fields.
    public init(rows: Int, columns: Int, values: [Cyclotomic]) throws(ReferenceError) {
        guard rows >= 1, columns >= 1 else {
            throw .shapeMismatch("an image needs at least one row and one column, got \(rows)×\(columns)")
        }
        guard values.count == rows * columns else {
            throw .shapeMismatch("a \(rows)×\(columns) image needs \(rows * columns) values, got \(values.count)")
        }
        let field = values[0].field
        for v in values where v.field.order != field.order { throw .fieldMismatch(field.order, v.field.order) }
        self.rows = rows
        self.columns = columns
        self.field = field
        self.values = values
    }

    /// The entry at (r mod rows, c mod columns).
    public subscript(r: Int, c: Int) -> Cyclotomic {
        values[Primes.mod(r, rows) * columns + Primes.mod(c, columns)]
    }
}

/// The exact DFT over cyclotomic fields (App. B.4): â[u] = Σ_k a[k] ζ_n^{−uk}, no normalisation;
/// inverse a[k] = (1/n) Σ_u â[u] ζ_n^{uk}. In 2D, values live in Q(ζ_m), m = lcm(rows, columns).
public enum ExactDFT {
    // MARK: 1D

    /// The DFT of a rational signal of length n, in Q(ζ_n).
    public static func forward(_ signal: [Rational]) throws(ReferenceError) -> [Cyclotomic] {
        guard !signal.isEmpty else { throw .shapeMismatch("the DFT needs a non-empty signal") }
        return try forward(signal, in: try CyclotomicField(order: signal.count))
    }

    /// The DFT of a rational signal of length n, in a given field Q(ζ_M) with n | M.
    public static func forward(_ signal: [Rational], in field: CyclotomicField) throws(ReferenceError) -> [Cyclotomic] {
        guard !signal.isEmpty else { throw .shapeMismatch("the DFT needs a non-empty signal") }
        try requireDivides(signal.count, field)
        return transform(
            signal.map { Cyclotomic($0, in: field) }, rows: 1, columns: signal.count, field: field, sign: -1)
    }

    /// The DFT of a signal over Q(ζ_M) (all values in one field, length n | M), in Q(ζ_M).
    public static func forward(_ signal: [Cyclotomic]) throws(ReferenceError) -> [Cyclotomic] {
        let field = try commonField(signal, "the DFT")
        return transform(signal, rows: 1, columns: signal.count, field: field, sign: -1)
    }

    /// The inverse DFT of a spectrum over Q(ζ_M) (length n | M).
    public static func inverse(_ spectrum: [Cyclotomic]) throws(ReferenceError) -> [Cyclotomic] {
        let field = try commonField(spectrum, "the inverse DFT")
        let scale = Rational.one.divided(byNonZero: spectrum.count)
        return transform(spectrum, rows: 1, columns: spectrum.count, field: field, sign: 1).map { $0.scaled(by: scale) }
    }

    /// The inverse DFT when the result is a rational signal; otherwise a typed error.
    public static func inverseRational(_ spectrum: [Cyclotomic]) throws(ReferenceError) -> [Rational] {
        try rationalValues(try inverse(spectrum))
    }

    // MARK: 2D

    /// The 2D DFT â[u, v] = Σ_{k,l} a[k, l] ζ_R^{−uk} ζ_C^{−vl}, in Q(ζ_m), m = lcm(R, C).
    public static func forward2D(_ image: RationalImage) throws(ReferenceError) -> CyclotomicImage {
        try forward2D(image, in: try CyclotomicField(order: Primes.lcm(image.rows, image.columns)))
    }

    /// The 2D DFT in a given field Q(ζ_M) with R | M and C | M.
    public static func forward2D(_ image: RationalImage, in field: CyclotomicField) throws(ReferenceError)
        -> CyclotomicImage
    {
        try requireDivides(image.rows, field)
        try requireDivides(image.columns, field)
        let values = transform(
            image.values.map { Cyclotomic($0, in: field) },
            rows: image.rows, columns: image.columns, field: field, sign: -1)
        return try CyclotomicImage(rows: image.rows, columns: image.columns, values: values)
    }

    /// The 2D DFT of an image over Q(ζ_M) with R | M and C | M.
    public static func forward2D(_ image: CyclotomicImage) throws(ReferenceError) -> CyclotomicImage {
        try requireDivides(image.rows, image.field)
        try requireDivides(image.columns, image.field)
        let values = transform(image.values, rows: image.rows, columns: image.columns, field: image.field, sign: -1)
        return try CyclotomicImage(rows: image.rows, columns: image.columns, values: values)
    }

    /// The 2D inverse a[k, l] = (1/(RC)) Σ_{u,v} â[u, v] ζ_R^{uk} ζ_C^{vl}.
    public static func inverse2D(_ spectrum: CyclotomicImage) throws(ReferenceError) -> CyclotomicImage {
        try requireDivides(spectrum.rows, spectrum.field)
        try requireDivides(spectrum.columns, spectrum.field)
        let scale = Rational.one.divided(byNonZero: spectrum.rows * spectrum.columns)
        let values = transform(
            spectrum.values, rows: spectrum.rows, columns: spectrum.columns,
            field: spectrum.field, sign: 1
        ).map { $0.scaled(by: scale) }
        return try CyclotomicImage(rows: spectrum.rows, columns: spectrum.columns, values: values)
    }

    /// The 2D inverse when the result is a rational image; otherwise a typed error.
    public static func inverse2DRational(_ spectrum: CyclotomicImage) throws(ReferenceError) -> RationalImage {
        let image = try inverse2D(spectrum)
        return try RationalImage(rows: image.rows, columns: image.columns, values: try rationalValues(image.values))
    }

    // MARK: internals

    static func requireDivides(_ n: Int, _ field: CyclotomicField) throws(ReferenceError) {
        guard field.order % n == 0 else { throw .fieldMismatch(field.order, n) }
    }

    static func commonField(_ values: [Cyclotomic], _ what: String) throws(ReferenceError) -> CyclotomicField {
        guard let first = values.first else { throw .shapeMismatch("\(what) needs a non-empty input") }
        for v in values where v.field.order != first.field.order {
            throw .fieldMismatch(first.field.order, v.field.order)
        }
        try requireDivides(values.count, first.field)
        return first.field
    }

    static func rationalValues(_ values: [Cyclotomic]) throws(ReferenceError) -> [Rational] {
        var result: [Rational] = []
        result.reserveCapacity(values.count)
        for (k, v) in values.enumerated() {
            guard let r = v.rationalValue else {
                throw .undefined(
                    "the inverse DFT at index \(k) is \(v), not rational: the spectrum is not that of a rational signal"
                )
            }
            result.append(r)
        }
        return result
    }

    /// Separable transform of an R × C array over Q(ζ_M) (R | M, C | M): multiplies by ζ_C^{sign·vl} along
    /// rows, then ζ_R^{sign·uk} along columns, accumulating in exponent space and reducing once per output.
    static func transform(_ values: [Cyclotomic], rows: Int, columns: Int, field: CyclotomicField, sign: Int)
        -> [Cyclotomic]
    {
        let m = field.order, stepColumns = m / columns, stepRows = m / rows
        var pass = values
        if columns > 1 {
            pass = []
            pass.reserveCapacity(values.count)
            for k in 0..<rows {
                for v in 0..<columns {
                    var acc = CyclotomicAccumulator(field: field)
                    for l in 0..<columns {
                        acc.add(values[k * columns + l], rotatedBy: sign * ((v * l) % columns) * stepColumns)
                    }
                    pass.append(acc.result)
                }
            }
        }
        guard rows > 1 else { return pass }
        var result: [Cyclotomic] = []
        result.reserveCapacity(values.count)
        for u in 0..<rows {
            for v in 0..<columns {
                var acc = CyclotomicAccumulator(field: field)
                for k in 0..<rows {
                    acc.add(pass[k * columns + v], rotatedBy: sign * ((u * k) % rows) * stepRows)
                }
                result.append(acc.result)
            }
        }
        return result
    }
}
