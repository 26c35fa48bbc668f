/// The exact values of the SDR estimators of App. B.10 for rational inputs — the targets the Double
/// estimators (Fast) and external estimators (`oracle fuzz`) are compared with.
extension SpectralDensityRatio {
    /// The batch estimator of eq. (23): ⟨(1/B) Σ_k |k̂ ⊙ v̂ᵏ|²⟩ / (⟨(1/B) Σ_k |v̂ᵏ|²⟩ ⟨|k̂|²⟩), samples of the kernel's
    /// shape.
    public static func batch(
        kernel: RationalImage, samples: [RationalImage],
        averaging: FrequencyAveraging = .nonZero
    ) throws(ReferenceError) -> Rational {
        guard !samples.isEmpty else { throw .shapeMismatch("an empty batch: eq. (23) needs B ≥ 1 samples") }
        var joint = Rational.zero, samplePower = Rational.zero, kernelPower = Rational.zero
        for v in samples {
            guard !v.isZero else {
                // A zero sample contributes nothing to either average.
                guard v.rows == kernel.rows, v.columns == kernel.columns else {
                    throw .shapeMismatch(
                        "a \(v.rows)×\(v.columns) sample for a \(kernel.rows)×\(kernel.columns) kernel")
                }
                continue
            }
            let powers = try parts(kernel, v, averaging: averaging)
            joint += powers.jointPower
            samplePower += powers.secondPower
            kernelPower = powers.firstPower
        }
        guard !samplePower.isZero else {
            throw .undefined(
                "the batch has no power at the averaged frequencies (every sample zero, or constant with the zero "
                    + "frequency excluded)"
            )
        }
        let count = samples.count
        return try Parts(
            jointPower: joint.divided(byNonZero: count), firstPower: kernelPower,
            secondPower: samplePower.divided(byNonZero: count)
        ).ratio()
    }

    /// The strided estimator of eq. (24): filter f on an n×n (or 1×n) grid, activations x_i on the
    /// (n/s)-grid; x̂_i(su, sv) is the DFT of x_i↑s (App. B.10: up-sampling compresses the frequency axis).
    public static func strided(
        filter: RationalImage, samples: [RationalImage], stride s: Int,
        averaging: FrequencyAveraging = .nonZero,
        activationGrid: ActivationGrid = .upsampled
    ) throws(ReferenceError) -> Rational {
        guard s >= 1 else { throw .invalidArgument("the stride factor s must be at least 1, got \(s)") }
        guard !samples.isEmpty else { throw .shapeMismatch("an empty batch: eq. (24) needs B ≥ 1 activation maps") }
        guard filter.rows % s == 0 || filter.rows == 1, filter.columns % s == 0 else {
            throw .shapeMismatch("s = \(s) does not divide the \(filter.rows)×\(filter.columns) filter grid")
        }
        let rowFactor = filter.rows == 1 ? 1 : s
        var joint = Rational.zero, upsampledPower = Rational.zero, nativePower = Rational.zero,
            filterPower = Rational.zero
        // filterPower is set by the first non-zero map; when every map is zero the activation guard below throws.
        for x in samples {
            guard x.rows * rowFactor == filter.rows, x.columns * s == filter.columns else {
                throw .shapeMismatch(
                    "an activation map of \(x.rows)×\(x.columns) with s = \(s) for a \(filter.rows)×\(filter.columns) "
                        + "filter (needs \(filter.rows / rowFactor)×\(filter.columns / s))"
                )
            }
            if x.isZero { continue }
            let up = try Signals.upsampled(x, rowFactor: rowFactor, columnFactor: s)
            let powers = try parts(filter, up, averaging: averaging)
            joint += powers.jointPower
            upsampledPower += powers.secondPower
            filterPower = powers.firstPower
            nativePower += Model1.averagePower(x, averaging: averaging)
        }
        let activation = activationGrid == .upsampled ? upsampledPower : nativePower
        guard !activation.isZero else { throw .undefined("the activations have no power at the averaged frequencies") }
        let count = samples.count
        return try Parts(
            jointPower: joint.divided(byNonZero: count), firstPower: filterPower,
            secondPower: activation.divided(byNonZero: count)
        ).ratio()
    }
}
