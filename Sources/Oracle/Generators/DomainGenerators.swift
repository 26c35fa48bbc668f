import Reference

/// Generators for the objects of the theory. Each shrinks towards the simplest instance
/// (small primes, 0, 1, small integers, small denominators, short kernels).
public enum Domain {
    /// Primes in `range`, smallest first (choice 0 is the least prime in the range).
    public static func prime(in range: ClosedRange<Int> = 2...31) -> Gen<Int> {
        let primes = Primes.inRange(range.lowerBound, range.upperBound)
        precondition(!primes.isEmpty, "no prime in \(range)")
        let last = UInt64(primes.count - 1)
        return Gen { source in
            // Small primes first: random draws reach further into the table as the size grows — from the
            // three smallest primes (2 and 3 alone are where most claims cannot fail) to the whole table at
            // half the size range; the recorded bound is the whole table, so replay does not depend on the size.
            let grown = primes.count * max(0, source.size) * 2 / ChoiceSource.maxSize
            let reach = UInt64(max(1, min(primes.count, max(3, grown))))
            return primes[Int(try source.draw(upTo: last, sampleUpTo: reach))]
        }
    }

    /// Odd primes in `range` (Model 1's d with 2d−1 ≥ 5, and Rader's lengths).
    public static func oddPrime(in range: ClosedRange<Int> = 3...31) -> Gen<Int> {
        prime(in: max(3, range.lowerBound)...range.upperBound)
    }

    /// Integers in −magnitude…magnitude, shrinking towards 0.
    public static func integer(magnitude: Int = 5) -> Gen<Int> { Gen.int(in: -magnitude...magnitude) }

    /// Rationals p/q with |p| ≤ numerator, 1 ≤ q ≤ denominator, shrinking towards 0, then small
    /// integers (q = 1 is choice 0), then small denominators.
    public static func rational(numerator: Int = 6, denominator: Int = 4) -> Gen<Rational> {
        Gen.zip(Gen.int(in: -numerator...numerator), Gen.int(in: 1...max(1, denominator)))
            .map { try Rational($0.0, $0.1) }
    }

    /// Non-zero rationals (for entries that must not vanish).
    public static func nonZeroRational(numerator: Int = 6, denominator: Int = 4) -> Gen<Rational> {
        Gen.zip(Gen.int(in: 1...numerator), Gen.bool, Gen.int(in: 1...max(1, denominator)))
            .map { try Rational($0.2 == 0 ? 1 : ($0.1 ? -$0.0 : $0.0), $0.2) }
    }

    /// Positive rationals (diagonals of Model 2, variances).
    public static func positiveRational(numerator: Int = 6, denominator: Int = 4) -> Gen<Rational> {
        Gen.zip(Gen.int(in: 1...numerator), Gen.int(in: 1...max(1, denominator))).map { try Rational($0.0, $0.1) }
    }

    /// A rational vector of the given length.
    public static func vector(length: Int, entry: Gen<Rational> = rational()) -> Gen<[Rational]> {
        Gen.array(of: entry, count: length...length)
    }

    /// The shapes of kernel the theory cares about.
    public enum KernelShape: String, Sendable, CaseIterable {
        case dense, sparse, dirac, eyePair, box
    }

    /// A kernel of length `length`: dense, sparse, a Dirac, the two-Dirac "eye pair" of Example 1,
    /// or box-supported; dense comes first (choice 0), so shrinking simplifies the shape last.
    public static func kernel(length: Int, entry: Gen<Rational> = rational()) -> Gen<[Rational]> {
        Gen.element(of: KernelShape.allCases).flatMap { shape in kernel(length: length, shape: shape, entry: entry) }
    }

