import Reference

/// App. B.10: what the estimators of eq. (23) and eq. (24) claim, decided exactly — the batch estimator is the
/// population SDR of Model 1 on any batch of latent draws, and the strided estimate is the batch SDR of the
/// up-sampled activations (on the up-sampled grid; the printed native grid is another quantity).
enum EstimatorClaims: ClaimSection {
    static let title = "Estimators (App. B.10, eq. 23–24), exactly"
    /// The section's one list: a reading is registered by being here.
    static var readings: [ClaimReading] { batchModel1 + stridedGrids }

    // MARK: eq23

    struct LatentBatch: Sendable, JSONRenderable {
        let k1: RationalImage, k2: RationalImage, pixels: [Int]
        var json: JSONValue {
            .object(["k1": k1.json, "k2": k2.json, "latentPixels": .array(pixels.map(JSONValue.int))])
        }
    }

    /// Model 1 in 1D and 2D, and B ≥ 2 draws of its one-hot latent Z (the pixels, repeats allowed).
    static var latentBatch: Gen<LatentBatch> {
        Gen.zip(Gen.int(in: 1...7), Gen.int(in: 2...7), Gen.int(in: 2...6)).flatMap { rows, columns, batch in
            Gen.zip(
                Domain.kernel2D(rows: rows, columns: columns), Domain.kernel2D(rows: rows, columns: columns),
                Gen.array(of: Gen.int(in: 0...(rows * columns - 1)), count: batch...batch)
            )
            .map { LatentBatch(k1: $0.0, k2: $0.1, pixels: $0.2) }
        }
    }

    /// The samples V = k₁ ⊛ Z of a batch of latent draws: circular shifts of k₁.
    static func samples(_ c: LatentBatch) throws -> [RationalImage] {
        try c.pixels.map { p in
            var z = [Rational](repeating: .zero, count: c.k1.count)
            z[p] = .one
            return try Signals.circularConvolution(
                c.k1, try RationalImage(rows: c.k1.rows, columns: c.k1.columns, values: z))
        }
    }

    static var batchModel1: [ClaimReading] {
        [
            .property(
                id: "eq23", reading: "model1-exact",
                statement:
                    "Under Model 1 (V = k₁ ⊛ Z, Z one-hot), the batch estimator of eq. (23) on any B ≥ 2 draws of Z "
                    + "equals ρ(k₁, k₂) of eq. (8) exactly: |v̂ᵏ|² = |k̂₁|²|ẑᵏ|² = |k̂₁|², so the batch averages are "
                    + "the population ones.",
                expected: .holds, cases: 200, gen: latentBatch, render: { $0.json },
                classify: { c in
                    [
                        .nonTrivial(
                            c.k1.count >= 5 && c.pixels.count >= 2 && Set(c.pixels).count >= 2
                                && !Bites.isFlat(c.k1) && !Bites.isFlat(c.k2)), .parameter("batch", c.pixels.count),
                    ]
                },
                nonTrivialShare: 0.3,
                check: { c in
                    let population = try GenericityClaims.definedOrDiscarded { () throws(ReferenceError) in
                        try SpectralDensityRatio.ratio(c.k1, c.k2)
                    }
                    let (a, b) = (c.k2, try samples(c))
                    let estimate = try GenericityClaims.definedOrDiscarded { () throws(ReferenceError) in
                        try SpectralDensityRatio.batch(kernel: a, samples: b)
                    }
                    return estimate == population
                })
        ]
    }

    // MARK: eq24

    struct LayerPair: Sendable, JSONRenderable {
        let filter: RationalImage, maps: [RationalImage], stride: Int
        var json: JSONValue { .object(["filter": filter.json, "stride": .int(stride), "maps": maps.json]) }
    }

    /// An n×n filter (n = s·m) and B maps of m×m, 1 ≤ m ≤ 4, 2 ≤ s ≤ 3.
    static var layerPair: Gen<LayerPair> {
        Gen.zip(Gen.int(in: 1...4), Gen.int(in: 2...3), Gen.int(in: 1...3)).flatMap { m, s, b in
            Gen.zip(
                Domain.kernel2D(rows: m * s, columns: m * s),
                Gen.array(of: Domain.kernel2D(rows: m, columns: m), count: b...b)
            )
            .map { LayerPair(filter: $0.0, maps: $0.1, stride: s) }
        }
    }

    /// (strided estimate of eq. 24 on `grid`, eq. 23 on the filter and the up-sampled maps x↑s).
    static func stridedAndBatch(_ c: LayerPair, grid: ActivationGrid) throws -> (strided: Rational, batch: Rational) {
        try GenericityClaims.definedOrDiscarded { () throws(ReferenceError) in
            let up = try c.maps.map { m throws(ReferenceError) in try Signals.upsampled(m, by: c.stride) }
            return (
                try SpectralDensityRatio.strided(
                    filter: c.filter, samples: c.maps, stride: c.stride,
                    activationGrid: grid),
                try SpectralDensityRatio.batch(kernel: c.filter, samples: up)
            )
        }
    }

    static let layerBites: @Sendable (LayerPair) -> [CoverageLabel] = { c in
        [
            .nonTrivial(
                c.maps[0].count >= 4 && c.maps.allSatisfy { Bites.support($0.values) >= 2 }
                    && Bites.support(c.filter.values) >= 2)
        ]
    }

    static var stridedGrids: [ClaimReading] {
        [
            .property(
                id: "eq24", reading: "printed-exact",
                statement:
                    "As printed (activation power averaged on the native n/s grid), eq. (24) is the SDR of the layer: "
                    + "it equals eq. (23) on the filter and the up-sampled maps x_i↑s, exactly.",
                expected: .refuted, cases: 200, gen: layerPair, render: { $0.json },
                classify: layerBites, nonTrivialShare: 0.3,
                sides: { c in
                    let r = try stridedAndBatch(c, grid: .native)
                    return [
                        ClaimReading.Side("eq. (24) as printed (native grid)", r.strided),
                        ClaimReading.Side("eq. (23) on (f, x_i↑s)", r.batch),
                    ]
                },
                check: { c in
                    let r = try stridedAndBatch(c, grid: .native); return r.strided == r.batch
                }),
            .property(
                id: "eq24", reading: "upsampled-grid-exact",
                statement:
                    "With the activation power averaged on the up-sampled n×n grid, eq. (24) equals eq. (23) on the "
                    + "filter and the up-sampled maps x_i↑s, exactly (the DFT of x↑s at u is x̂(u mod n/s)).",
                expected: .holds, cases: 200, gen: layerPair, render: { $0.json },
                classify: layerBites, nonTrivialShare: 0.15,
                check: { c in
                    let r = try stridedAndBatch(c, grid: .upsampled); return r.strided == r.batch
                }),
        ]
    }
}
