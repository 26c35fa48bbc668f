import Reference

/// 002 (*On the interventional consistency of autoencoders*): the INV, EQV and SCN scores, the losses
/// of Alg. 1–2, hybrid sampling and traversals on exact response maps (Sources/Reference/Companions),
/// and the printed tables (`ICClaims+Tables.swift`). Ids `ic.*` of claims/CLAIMS-companions.md.
enum ICClaims: ClaimSection {
    static let title = "Companion 002: interventional consistency (ic.*)"
    /// The section's one list: a reading is registered by being here.
    static var readings: [ClaimReading] {
        invDef + invPerfect + invDiag + eqvDef + eqvConstant + scn + eqvImpliesInv + loss + hybrid + traversal
            + table1 + table2 + a42 + table4
    }

    // MARK: Generators

    static func integer(_ magnitude: Int) -> Gen<Rational> { Domain.integer(magnitude: magnitude).map { Rational($0) } }

    static func vector(_ n: Int, _ entry: Gen<Rational> = integer(2)) -> Gen<[Rational]> {
        Gen.array(of: entry, count: n...n)
    }

    /// How the generated response matrices A and Q are shaped.
    enum MapShape: Sendable { case general, diagonal, collapsed, constant, identityOrGeneral }

    /// A response map R(n) = A n + Q (n ⊙ n) + b on n = 2…3 dimensions (Q = 0 for half the maps): a prior of
    /// 2…4 samples whose first two differ in every coordinate (so U_{I_m} with index m and the prior's σ never
    /// vanish), a lower-triangular XBlock, 1–2 intervention values per dimension. Small integers first.
    static func responseMap(_ shape: MapShape = .general, dimensions: ClosedRange<Int> = 2...3) -> Gen<ResponseMap> {
        Gen.int(in: dimensions).flatMap { n in
            let rows = Gen.array(of: vector(n), count: n...n)
            let prior = Gen.zip(
                vector(n), vector(n, Domain.nonZeroRational(numerator: 2, denominator: 1)),
                Gen.array(of: vector(n), count: 0...2))
            let values = Gen.array(of: Gen.array(of: integer(3), count: 1...2), count: n...n)
            let zero = [[Rational]](repeating: [Rational](repeating: .zero, count: n), count: n)
            return Gen.zip(
                Gen.zip(rows, vector(n)), prior, Gen.zip(rows, values),
                Gen.zip(Gen.int(in: 0...(n - 1)), Gen.bool, Gen.bool, rows)
            )
            .map { ab, p, lv, pick in
                var (a, b) = ab
                var q = pick.2 ? pick.3 : zero
                switch shape {
                case .general: break
                case .diagonal:
                    a = (0..<n).map { i in (0..<n).map { $0 == i ? a[i][i] : .zero } }
                    q = (0..<n).map { i in (0..<n).map { $0 == i ? q[i][i] : .zero } }
                case .collapsed:
                    a[pick.0] = zero[0]
                    q[pick.0] = zero[0]
                case .constant: (a, q) = (zero, zero)
                case .identityOrGeneral:
                    if pick.1 { (a, q, b) = (RationalMatrix.identity(n), zero, b.map { _ in .zero }) }
                }
                let block = (0..<n).map { i in (0..<n).map { j in j <= i ? lv.0[i][j] : Rational.zero } }
                let samples = [p.0, zip(p.0, p.1).map { $0.0 + $0.1 }] + p.2
                return try ResponseMap(
                    matrix: a, quadratic: q, offset: b, prior: samples, xblock: block, interventionValues: lv.1)
            }
        }
    }

    /// The first collapsed response dimension (rows of A and Q zero: R_k ≡ b_k).
    static func collapsedRow(_ r: ResponseMap) -> Int? { (0..<r.dimension).first { r.isCollapsed($0) } }

