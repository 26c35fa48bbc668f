/// Continuous-time gradient descent (CTGD) on eq. (10), da/dt = 2b(c − ab), db/dt = 2a(c − ab)
/// (eqs. 20–21), integrated by Dormand–Prince 5(4) with error control (App. B.7, Prop. 8).
extension Training {
    /// An explicit adaptive Runge–Kutta integrator: Dormand–Prince 5(4) (FSAL, local extrapolation).
    /// A step is accepted when every component of the embedded error estimate satisfies
    /// |y⁵ᵢ − y⁴ᵢ| ≤ atol + rtol·max(|yᵢ|, |y⁵ᵢ|) (max norm); step size control h ← h·0.9·err^(−1/5), factor in [0.2,
    /// 5].
    public struct DormandPrince: Sendable {
        public var relativeTolerance: Double
        public var absoluteTolerance: Double
        public var maxSteps: Int

        public init(relativeTolerance: Double = 1e-10, absoluteTolerance: Double = 1e-12, maxSteps: Int = 1_000_000) {
            self.relativeTolerance = relativeTolerance
            self.absoluteTolerance = absoluteTolerance
            self.maxSteps = maxSteps
        }

        /// One accepted step's record.
        public struct Sample: Sendable, Hashable {
            public var t: Double
            public var y: [Double]
            /// The accepted step's embedded error estimate |y⁵ − y⁴|, componentwise.
            public var errorEstimate: [Double]
        }

        public struct Result: Sendable {
            public var samples: [Sample]
            public var accepted: Int
            public var rejected: Int
            /// The end state.
            public var y: [Double] { samples.last!.y }
        }

        // Dormand–Prince coefficients (Hairer, Nørsett & Wanner, Table II.5.2).
        static let c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9
        static let a21 = 1.0 / 5
        static let a31 = 3.0 / 40, a32 = 9.0 / 40
        static let a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9
        static let a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729
        static let a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176, a65 = -5103.0 / 18656
        static let b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784, b6 = 11.0 / 84
        // e = b − b̂ (5th minus 4th order weights).
        static let e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200, e6 = 22.0 / 525,
            e7 = -1.0 / 40

        /// Integrates y′ = f(y) (autonomous) from t0 to t1, recording every accepted step.
        public func integrate(
            _ y0: [Double], from t0: Double = 0, to t1: Double,
            initialStep: Double = 1e-3,
            f: ([Double]) -> [Double]
        ) -> Result {
            let n = y0.count
            var y = y0, t = t0, h = min(initialStep, t1 - t0)
            var k1 = f(y)
            var samples = [Sample(t: t, y: y, errorEstimate: [Double](repeating: 0, count: n))]
            var accepted = 0, rejected = 0
            func axpy(_ terms: [(Double, [Double])]) -> [Double] {
                var out = y
                for i in 0..<n {
                    var s = 0.0
                    for (c, k) in terms { s += c * k[i] }
                    out[i] += h * s
                }
                return out
            }
            while t < t1 && accepted + rejected < maxSteps {
                if t + h > t1 { h = t1 - t }
                let k2 = f(axpy([(Self.a21, k1)]))
                let k3 = f(axpy([(Self.a31, k1), (Self.a32, k2)]))
                let k4 = f(axpy([(Self.a41, k1), (Self.a42, k2), (Self.a43, k3)]))
                let k5 = f(axpy([(Self.a51, k1), (Self.a52, k2), (Self.a53, k3), (Self.a54, k4)]))
                let k6 = f(axpy([(Self.a61, k1), (Self.a62, k2), (Self.a63, k3), (Self.a64, k4), (Self.a65, k5)]))
                let y5 = axpy([(Self.b1, k1), (Self.b3, k3), (Self.b4, k4), (Self.b5, k5), (Self.b6, k6)])
                let k7 = f(y5)
                var err = 0.0
                var estimate = [Double](repeating: 0, count: n)
                for i in 0..<n {
                    let e =
                        h
                        * (Self.e1 * k1[i] + Self.e3 * k3[i] + Self.e4 * k4[i] + Self.e5 * k5[i]
                            + Self.e6 * k6[i] + Self.e7 * k7[i])
                    estimate[i] = abs(e)
                    let scale = absoluteTolerance + relativeTolerance * max(abs(y[i]), abs(y5[i]))
                    err = max(err, abs(e) / scale)
                }
                if err <= 1 {
                    t += h
                    y = y5
                    k1 = k7
                    accepted += 1
                    samples.append(Sample(t: t, y: y, errorEstimate: estimate))
                } else {
                    rejected += 1
                }
                // 0.9·err^(−1/5) clipped to [0.2, 5]; the clip points are err = (0.9/5)⁵ and (0.9/0.2)⁵.
                let factor = err <= 1.889568e-4 ? 5 : (err >= 1845.28125 ? 0.2 : 0.9 * Self.fifthRootReciprocal(err))
                h *= factor
            }
            return Result(samples: samples, accepted: accepted, rejected: rejected)
        }

