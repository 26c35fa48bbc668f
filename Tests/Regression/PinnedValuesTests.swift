import Testing
import Oracle
@testable import Reference

/// Exact values for fixed small inputs, pinned after an independent computation
/// (Python: floating DFT for the SDRs, sympy for the gradient and η's closed form).
@Suite struct PinnedValuesTests {
    static func kernel(_ values: [Int]) -> RationalImage { try! RationalImage(values.map { Rational($0) }) }
    static func q(_ text: String) -> Rational { try! Rational(parsing: text) }

    @Test(arguments: [
        ([1, 2, 0, -1, 3], [0, 1, 1, 0, 0], "14/15", "17/15"),
        ([3, -1, 4, 1, -5, 9, 2], [2, 7, 1, 8, 2, 8, 1], "21152/15405", "32391/25619"),
    ])
    func pinnedSDR(k1: [Int], k2: [Int], nonZero: String, all: String) throws {
        let (a, b) = (Self.kernel(k1), Self.kernel(k2))
        #expect(try SpectralDensityRatio.ratio(a, b) == Self.q(nonZero))
        #expect(try SpectralDensityRatio.ratio(a, b, averaging: .all) == Self.q(all))
        #expect(try SpectralDensityRatio.partsByGalois(a, b).ratio() == Self.q(nonZero))
    }

    @Test func pinnedSDRDoubles() throws {
        #expect(Self.q("14/15").doubleValue == 0.9333333333333333)
        #expect(Self.q("21152/15405").doubleValue == 1.373060694579682)
    }

    /// η of Prop. 9 for (a₀, b₀, c₀) = (1, 2, 2), σ'² = 1, σ² = 0, λ = 1/5: κ = 8, η = 1 − 32/25 = −7/25;
    /// and for (2, 1/2, 1), σ'² = 1/4, σ² = 1/10, λ = 1/10: κ = 27/20, η = 473/500.
    @Test func pinnedEta() throws {
        let (a, b, c, l) = (
            MultivariatePolynomial.variable(0), MultivariatePolynomial.variable(1),
            MultivariatePolynomial.variable(2), MultivariatePolynomial.variable(3)
        )
        let L = a * a - b * b, residual = c - a * b
        let step = L * (MultivariatePolynomial(.one) - Rational(4) * (l * l * residual * residual))
        func eta(_ m: [String], _ v: [String]) throws -> Rational {
            let means = m.map(Self.q), variances = v.map(Self.q)
            return try step.gaussianExpectation(means: means, variances: variances)
                / L.gaussianExpectation(means: means, variances: variances)
        }
        #expect(try eta(["1", "2", "2", "1/5"], ["1", "1", "0", "0"]) == Self.q("-7/25"))
        #expect(try eta(["2", "1/2", "1", "1/10"], ["1/4", "1/4", "1/10", "0"]) == Self.q("473/500"))
    }

    @Test func pinnedGaussianMoments() throws {
        // E[X⁴] for N(μ, σ²) = μ⁴ + 6μ²σ² + 3σ⁴: μ = 1/2, σ² = 2 → 1/16 + 3 + 12.
        #expect(try MultivariatePolynomial.gaussianMoment(4, mean: Self.q("1/2"), variance: 2) == Self.q("241/16"))
        #expect(try MultivariatePolynomial.gaussianMoment(3, mean: 0, variance: 5) == 0)
    }

    @Test func pinnedExactGradients() throws {
        let ls = ExactGradients.leastSquares(c: 3, a: Self.q("1/2"), b: 2)
        #expect(ls.value == 4 && ls.gradient == [-8, -2])
        let sdr = try ExactGradients.sdrLoss(k1: Self.kernel([1, 2, 0, -1, 3]), k2: Self.kernel([0, 1, 1, 0, 0]))
        #expect(sdr.value == Self.q("1/100"))
        #expect(sdr.gradient == ["0", "1/50", "1/50", "0", "-1/25"].map(Self.q))
        // The loss is eq. (13)'s right side: (ρ − 1)² ⟨|k̂₂|²⟩².
        #expect(sdr.value == (Self.q("14/15") - 1).squared * Self.q("3/2").squared)
    }
}