    /// A score bites on a map other than the identity (some score can fall below 1).
    static let nonIdentity: @Sendable (ResponseMap) -> [CoverageLabel] = { r in
        [.nonTrivial(r.matrix != RationalMatrix.identity(r.dimension) && r.prior.count >= 2)]
    }

    // MARK: Score checks

    /// N̂′_i = Ñ′_i on every prior sample and every intervention value of 𝕀_m.
    static func unregistered(_ r: ResponseMap, m: Int, i: Int) throws -> Bool {
        for n in r.prior {
            for v in r.interventionValues[m] where try r.respond(n)[i] != r.respond(ResponseMap.intervene(n, m, v))[i] {
                return false
            }
        }
        return true
    }

    /// Ž′_i = Z̃′_i on every prior sample and every intervention value of 𝕀_m.
    static func equivariantAt(_ r: ResponseMap, m: Int, i: Int) throws -> Bool {
        for n in r.prior {
            for v in r.interventionValues[m] {
                let intervened = r.causes(ResponseMap.intervene(try r.respond(n), m, v))[i]
                if intervened != r.causes(try r.respond(ResponseMap.intervene(n, m, v)))[i] { return false }
            }
        }
        return true
    }

    /// Eq. (5): every INV[m,i] is defined, and INV[m,i] = 1 exactly when dimension i does not register 𝕀_m.
    static func invarianceIsFaithful(_ r: ResponseMap, index: ResponseMap.UIndex, sigma: ResponseMap.Sigma) throws
        -> Bool
    {
        for m in 0..<r.dimension {
            for i in 0..<r.dimension {
                guard let score = try? r.invariance(m: m, i: i, index: index, sigma: sigma) else { return false }
                guard score.isPerfect == (try unregistered(r, m: m, i: i)), score.isAtLeast(.one) == score.isPerfect
                else { return false }
            }
        }
        return true
    }

    /// Off-diagonal INV[m,i] = 1 for a map that registers no intervention off the diagonal.
    static func perfectOffDiagonal(_ r: ResponseMap, index: ResponseMap.UIndex, sigma: ResponseMap.Sigma) -> Bool {
        for m in 0..<r.dimension {
            for i in 0..<r.dimension where i != m {
                guard let score = try? r.invariance(m: m, i: i, index: index, sigma: sigma), score.isPerfect else {
                    return false
                }
            }
        }
        return true
    }

    static func render(_ r: ResponseMap) -> JSONValue {
        .object([
            "n": .int(r.dimension), "A": .array(r.matrix.map(\.json)), "Q": .array(r.quadratic.map(\.json)),
            "b": r.offset.json,
            "prior": .array(r.prior.map(\.json)), "L": .array(r.xblock.map(\.json)),
            "values": .array(r.interventionValues.map(\.json)),
        ])
    }

    // MARK: ic.inv.def — §2.1, eq. (5)

    static var invDef: [ClaimReading] {
        let statement =
            ": every INV[m,i] = 1 − E_{I_m}[(1/(U σ_i)) E_N‖(N̂′ − Ñ′)_i‖] is defined, and INV[m,i] = 1 exactly when "
            + "dimension i of the response does not register the intervention N_m ← v."
        return [
            .property(
                id: "ic.inv.def", reading: "printed",
                statement: "With U_{I_m} = E_N‖(N − Ñ_{I_m})_i‖ (index i, as printed) and σ_i the response's"
                    + statement,
                expected: .refuted, gen: responseMap(), render: render, classify: nonIdentity, nonTrivialShare: 0.5,
                relation: "≠", sides: { printedIndexSides($0) },
                check: { try invarianceIsFaithful($0, index: .printed, sigma: .response) }),
            .property(
                id: "ic.inv.def", reading: "printed-m",
                statement: "With U_{I_m} = E_N|N_m − v| (the intervened index m) and σ_i the response's" + statement,
                expected: .refuted, gen: responseMap(), render: render, classify: nonIdentity, nonTrivialShare: 0.5,
                relation: "≠", sides: responseSigmaSides,
                check: { try invarianceIsFaithful($0, index: .intervened, sigma: .response) }),
            .property(
                id: "ic.inv.def", reading: "prior-sigma",
                statement:
                    "Corrected: with U_{I_m} = E_N|N_m − v| and σ_i the prior's standard deviation (both positive "
                    + "on a prior whose samples differ in every coordinate)" + statement,
                expected: .holds, gen: responseMap(), render: render, classify: nonIdentity, nonTrivialShare: 0.5,
                check: { try invarianceIsFaithful($0, index: .intervened, sigma: .prior) }),
        ]
    }