        /// err^(−1/5) by Newton's iteration on x⁵ = 1/err (basic operations only; ≈ 1e−12 relative).
        static func fifthRootReciprocal(_ err: Double) -> Double {
            let target = 1 / err
            var x = 1.0
            for _ in 0..<100 {
                let x4 = (x * x) * (x * x)
                let next = x - (x4 * x - target) / (5 * x4)
                if abs(next - x) <= 1e-14 * x { return next }
                x = next
            }
            return x
        }
    }

    /// The CTGD vector field of eqs. (20)–(21), unit learning rate.
    @inlinable
    public static func ctgdField(a: Double, b: Double, c: Double) -> (da: Double, db: Double) {
        let r = c - a * b
        return (2 * b * r, 2 * a * r)
    }

    /// A CTGD trajectory of eq. (10) from (a₀, b₀), up to time T (Prop. 8).
    public static func ctgd(
        a0: Double, b0: Double, c: Double, until T: Double,
        integrator: DormandPrince = DormandPrince()
    ) -> DormandPrince.Result {
        integrator.integrate([a0, b0], to: T, initialStep: 1e-3) { y in
            let (da, db) = ctgdField(a: y[0], b: y[1], c: c)
            return [da, db]
        }
    }

    /// The point of S_c = {(a, c/a)} with a² − b² = L (Prop. 8's limit): a² = (L + √(L² + 4c²))/2, b = c/a.
    public static func ctgdLimit(a0: Double, b0: Double, c: Double) -> (a: Double, b: Double) {
        let L = imbalance(a: a0, b: b0)
        let root = (L * L + 4 * c * c).squareRoot()
        // Stable for either sign of L: a² = (L + root)/2 = 2c²/(root − L).
        let a2 = L >= 0 ? (L + root) / 2 : (2 * c * c) / (root - L)
        let a = a2.squareRoot()
        return (a, c / a)
    }

    /// A first-order bound on |L(yₙ) − L(y₀)| along a DOPRI trajectory: each accepted step changes L by
    /// at most 2|a|δa + 2|b|δb + δa² + δb² beyond the exact flow (δ the step's local error, taken as its
    /// embedded estimate, an upper estimate under local extrapolation), plus the rounding of a² − b²
    /// (≤ 2u(a² + b²), u = 2⁻⁵³) at both ends. Returned per sample, cumulative.
    public static func invariantErrorBounds(_ result: DormandPrince.Result) -> [Double] {
        let u = 0x1p-53
        var total = 0.0
        var out: [Double] = []
        let y0 = result.samples[0].y
        let start = 2 * u * (y0[0] * y0[0] + y0[1] * y0[1])
        for s in result.samples {
            let (a, b) = (s.y[0], s.y[1]), (da, db) = (s.errorEstimate[0], s.errorEstimate[1])
            total += 2 * abs(a) * da + 2 * abs(b) * db + da * da + db * db
            out.append(total + start + 2 * u * (a * a + b * b))
        }
        return out
    }
}