    public static func kernel(length: Int, shape: KernelShape, entry: Gen<Rational> = rational()) -> Gen<[Rational]> {
        let zero = [Rational](repeating: .zero, count: length)
        switch shape {
        case .dense:
            return vector(length: length, entry: entry)
        case .sparse:
            // Each entry is zero unless a coin says otherwise.
            return Gen.array(of: Gen.zip(Gen.bool, entry).map { $0.0 ? $0.1 : Rational.zero }, count: length...length)
        case .dirac:
            return Gen.zip(Gen.int(in: 0...(length - 1)), nonZeroRational()).map { position, value in
                var k = zero; k[position] = value; return k
            }
        case .eyePair:
            return Gen.zip(Gen.int(in: 0...(length - 1)), Gen.int(in: 0...(length - 1))).map { a, b in
                var k = zero; k[a] = .one; k[b] = k[b] + .one; return k
            }
        case .box:
            return Gen.int(in: 1...length).flatMap { width in
                Gen.zip(Gen.int(in: 0...(length - 1)), vector(length: width, entry: entry)).map { start, values in
                    var k = zero
                    for (i, v) in values.enumerated() { k[(start + i) % length] = v }
                    return k
                }
            }
        }
    }

    /// A rows×columns kernel (row-major) of any shape.
    public static func kernel2D(rows: Int, columns: Int, entry: Gen<Rational> = rational()) -> Gen<RationalImage> {
        kernel(length: rows * columns, entry: entry).map { try RationalImage(rows: rows, columns: columns, values: $0) }
    }

    /// An element of Z_d^* (1 first).
    public static func groupElement(_ d: Int) -> Gen<Int> { Gen.int(in: 1...max(1, d - 1)) }

    /// A positive diagonal of length n (Model 2's a, b).
    public static func positiveDiagonal(length: Int) -> Gen<[Rational]> {
        vector(length: length, entry: positiveRational())
    }

    /// A Gaussian's mean and variance, both rational, variance > 0.
    public static var gaussianParameters: Gen<(mean: Rational, variance: Rational)> {
        Gen.zip(rational(), positiveRational()).map { (mean: $0.0, variance: $0.1) }
    }

    /// Learning rates 1/2^k·m/10 in (0, 1], shrinking towards 1/10.
    public static var learningRate: Gen<Rational> {
        Gen.zip(Gen.int(in: 1...10), Gen.int(in: 0...6)).map {
            try Rational(BigInt($0.0), BigInt(10) * (try BigInt(2).power($0.1)))
        }
    }
}

extension Domain {
    /// Invertible kernels: no DFT coefficient vanishes (decided exactly in Q(ζ)). The Dirac comes first,
    /// so the simplest choices (all 0) give δ, which is invertible, and shrinking never fights the filter.
    public static func invertibleKernel(rows: Int, columns: Int, entry: Gen<Rational> = rational()) -> Gen<
        RationalImage
    > {
        let shapes: [KernelShape] = [.dirac, .dense, .sparse, .eyePair, .box]
        return Gen.element(of: shapes)
            .flatMap { kernel(length: rows * columns, shape: $0, entry: entry) }
            .map { try RationalImage(rows: rows, columns: columns, values: $0) }
            .filter("invertible \(rows)x\(columns) kernel", maxTries: 50) { (try? Signals.isInvertible($0)) ?? false }
    }

    /// Probability vectors π (positive weights normalised to 1) whose DFT π̂ has no zero (Prop. 2's premise).
    public static func probability(rows: Int, columns: Int) -> Gen<RationalImage> {
        // Weights 1 + choice, with the first raised by one, so the simplest choices give
        // π ∝ (2, 1, …, 1), whose DFT (n + 1, 1, …, 1) has no zero.
        Gen.array(of: Gen.int(in: 1...6), count: (rows * columns)...(rows * columns))
            .map { raw -> RationalImage in
                var weights = raw
                weights[0] += 1
                let total = weights.reduce(0, +)
                return try RationalImage(
                    rows: rows, columns: columns, values: try weights.map { try Rational($0, total) })
            }
            .filter("probability with non-vanishing DFT", maxTries: 50) { (try? Signals.isInvertible($0)) ?? false }
    }
}