    // MARK: ic.inv.perfect — §2.1

    /// A product prior on n = 2 (every pair of two marginal value sets) with 𝕀_m drawn from the prior's
    /// marginal of m: every response map is then invariant in distribution (App. A.2, eq. 11).
    static var productPriorMap: Gen<ResponseMap> {
        let values = Gen.zip(integer(2), Domain.nonZeroRational(numerator: 2, denominator: 1)).map {
            [$0.0, $0.0 + $0.1]
        }
        return Gen.zip(Gen.array(of: vector(2), count: 2...2), vector(2), values, values).map { a, b, x, y in
            let prior = x.flatMap { u in y.map { [u, $0] } }
            return try ResponseMap(matrix: a, offset: b, prior: prior, interventionValues: [x, y])
        }
    }

    /// Eq. (11): P(N̂′)_i = P(Ñ′)_i for every i ≠ m (as finite distributions).
    static func invariantInDistribution(_ r: ResponseMap, m: Int) throws -> Bool {
        try (0..<r.dimension).allSatisfy { i in
            try i == m || responseLaw(r, m: m, i: i, intervened: false) == responseLaw(r, m: m, i: i, intervened: true)
        }
    }

    static var invPerfect: [ClaimReading] {
        let premise = "A perfectly invariant response map (no dimension i ≠ m registers N_m ← v: A, Q diagonal) "
        return [
            .property(
                id: "ic.inv.perfect", reading: "printed",
                statement: premise + "scores INV[m,i] = 1 off the diagonal, U_{I_m} read at index i as printed.",
                expected: .refuted, gen: responseMap(.diagonal), render: render,
                relation: "≠", sides: { printedIndexSides($0) },
                check: { perfectOffDiagonal($0, index: .printed, sigma: .response) }),
            .property(
                id: "ic.inv.perfect", reading: "printed-m",
                statement: premise + "scores INV[m,i] = 1 off the diagonal, U at index m, σ_i the response's.",
                expected: .refuted, gen: responseMap(.diagonal), render: render,
                relation: "≠", sides: responseSigmaSides,
                check: { perfectOffDiagonal($0, index: .intervened, sigma: .response) }),
            .property(
                id: "ic.inv.perfect", reading: "prior-sigma",
                statement: "Corrected: " + premise
                    + "scores INV[m,i] = 1 off the diagonal, U at index m, σ_i the prior's.",
                expected: .holds, gen: responseMap(.diagonal), render: render,
                classify: { r in [.nonTrivial(r.dimension >= 2 && r.matrix.joined().contains { !$0.isZero })] },
                nonTrivialShare: 0.5,
                check: { perfectOffDiagonal($0, index: .intervened, sigma: .prior) }),
            .property(
                id: "ic.inv.perfect", reading: "distributional",
                statement:
                    "A response map invariant in distribution (eq. 11: P(N̂′)_i = P(Ñ′)_i for i ≠ m) scores INV[m,i] "
                    + "= 1 off the diagonal (U at m, prior σ); product prior, 𝕀_m from the prior's marginal.",
                expected: .refuted, gen: productPriorMap, render: render,
                sides: offDiagonalErrorSides,
                check: { r in
                    for m in 0..<2 where try !invariantInDistribution(r, m: m) { return true }
                    return perfectOffDiagonal(r, index: .intervened, sigma: .prior)
                }),
        ]
    }

