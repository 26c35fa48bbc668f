/// Eq. (24) for every (filter, activation channel) pair of a conv-transpose layer, exactly (Sec. 4, App. B.10): the
/// exact counterpart of Fast's layer analysis, for certifying a real layer (float weights and activations are
/// dyadic rationals).
extension SpectralDensityRatio {
    /// One pair's exact SDR, or why it is undefined.
    public typealias LayerEntry = Result<Rational, ReferenceError>

    /// ρ[o·Cin + c] of eq. (24) for filters W[o, c] (index o·Cin + c, each h×w, zero-padded at the origin to the output
    /// map n = s·m) and maps X[b, c] (index b·Cin + c, each m₀×m₁), equal to `strided(filter:samples:stride:…)` on
    /// each pair, computed once per channel and once per filter instead of once per pair and sample.
    ///
    /// Route, in integers (each filter and each channel's maps scaled by their least common denominator; ρ is
    /// invariant under either scale): up-sampling by s puts x's autocorrelation at the lags sσ, so
    /// Σ_b Σ_u |F̂(u)|²|x̂_b↑(u)|² = N·Σ_σ r_F(sσ)·A_c(σ) with A_c = Σ_b r_{x_b} (per channel), r_F the filter's circular
    /// autocorrelation on the n-grid — its linear autocorrelation (an (2h−1)×(2w−1) grid, no wrap) folded mod n — and
    /// Parseval for the powers; without u = 0 the zero-frequency terms (ΣF)²·Σ_b(Σx_b)² and (Σx_b)² are subtracted.
    /// `progress` is called after each output channel with the number done.
    public static func layer(
        filters: [RationalImage], outChannels: Int, inChannels: Int, maps: [RationalImage], stride s: Int,
        averaging: FrequencyAveraging = .nonZero, activationGrid: ActivationGrid = .upsampled,
        progress: (Int) -> Void = { _ in }
    ) throws(ReferenceError) -> [LayerEntry] {
        guard s >= 1 else { throw .invalidArgument("the stride factor s must be at least 1, got \(s)") }
        guard outChannels >= 1, inChannels >= 1, filters.count == outChannels * inChannels else {
            throw .shapeMismatch("\(filters.count) filters for \(outChannels)×\(inChannels) channels")
        }
        guard !maps.isEmpty, maps.count % inChannels == 0 else {
            throw .shapeMismatch("\(maps.count) activation maps for \(inChannels) input channels (B·Cin needed)")
        }
        let (h, w) = (filters[0].rows, filters[0].columns), (m0, m1) = (maps[0].rows, maps[0].columns)
        guard filters.allSatisfy({ $0.rows == h && $0.columns == w }),
            maps.allSatisfy({ $0.rows == m0 && $0.columns == m1 })
        else { throw .shapeMismatch("the filters (or the maps) of a layer must share one shape") }
        guard m0 <= Int.max / s, m1 <= Int.max / s, (s * m0).multipliedReportingOverflow(by: s * m1).overflow == false
        else { throw .invalidArgument("a stride of \(s) on \(m0)×\(m1) maps gives an output map too large to index") }
        let (n0, n1) = (s * m0, s * m1)
        guard h <= n0, w <= n1 else {
            throw .shapeMismatch("a \(h)×\(w) filter is larger than the \(n0)×\(n1) output map")
        }
        let batch = maps.count / inChannels, bigN = n0 * n1, bigM = m0 * m1
        let nonZero = averaging == .nonZero
        let averaged = nonZero ? bigN - 1 : bigN, averagedNative = nonZero ? bigM - 1 : bigM

        // Per channel: A_c(σ) = Σ_b r_{x_b}(σ) and Σ_b (Σx_b)², of the maps scaled to integers.
        var channelSums: [(a: [BigInt], zero: BigInt)] = []
        for c in 0..<inChannels {
            let channel = (0..<batch).map { maps[$0 * inChannels + c] }
            let integers = integerMultiple(channel).values
            var a = [BigInt](repeating: BigInt(0), count: bigM), zero = BigInt(0)
            for x in integers {
                let r = try IntegerAutocorrelation(x, rows: m0, columns: m1)
                for k in 0..<bigM { a[k] += r[k] }
                let total = x.reduce(BigInt(0), +)
                zero.addProduct(total, total)
            }
            channelSums.append((a, zero))
        }

        var out: [LayerEntry] = []
        out.reserveCapacity(filters.count)
        let (l0, l1) = (2 * h - 1, 2 * w - 1)
        for o in 0..<outChannels {
            for c in 0..<inChannels {
                let f = integerMultiple([filters[o * inChannels + c]]).values[0]
                // The linear autocorrelation on a grid where no lag wraps, folded onto the n-grid at the lags sσ.
                var padded = [BigInt](repeating: BigInt(0), count: l0 * l1)
                for i in 0..<h { for j in 0..<w { padded[i * l1 + j] = f[i * w + j] } }
                let linear = try IntegerAutocorrelation(padded, rows: l0, columns: l1)
                var joint = BigInt(0)
                let sums = channelSums[c]
                for a in 0..<l0 {
                    // Lag a (or a − l0 when negative) on the n-grid; only multiples of s meet the up-sampled maps.
                    let lag0 = ((a < h ? a : a - l0) % n0 + n0) % n0
                    guard lag0 % s == 0 else { continue }
                    for b in 0..<l1 {
                        let lag1 = ((b < w ? b : b - l1) % n1 + n1) % n1
                        guard lag1 % s == 0 else { continue }
                        let value = linear[a * l1 + b]
                        if value.isZero { continue }
                        joint.addProduct(value, sums.a[(lag0 / s) * m1 + lag1 / s])
                    }
                }
                let filterTotal = f.reduce(BigInt(0), +), filterEnergy = linear[0]
                joint = joint * BigInt(bigN)
                var filterPower = BigInt(bigN) * filterEnergy
                let energy = sums.a[0]
                var upsampled = BigInt(bigN) * energy, native = BigInt(bigM) * energy
                if nonZero {
                    let filterZero = filterTotal * filterTotal
                    joint -= filterZero * sums.zero
                    filterPower -= filterZero
                    upsampled -= sums.zero
                    native -= sums.zero
                }
                let activation = activationGrid == .upsampled ? upsampled : native
                let activationCount = activationGrid == .upsampled ? averaged : averagedNative
                guard !filterPower.isZero, !activation.isZero, activationCount > 0 else {
                    out.append(
                        .failure(
                            .undefined(
                                filterPower.isZero
                                    ? "filter (\(o), \(c)) has no power at the averaged frequencies"
                                    : "activation channel \(c) has no power at the averaged frequencies")))
                    continue
                }
                // ρ = (J/(B·U)) / ((P_F/U)·(P_X/(B·U_X))) = J·U_X/(P_F·P_X), U and U_X the averaged frequency counts
                // of the n-grid and of the activations' grid; the scales cancel (the maps' between J and P_X, the
                // filter's between J and P_F).
                do {
                    out.append(.success(try Rational(joint * BigInt(activationCount), filterPower * activation)))
                } catch {
                    out.append(.failure(error))
                }
            }
            progress(o + 1)
        }
        return out
    }

    /// (K, L) for several images sharing one scale: k = K/L, K integer, L the least common denominator of all.
    static func integerMultiple(_ images: [RationalImage]) -> (values: [[BigInt]], scale: BigInt) {
        let scale = images.reduce(BigInt(1)) { s, image in
            image.values.reduce(s) { $1.isInteger ? $0 : BigInt.lcm($0, $1.denominator) }
        }
        let values = images.map { image in
            image.values.map {
                scale == 1 ? $0.numerator : $0.numerator * (try! scale.exactlyDivided(by: $0.denominator))
            }
        }
        return (values, scale)
    }
}
