import Reference

/// The Reference against itself: where the project computes one exact quantity by several routes, the routes must
/// agree exactly, so a slip in one route shows even when every claim about it is already refuted or trivially true.
public enum ReferenceCrossChecks: ClaimSection {
    public static let title = "Reference against itself (alternative exact routes)"
    /// The section's one list: a reading is registered by being here.
    public static var readings: [ClaimReading] { sdrRoutes + inverse2D + fieldAxioms }

    // MARK: reference.sdr-routes

    struct RoutesCase: Sendable, JSONRenderable {
        let k1: [Int], k2: [Int], rows: Int, columns: Int
        var json: JSONValue {
            .object([
                "shape": .string("\(rows)x\(columns)"), "k1": .array(k1.map(JSONValue.int)),
                "k2": .array(k2.map(JSONValue.int)),
            ])
        }
    }

    /// Integer kernels of 1D prime lengths up to 31 (the Galois route needs a prime) and 2D grids up to 7×7.
    static var routesCase: Gen<RoutesCase> {
        let shapes: Gen<(Int, Int)> = Gen.oneOf(
            Domain.prime(in: 2...31).map { (1, $0) },
            Gen.zip(Gen.int(in: 2...7), Gen.int(in: 2...7)))
        return shapes.flatMap { rows, columns in
            let entries = Gen.array(of: Domain.integer(magnitude: 9), count: (rows * columns)...(rows * columns))
            return Gen.zip(entries, entries).map { RoutesCase(k1: $0.0, k2: $0.1, rows: rows, columns: columns) }
        }
    }

    /// Every route to ρ(k₁, k₂) gives one reduced fraction, with both averaging conventions: autocorrelations in Q
    /// (route 1), the Galois trace in Q(ζ_d) (route 2, 1D prime d), the DFT sums in Q(ζ_m) (route 3) and the
    /// machine-integer autocorrelations. An undefined ratio must be undefined on every route.
    static func routesAgree(_ c: RoutesCase) throws -> Bool {
        let a = try RationalImage(rows: c.rows, columns: c.columns, values: c.k1.map { Rational($0) })
        let b = try RationalImage(rows: c.rows, columns: c.columns, values: c.k2.map { Rational($0) })
        for averaging in FrequencyAveraging.allCases {
            var results: [Rational?] = []
            results.append(try? SpectralDensityRatio.partsByAutocorrelation(a, b, averaging: averaging).ratio())
            results.append(try? SpectralDensityRatio.partsByFourier(a, b, averaging: averaging).ratio())
            results.append(
                try? SpectralDensityRatio.ratio(
                    integer: c.k1, c.k2, rows: c.rows, columns: c.columns,
                    averaging: averaging))
            if c.rows == 1, Primes.isPrime(c.columns) {
                results.append(try? SpectralDensityRatio.partsByGalois(a, b, averaging: averaging).ratio())
            }
            guard results.allSatisfy({ $0 == results[0] }) else { return false }
        }
        return true
    }

    static var sdrRoutes: [ClaimReading] {
        [
            .property(
                id: "reference.sdr-routes", reading: "agree",
                statement:
                    "The exact SDR of eq. (8) is one reduced fraction by every route (autocorrelations in Q, Galois "
                    + "trace in Q(ζ_d), DFT sums in Q(ζ_m), machine integers), 1D and 2D, both averaging conventions.",
                expected: .holds, cases: 200, gen: routesCase, render: { $0.json },
                classify: { c in
                    let image = { (k: [Int]) in
                        try? RationalImage(rows: c.rows, columns: c.columns, values: k.map { Rational($0) })
                    }
                    let nonFlat = [c.k1, c.k2].allSatisfy { k in image(k).map { !Bites.isFlat($0) } ?? false }
                    return [.nonTrivial(c.k1.count >= 5 && nonFlat), .event(c.rows == 1 ? "1D" : "2D")]
                },
                nonTrivialShare: 0.5,
                check: routesAgree)
        ]
    }