    // MARK: ic.inv.diag — §2.1

    /// INV[i,i] = 1 ⟹ the intervention on i changes no dimension of the response (or only dimension i).
    static func diagonalReading(_ r: ResponseMap, sigma: ResponseMap.Sigma, wholeResponse: Bool) throws -> Bool {
        for i in 0..<r.dimension {
            guard let score = try? r.invariance(m: i, i: i, index: .intervened, sigma: sigma) else { return false }
            let unchanged =
                wholeResponse
                ? try (0..<r.dimension).allSatisfy { try unregistered(r, m: i, i: $0) }
                : try unregistered(r, m: i, i: i)
            if wholeResponse ? (score.isPerfect && !unchanged) : (score.isPerfect != unchanged) { return false }
        }
        return true
    }

    static var invDiag: [ClaimReading] {
        let bites: @Sendable (ResponseMap) -> [CoverageLabel] = { r in
            [.nonTrivial((0..<r.dimension).contains { r.matrix[$0][$0].isZero && r.quadratic[$0][$0].isZero })]
        }
        return [
            .property(
                id: "ic.inv.diag", reading: "printed",
                statement:
                    "INV[i,i] (σ_i the response's) is defined, and INV[i,i] = 1 implies that interventions on i are "
                    + "not registered in the response (no response dimension changes).",
                expected: .refuted, gen: responseMap(), render: render,
                relation: "≠", sides: responseSigmaSides,
                check: {
                    try diagonalReading($0, sigma: .response, wholeResponse: true)
                }),
            .property(
                id: "ic.inv.diag", reading: "printed-prior-sigma",
                statement:
                    "INV[i,i] with σ_i the prior's: INV[i,i] = 1 implies that interventions on i are not registered in "
                    + "the response (no response dimension changes).",
                expected: .refuted, gen: responseMap(), render: render,
                relation: "⟹", sides: diagonalSides,
                check: {
                    try diagonalReading($0, sigma: .prior, wholeResponse: true)
                }),
            .property(
                id: "ic.inv.diag", reading: "dimension-i",
                statement:
                    "Corrected: with σ_i the prior's, INV[i,i] = 1 exactly when response dimension i does not register "
                    + "interventions on i (other dimensions may).",
                expected: .holds, gen: responseMap(), render: render, classify: bites, nonTrivialShare: 0.12,
                check: { try diagonalReading($0, sigma: .prior, wholeResponse: false) }),
        ]
    }

    // MARK: ic.eqv.def — §2.1

    /// Every EQV[m,i] is defined, and all are 1 exactly when Ž′ = Z̃′ on every sample and intervention.
    static func equivarianceIsFaithful(_ r: ResponseMap, index: ResponseMap.UIndex) throws -> Bool {
        var allPerfect = true, allEquivariant = true
        for m in 0..<r.dimension {
            for i in 0..<r.dimension {
                guard let score = try? r.equivariance(m: m, i: i, index: index) else { return false }
                let equivariant = try equivariantAt(r, m: m, i: i)
                if score.isPerfect != equivariant { return false }
                allPerfect = allPerfect && score.isPerfect
                allEquivariant = allEquivariant && equivariant
            }
        }
        return allPerfect == allEquivariant
    }

