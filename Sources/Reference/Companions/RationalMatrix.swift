/// Small dense matrices over Q for the companion papers' models (rows of rationals), and exact sign
/// decisions in Q(√q): the companions' norms and standard deviations are square roots, never rounded.
public enum RationalMatrix {
    public typealias Matrix = [[Rational]]

    public static func identity(_ n: Int) -> Matrix {
        (0..<n).map { i in (0..<n).map { $0 == i ? Rational.one : Rational.zero } }
    }

    static func requireSquare(_ a: Matrix, _ context: String) throws(ReferenceError) {
        guard !a.isEmpty, a.allSatisfy({ $0.count == a.count }) else {
            throw .shapeMismatch("\(context) needs a non-empty square matrix")
        }
    }

    public static func product(_ a: Matrix, _ b: Matrix) throws(ReferenceError) -> Matrix {
        guard let inner = a.first?.count, inner == b.count, a.allSatisfy({ $0.count == inner }) else {
            throw .shapeMismatch("matrix product of \(a.count)×\(a.first?.count ?? 0) and \(b.count)×…")
        }
        let columns = b.first?.count ?? 0
        return a.map { row in
            (0..<columns).map { j in
                var sum = Rational.zero
                for k in 0..<inner { sum += row[k] * b[k][j] }
                return sum
            }
        }
    }

    public static func apply(_ a: Matrix, _ x: [Rational]) throws(ReferenceError) -> [Rational] {
        try product(a, x.map { [$0] }).map { $0[0] }
    }

    public static func transpose(_ a: Matrix) -> Matrix {
        guard let columns = a.first?.count else { return [] }
        return (0..<columns).map { j in a.map { $0[j] } }
    }

    /// Gauss–Jordan elimination: the inverse, or nil when the matrix is singular.
    public static func inverse(_ a: Matrix) throws(ReferenceError) -> Matrix? {
        try requireSquare(a, "inverse")
        let n = a.count
        var m = zip(a, identity(n)).map { $0.0 + $0.1 }
        for column in 0..<n {
            guard let pivot = (column..<n).first(where: { !m[$0][column].isZero }) else { return nil }
            m.swapAt(column, pivot)
            let scale = try m[column][column].reciprocal()
            m[column] = m[column].map { $0 * scale }
            for row in 0..<n where row != column && !m[row][column].isZero {
                let factor = m[row][column]
                m[row] = zip(m[row], m[column]).map { $0.0 - factor * $0.1 }
            }
        }
        return m.map { Array($0[n...]) }
    }

    public static func determinant(_ a: Matrix) throws(ReferenceError) -> Rational {
        try requireSquare(a, "determinant")
        var m = a, det = Rational.one
        let n = a.count
        for column in 0..<n {
            guard let pivot = (column..<n).first(where: { !m[$0][column].isZero }) else { return .zero }
            if pivot != column { m.swapAt(column, pivot); det = -det }
            det *= m[column][column]
            let inverse = try m[column][column].reciprocal()
            for row in (column + 1)..<n where !m[row][column].isZero {
                let factor = m[row][column] * inverse
                m[row] = zip(m[row], m[column]).map { $0.0 - factor * $0.1 }
            }
        }
        return det
    }

    /// Exactly one non-zero entry in every row and every column: a permutation with scaling.
    public static func isScaledPermutation(_ a: Matrix) -> Bool {
        guard !a.isEmpty, a.allSatisfy({ $0.count == a.count }) else { return false }
        let rowsOK = a.allSatisfy { row in row.filter { !$0.isZero }.count == 1 }
        let columnsOK = (0..<a.count).allSatisfy { j in a.filter { !$0[j].isZero }.count == 1 }
        return rowsOK && columnsOK
    }

    public static func dot(_ a: [Rational], _ b: [Rational]) throws(ReferenceError) -> Rational {
        guard a.count == b.count else { throw .shapeMismatch("dot product of lengths \(a.count) and \(b.count)") }
        var sum = Rational.zero
        for (x, y) in zip(a, b) { sum += x * y }
        return sum
    }

    /// The sign of a + c·√q (q > 0), decided on squares: never through a rounded square root.
    public static func signOf(_ a: Rational, plus c: Rational, sqrtOf q: Rational) throws(ReferenceError) -> Int {
        guard q.signum > 0 else { throw .invalidArgument("√q needs q > 0, got \(q)") }
        if c.isZero || a.signum == c.signum { return a.isZero ? c.signum : a.signum }
        if a.isZero { return c.signum }
        // Opposite signs: the larger magnitude wins; compare a² with c²q.
        let (left, right) = (a.squared, c.squared * q)
        return left == right ? 0 : (left > right ? a.signum : c.signum)
    }
}
