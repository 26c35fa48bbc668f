import RealModule

/// Summaries and one-sided tests across seeds, for the stat claims (claims/CLAIMS.md kind "stat").
public enum TrainingStatistics {
    /// Mean and standard error (sample sd / √n) of a sample.
    public struct Summary: Sendable, Hashable {
        public var count: Int
        public var mean: Double
        public var standardError: Double
        public var sd: Double
    }

    public static func summary(_ x: [Double]) -> Summary {
        let n = x.count
        guard n > 0 else { return Summary(count: 0, mean: .nan, standardError: .nan, sd: .nan) }
        let mean = x.reduce(0, +) / Double(n)
        guard n > 1 else { return Summary(count: 1, mean: mean, standardError: .nan, sd: .nan) }
        let v = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        return Summary(count: n, mean: mean, standardError: (v / Double(n)).squareRoot(), sd: v.squareRoot())
    }

    /// P(X ≥ k) for X ~ Binomial(n, ½): the one-sided sign-test p-value for k successes of n.
    public static func signTestUpperTail(successes k: Int, of n: Int) -> Double {
        guard k > 0 else { return 1 }
        guard k <= n else { return 0 }
        // log C(n, j) − n log 2, summed in probability space from j = k to n.
        var total = 0.0
        for j in k...n {
            let logC =
                Double.logGamma(Double(n + 1)) - Double.logGamma(Double(j + 1)) - Double.logGamma(Double(n - j + 1))
            total += Double.exp(logC - Double(n) * Double.log(2))
        }
        return min(1, total)
    }

    /// P(Z ≥ z) for a standard normal Z.
    public static func normalUpperTail(_ z: Double) -> Double { 0.5 * Double.erfc(z / 2.squareRoot()) }

    /// The outcome of a two-sided decision made of two one-sided tests at level α each.
    public enum Direction: String, Sendable {
        /// The "towards" alternative is significant.
        case towards
        /// The opposite alternative is significant.
        case away
        /// Neither is significant at the level.
        case undecided
    }

    /// A sign test on paired differences dᵢ (zeros dropped): "towards" when #{dᵢ > 0} is significantly
    /// large at level α, "away" when #{dᵢ < 0} is. Returns the direction, the counts and both p-values.
    public static func signTest(_ differences: [Double], alpha: Double)
        -> (direction: Direction, positive: Int, negative: Int, pTowards: Double, pAway: Double)
    {
        let positive = differences.filter { $0 > 0 }.count, negative = differences.filter { $0 < 0 }.count
        let n = positive + negative
        let pT = signTestUpperTail(successes: positive, of: n), pA = signTestUpperTail(successes: negative, of: n)
        let direction: Direction = pT < alpha ? .towards : (pA < alpha ? .away : .undecided)
        return (direction, positive, negative, pT, pA)
    }

    /// A one-sided z-test on the mean of x (large-sample, normal approximation): "towards" when the
    /// mean is significantly > `threshold`, "away" when significantly < it.
    public static func meanTest(_ x: [Double], threshold: Double, alpha: Double)
        -> (direction: Direction, summary: Summary, z: Double, pTowards: Double, pAway: Double)
    {
        let s = summary(x)
        let z =
            s.standardError > 0
            ? (s.mean - threshold) / s.standardError
            : (s.mean > threshold ? .infinity : (s.mean < threshold ? -.infinity : 0))
        let pT = normalUpperTail(z), pA = normalUpperTail(-z)
        let direction: Direction = pT < alpha ? .towards : (pA < alpha ? .away : .undecided)
        return (direction, s, z, pT, pA)
    }
}