    static var eqvDef: [ClaimReading] {
        let statement =
            ": every EQV[m,i] = 1 − E_{I_m}[(1/U) E_N‖(Ž′ − Z̃′)_i‖] is defined, and all entries are 1 exactly when "
            + "the response map is equivariant (Ž′ = Z̃′ on every sample)."
        return [
            .property(
                id: "ic.eqv.def", reading: "printed", statement: "With U read at index i as printed" + statement,
                expected: .refuted, gen: responseMap(.identityOrGeneral), render: render,
                relation: "≠", sides: { printedIndexSides($0) },
                check: { try equivarianceIsFaithful($0, index: .printed) }),
            .property(
                id: "ic.eqv.def", reading: "printed-m", statement: "With U read at the intervened index m" + statement,
                expected: .holds, gen: responseMap(.identityOrGeneral), render: render,
                classify: { r in [.nonTrivial(r.matrix == RationalMatrix.identity(r.dimension))] },
                nonTrivialShare: 0.3,
                check: { try equivarianceIsFaithful($0, index: .intervened) }),
        ]
    }

    // MARK: ic.eqv.constant — §2.1

    static func allEquivariancePerfect(_ r: ResponseMap) -> Bool {
        (0..<r.dimension).allSatisfy { m in
            (0..<r.dimension).allSatisfy { i in (try? r.equivariance(m: m, i: i, index: .intervened))?.isPerfect == true
            }
        }
    }

    static var eqvConstant: [ClaimReading] {
        [
            .property(
                id: "ic.eqv.constant", reading: "printed",
                statement:
                    "A constant encoding map (R ≡ b) with the intervention values drawn from the aggregate posterior "
                    + "(the encodings R(N^k)_m = b_m) has every EQV[m,i] = 1 (U at index m).",
                expected: .holds, gen: responseMap(.constant).map { try $0.withAggregatePosteriorInterventions() },
                render: render, classify: { r in [.nonTrivial(r.xblock.joined().contains { !$0.isZero })] },
                nonTrivialShare: 0.5, check: allEquivariancePerfect),
            .property(
                id: "ic.eqv.constant", reading: "any-values",
                statement:
                    "A constant encoding map has every EQV[m,i] = 1 whatever the intervention values (the aggregate "
                    + "posterior clause dropped).",
                expected: .refuted, gen: responseMap(.constant), render: render, sides: equivarianceDeficitSides,
                check: allEquivariancePerfect),
        ]
    }

    // MARK: ic.scn — §2.1

    static func selfConsistencyIsFaithful(_ r: ResponseMap, sigma: ResponseMap.Sigma) throws -> Bool {
        for i in 0..<r.dimension {
            guard let score = try? r.selfConsistency(i, sigma: sigma) else { return false }
            let exact = try r.prior.allSatisfy { try r.respond($0)[i] == $0[i] }
            if score.isPerfect != exact { return false }
        }
        return true
    }

    static var scn: [ClaimReading] {
        let statement = ": SCN[i] = 1 − (1/σ_i) E_N‖(N̂′ − N)_i‖ is defined, and SCN[i] = 1 exactly when N̂′_i = N_i"
        return [
            .property(
                id: "ic.scn", reading: "printed",
                statement: "With σ_i the response's standard deviation" + statement + " on the prior.",
                expected: .refuted, gen: responseMap(.collapsed), render: render,
                relation: "≠", sides: responseSigmaSides,
                check: { try selfConsistencyIsFaithful($0, sigma: .response) }),
            .property(
                id: "ic.scn", reading: "prior-sigma",
                statement: "Corrected: with σ_i the prior's standard deviation" + statement + " on the prior.",
                expected: .holds, gen: responseMap(.identityOrGeneral), render: render, classify: nonIdentity,
                nonTrivialShare: 0.3, check: { try selfConsistencyIsFaithful($0, sigma: .prior) }),
            .property(
                id: "ic.scn", reading: "printed-only",
                statement:
                    "“Self-consistency is the only score relating the prior and the response space”: INV and EQV do "
                    + "not see where the response space sits — both are unchanged when R is translated to R + c.",
                expected: .refuted, gen: translatedMap, render: { $0.json }, sides: translationSides,
                check: { t in try translationInvariant(t, equivariance: true) }),
            .property(
                id: "ic.scn", reading: "inv-only",
                statement:
                    "Corrected: INV (U at m, prior σ) is unchanged by translations R → R + c of the response space; "
                    + "EQV compares the response with the intervention value v, so it relates the prior to the "
                    + "response too.",
                expected: .holds, gen: translatedMap, render: { $0.json },
                classify: { t in [.nonTrivial(t.shift.contains { !$0.isZero })] }, nonTrivialShare: 0.5,
                check: { t in try translationInvariant(t, equivariance: false) }),
        ]
    }