    // MARK: reference.dft

    static var image: Gen<RationalImage> {
        Gen.zip(Gen.int(in: 2...6), Gen.int(in: 1...6)).flatMap { rows, columns in
            Domain.kernel2D(rows: rows, columns: columns)
        }
    }

    static var inverse2D: [ClaimReading] {
        [
            .property(
                id: "reference.dft", reading: "inverse-2d",
                statement:
                    "The 2D DFT is inverted by its inverse on images of more than one row: "
                    + "inverse2D(forward2D(a)) = a, exactly, with the 1/(RC) normalisation.",
                expected: .holds, cases: 200, gen: image, render: { $0.json },
                classify: { a in [.nonTrivial(a.rows >= 2 && a.columns >= 2 && Bites.support(a.values) >= 2)] },
                nonTrivialShare: 0.5,
                check: { a in try ExactDFT.inverse2DRational(ExactDFT.forward2D(a)) == a })
        ]
    }

    // MARK: reference.cyclotomic

    struct FieldCase: Sendable, JSONRenderable {
        let order: Int, a: [Rational], b: [Rational], c: [Rational]
        var json: JSONValue { .object(["n": .int(order), "a": a.json, "b": b.json, "c": c.json]) }
    }

    /// Orders with several odd prime factors, where Φ_n is least like x^(n−1) + … + 1: 105 is the first whose
    /// cyclotomic polynomial has a coefficient other than 0 and ±1 (−2 at x⁷ and x⁴¹).
    static let fieldOrders = [15, 21, 33, 35, 45, 63, 105]

    static var fieldCase: Gen<FieldCase> {
        Gen.element(of: fieldOrders).flatMap { n in
            let degree = Primes.totient(n)
            let element = Gen.array(of: Domain.rational(numerator: 3, denominator: 2), count: degree...degree)
            return Gen.zip(element, element, element).map { FieldCase(order: n, a: $0.0, b: $0.1, c: $0.2) }
        }
    }

    /// The field axioms on power-basis elements of Q(ζ_n): associativity, commutativity, distributivity, the
    /// neutral elements, inverses, and ζ^n = 1 with ζ^k ≠ 1 for 0 < k < n.
    static func fieldAxiomsHold(_ c: FieldCase) throws -> Bool {
        let field = try CyclotomicField(order: c.order)
        let (a, b, x) = (
            try Cyclotomic(coefficients: c.a, in: field), try Cyclotomic(coefficients: c.b, in: field),
            try Cyclotomic(coefficients: c.c, in: field)
        )
        let (zero, one) = (Cyclotomic(0, in: field), Cyclotomic(1, in: field))
        guard try (a + b) + x == a + (b + x), try (a * b) * x == a * (b * x) else { return false }
        guard try a + b == b + a, try a * b == b * a else { return false }
        guard try a * (b + x) == (a * b) + (a * x) else { return false }
        guard try a + zero == a, try a * one == a, try (a - b) + b == a else { return false }
        if a != zero { guard try a * a.inverse() == one else { return false } }
        let zeta = field.zeta()
        var power = one
        for k in 1...c.order {
            power = try power * zeta
            guard (power == one) == (k == c.order) else { return false }
        }
        return true
    }

    static var fieldAxioms: [ClaimReading] {
        [
            .property(
                id: "reference.cyclotomic", reading: "field-axioms",
                statement:
                    "Q(ζ_n) is a field with ζ of order exactly n, for orders with several odd prime factors "
                    + "(15, 21, 33, 35, 45, 63, 105): the axioms hold on generated elements of the power basis.",
                expected: .holds, cases: 60, gen: fieldCase, render: { $0.json },
                classify: { c in
                    [
                        .nonTrivial(c.order == 105 || (Bites.support(c.a) >= 2 && Bites.support(c.b) >= 2)),
                        .parameter("n", c.order),
                    ]
                },
                nonTrivialShare: 0.5,
                check: fieldAxiomsHold)
        ]
    }
}
