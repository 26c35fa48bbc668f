import Fast
import Reference

extension SwiftEstimator {
    /// The Fast mirror's own estimators (`SDREstimators`: eqs. 8, 23, 24; the companion scores in Double) as an
    /// in-process estimator, so `oracle fuzz --builtin fast` fuzzes them exactly as it fuzzes an external program,
    /// under the request's averaging and grid. A Fast error (zero kernel, no power) is an `.error` answer, which the
    /// fuzzer expects exactly where ρ is undefined.
    public static var fast: SwiftEstimator {
        SwiftEstimator(
            name: "fast (Sources/Fast SDREstimators)",
            conventional: { input, convention in
                let (averaging, grid) = (convention.averaging, convention.grid)
                func doubles(_ image: RationalImage) -> [Double] { image.values.map(\.doubleValue) }
                func shape(_ image: RationalImage) -> [Int] { [image.rows, image.columns] }
                switch input {
                case let .sdr1d(k1, k2):
                    return [
                        try SDREstimators.population(
                            doubles(k1), doubles(k2), shape: [k1.columns], averaging: averaging)
                    ]
                case let .sdr2d(k1, k2):
                    return [
                        try SDREstimators.population(doubles(k1), doubles(k2), shape: shape(k1), averaging: averaging)
                    ]
                case let .batch(kernel, samples):
                    return [
                        try SDREstimators.batch(
                            kernel: doubles(kernel), kernelShape: shape(kernel),
                            samples: samples.flatMap(doubles), sampleShape: [samples.count] + shape(kernel),
                            averaging: averaging)
                    ]
                case let .strided(filter, samples, stride):
                    let small = [filter.rows / stride, filter.columns / stride]
                    return [
                        try SDREstimators.strided(
                            kernel: doubles(filter), kernelShape: shape(filter),
                            activations: samples.flatMap(doubles), activationShape: [samples.count] + small,
                            stride: stride, map: shape(filter), averaging: averaging, grid: grid
                        ).ratio
                    ]
                case let .layer(layer):
                    let (h, m) = (layer.filters[0], layer.maps[0])
                    let result = try SDREstimators.layer(
                        weights: layer.filters.flatMap(doubles),
                        weightShape: [layer.outChannels, layer.inChannels, h.rows, h.columns],
                        activations: layer.maps.flatMap(doubles),
                        activationShape: [layer.batch, layer.inChannels, m.rows, m.columns],
                        stride: layer.stride, averaging: averaging, grid: grid
                    )
                    // The protocol answers a layer with an undefined pair by an error (Fast marks the pair NaN).
                    if let pair = result.undefined.first { throw FastError.undefined(pair.reason) }
                    return result.sdr
                case .icScores, .cageScores:
                    // The printed formulas in Double (`CompanionConditioning.evaluate`); a zero σ_i, U_{I_m} or ‖w‖
                    // is undefined.
                    let (scores, divisors) = CompanionConditioning.evaluate(input)
                    guard !scores.isEmpty, divisors.allSatisfy({ $0.value > 0 }) else {
                        throw ReferenceError.undefined("a zero standard deviation, intervention magnitude or normal")
                    }
                    return scores.map(\.value)
                }
            })
    }
}