    /// A map and a translation c of its response space.
    struct Translated: Sendable, JSONRenderable {
        let map: ResponseMap
        let shift: [Rational]
        var translated: ResponseMap {
            get throws {
                try ResponseMap(
                    matrix: map.matrix, quadratic: map.quadratic, offset: zip(map.offset, shift).map { $0.0 + $0.1 },
                    prior: map.prior, xblock: map.xblock, interventionValues: map.interventionValues)
            }
        }
        var json: JSONValue {
            guard case var .object(members) = render(map) else { return render(map) }
            members.append(.init("c", shift.json))
            return .object(members)
        }
    }

    static var translatedMap: Gen<Translated> {
        responseMap().flatMap { r in vector(r.dimension).map { Translated(map: r, shift: $0) } }
    }

    /// Every INV[m,i] (and, when asked, every EQV[m,i]) of R + c equals that of R.
    static func translationInvariant(_ t: Translated, equivariance: Bool) throws -> Bool {
        let (r, s) = (t.map, try t.translated)
        for m in 0..<r.dimension {
            for i in 0..<r.dimension {
                let (a, b) = (
                    try r.invariance(m: m, i: i, index: .intervened, sigma: .prior),
                    try s.invariance(m: m, i: i, index: .intervened, sigma: .prior)
                )
                if a != b { return false }
                if equivariance,
                    try r.equivariance(m: m, i: i, index: .intervened)
                        != s.equivariance(m: m, i: i, index: .intervened)
                {
                    return false
                }
            }
        }
        return true
    }

    // MARK: ic.eqv-implies-inv — App. A.2, eqs. (11)–(12)

    /// The distribution of response dimension i over the prior sample (× 𝕀_m's values when intervened).
    static func responseLaw(_ r: ResponseMap, m: Int, i: Int, intervened: Bool) throws -> HybridSampling.Distribution {
        var values: [[Rational]] = []
        for n in r.prior {
            for v in r.interventionValues[m] {
                values.append([intervened ? try r.respond(ResponseMap.intervene(n, m, v))[i] : try r.respond(n)[i]])
            }
        }
        return try HybridSampling.empirical(values)
    }

    /// Eq. (12): P(Ñ′)_i = I∘P(N′)_i for every i, with I∘P(N′)_m the law of the intervention value.
    static func equivariantInDistribution(_ r: ResponseMap, m: Int) throws -> Bool {
        for i in 0..<r.dimension {
            let target =
                i == m
                ? try HybridSampling.empirical(r.prior.flatMap { _ in r.interventionValues[m].map { [$0] } })
                : try responseLaw(r, m: m, i: i, intervened: false)
            if try responseLaw(r, m: m, i: i, intervened: true) != target { return false }
        }
        return true
    }

