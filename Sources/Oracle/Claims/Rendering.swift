import Reference

/// JSON renderings of the theory's objects, for counterexamples and reports.
extension RationalImage: JSONRenderable {
    public var json: JSONValue {
        if rows == 1 { return .array(values.map(\.json)) }
        return .array((0..<rows).map { r in .array((0..<columns).map { self[r, $0].json }) })
    }
}

extension Cyclotomic: JSONRenderable {
    /// An exact element as its power-basis coefficients, plus its Double approximation.
    public var json: JSONValue {
        let approximation = approximation()
        return .object([
            "field": .string("Q(zeta_\(order))"), "coefficients": coefficients.json,
            "approx": .array([.number(approximation.real), .number(approximation.imaginary)]),
        ])
    }
}

extension FrequencyAveraging: JSONRenderable { public var json: JSONValue { .string(rawValue) } }
extension StretchReading: JSONRenderable { public var json: JSONValue { .string(rawValue) } }

/// Exact: the string "p/q" (or "n" for integers), as `Rational.description` prints it.
extension Rational: JSONRenderable { public var json: JSONValue { .string(description) } }
/// Exact: the decimal string.
extension BigInt: JSONRenderable { public var json: JSONValue { .string(description) } }
