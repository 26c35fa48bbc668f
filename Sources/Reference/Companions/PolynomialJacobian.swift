/// 003, Lemmas B.1–B.3 symbolically: Jacobians of polynomial maps and their determinants, exact over Q.
public enum PolynomialJacobian {
    public typealias Polynomial = MultivariatePolynomial

    /// J[i][j] = ∂map_i/∂x_{variables[j]}.
    public static func jacobian(_ map: [Polynomial], variables: [Int]) -> [[Polynomial]] {
        map.map { p in variables.map { p.derivative($0) } }
    }

    /// The determinant by Laplace expansion along the first row (small n).
    public static func determinant(_ m: [[Polynomial]]) throws(ReferenceError) -> Polynomial {
        guard m.allSatisfy({ $0.count == m.count }) else { throw .shapeMismatch("the Jacobian must be square") }
        if m.isEmpty { return Polynomial(.one) }
        if m.count == 1 { return m[0][0] }
        var det = Polynomial()
        for j in 0..<m.count where !m[0][j].isZero {
            let minor = m.dropFirst().map { row in row.enumerated().filter { $0.offset != j }.map(\.element) }
            let term = m[0][j] * (try determinant(Array(minor)))
            det = j % 2 == 0 ? det + term : det - term
        }
        return det
    }

    /// p(values₀, values₁, …): every variable x_i replaced by the polynomial values[i] (composition).
    public static func compose(_ p: Polynomial, _ values: [Polynomial]) throws(ReferenceError) -> Polynomial {
        var result = Polynomial()
        for (exponents, coefficient) in p.terms {
            guard exponents.count <= values.count else {
                throw .shapeMismatch("the polynomial has \(exponents.count) variables, \(values.count) values given")
            }
            var monomial = Polynomial(coefficient)
            for (i, k) in exponents.enumerated() where k > 0 { monomial = monomial * values[i].power(k) }
            result = result + monomial
        }
        return result
    }

    /// Whether p mentions x_index.
    public static func depends(_ p: Polynomial, on index: Int) -> Bool {
        p.terms.keys.contains { index < $0.count && $0[index] > 0 }
    }
}