    static var eqvImpliesInv: [ClaimReading] {
        let scores: @Sendable (ResponseMap) throws -> Bool = { r in
            guard allEquivariancePerfect(r) else { return true }
            return perfectOffDiagonal(r, index: .intervened, sigma: .prior)
        }
        // Half the maps get the zero XBlock (Z ≡ 0): every EQV is then 1, whatever the map does.
        let collapsedBlock = Gen.zip(responseMap(), Gen.bool).map { r, zero in
            guard zero else { return r }
            let zeros = [[Rational]](repeating: [Rational](repeating: .zero, count: r.dimension), count: r.dimension)
            return try ResponseMap(
                matrix: r.matrix, quadratic: r.quadratic, offset: r.offset, prior: r.prior, xblock: zeros,
                interventionValues: r.interventionValues)
        }
        return [
            .property(
                id: "ic.eqv-implies-inv", reading: "printed",
                statement:
                    "In distribution: equivariance (eq. 12, P(Ñ′)_i = I∘P(N′)_i for all i) implies invariance (eq. 11, "
                    + "P(N̂′)_i = P(Ñ′)_i for i ≠ m), for every m.",
                expected: .holds, gen: responseMap(.identityOrGeneral), render: render,
                classify: { r in
                    [.nonTrivial((0..<r.dimension).contains { (try? equivariantInDistribution(r, m: $0)) == true })]
                },
                nonTrivialShare: 0.15,
                check: { r in
                    try (0..<r.dimension).allSatisfy { m in
                        try !equivariantInDistribution(r, m: m) || invariantInDistribution(r, m: m)
                    }
                }),
            .property(
                id: "ic.eqv-implies-inv", reading: "scores",
                statement:
                    "On the scores: every EQV[m,i] = 1 implies every off-diagonal INV[m,i] = 1 (U at m, prior σ), for "
                    + "any XBlock.",
                expected: .refuted, gen: collapsedBlock, render: render, relation: "⟹",
                sides: { scoresImplicationSides($0) },
                check: scores),
            .property(
                id: "ic.eqv-implies-inv", reading: "injective-xblock",
                statement:
                    "Corrected: with an injective XBlock (every L_ii ≠ 0), every EQV[m,i] = 1 implies every "
                    + "off-diagonal INV[m,i] = 1.",
                expected: .holds, gen: responseMap(.identityOrGeneral), render: render,
                classify: { r in [.nonTrivial(allEquivariancePerfect(r))] }, nonTrivialShare: 0.2,
                check: { r in try !r.xblockIsInjective || scores(r) }),
        ]
    }

    // MARK: ic.loss — §2.1, App. A.2, Alg. 1–2

    /// L = 0 exactly when the property holds pointwise: invariance off m, equivariance on every i (eq. 12).
    static func lossIsFaithful(_ r: ResponseMap, allDimensions: Bool) throws -> Bool {
        let invariant = try (0..<r.dimension).allSatisfy { m in
            try (0..<r.dimension).allSatisfy { i in try i == m || unregistered(r, m: m, i: i) }
        }
        let equivariant = try (0..<r.dimension).allSatisfy { m in
            try (0..<r.dimension).allSatisfy { i in try equivariantAt(r, m: m, i: i) }
        }
        return try r.loss(equivariant: false, allDimensions: false).isZero == invariant
            && r.loss(equivariant: true, allDimensions: allDimensions).isZero == equivariant
    }

    static var loss: [ClaimReading] {
        let bites: @Sendable (ResponseMap) -> [CoverageLabel] = { r in
            [.nonTrivial(((try? r.loss(equivariant: true, allDimensions: false)) ?? .one).isZero)]
        }
        return [
            .property(
                id: "ic.loss", reading: "printed",
                statement:
                    "L_INV = 0 exactly when R is invariant and L_EQV = 0 (Alg. 2: Σ over i ≠ m) exactly when R is "
                    + "equivariant (eq. 12: every i), pointwise on the samples.",
                expected: .refuted, gen: responseMap(.diagonal), render: render,
                relation: "⟺", sides: lossSides,
                check: { try lossIsFaithful($0, allDimensions: false) }),
            .property(
                id: "ic.loss", reading: "all-dimensions",
                statement: "Corrected: with L_EQV summed over every i (m included), both losses vanish exactly when "
                    + "the property holds pointwise.",
                expected: .holds, gen: responseMap(.diagonal), render: render, classify: bites, nonTrivialShare: 0.1,
                check: { try lossIsFaithful($0, allDimensions: true) }),
        ]
    }
}
