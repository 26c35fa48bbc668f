import Fast
import Reference

extension SwiftEstimator {
    /// The Fast mirror's own estimators (`SDREstimators`: eqs. 8, 23, 24) as an in-process estimator, so
    /// `oracle fuzz --builtin fast` fuzzes them exactly as it fuzzes an external program. A Fast error
    /// (zero kernel, no power) is an `.error` answer, which the fuzzer expects exactly where ρ is undefined.
    public static var fast: SwiftEstimator {
        SwiftEstimator(name: "fast (Sources/Fast SDREstimators)", values: { input in
            func doubles(_ image: RationalImage) -> [Double] { image.values.map(\.doubleValue) }
            let shape = [input.first.rows, input.first.columns]
            switch input.task {
            case .sdr1d:
                return [try SDREstimators.population(doubles(input.first), doubles(input.second!), shape: [input.first.columns])]
            case .sdr2d:
                return [try SDREstimators.population(doubles(input.first), doubles(input.second!), shape: shape)]
            case .batch:
                return [try SDREstimators.batch(kernel: doubles(input.first), kernelShape: shape,
                                               samples: input.samples.flatMap(doubles), sampleShape: [input.samples.count] + shape)]
            case .strided:
                let small = [input.first.rows / input.stride, input.first.columns / input.stride]
                return [try SDREstimators.strided(kernel: doubles(input.first), kernelShape: shape,
                                                 activations: input.samples.flatMap(doubles), activationShape: [input.samples.count] + small,
                                                 stride: input.stride, map: shape).ratio]
            case .layer:
                let h = input.filters[0]
                let m = input.samples[0]
                return try SDREstimators.layer(weights: input.filters.flatMap(doubles), weightShape: [input.outChannels, input.inChannels, h.rows, h.columns],
                                               activations: input.samples.flatMap(doubles),
                                               activationShape: [input.samples.count / input.inChannels, input.inChannels, m.rows, m.columns],
                                               stride: input.stride).sdr
            }
        })
    }
}
