import Reference

/// 002's printed numbers (Tables 1, 2, 4, App. A.4.2), checked as exact arithmetic with the rule each
/// claim states, cell by cell (`PrintedNumbers`).
extension ICClaims {
    typealias Cell = PrintedNumbers.Cell

    /// Table 1: latent size N and the printed sparsity (%) in hundredths.
    static let sparsity: [(n: Int, hundredths: Int)] = [(6, 4166), (12, 4583), (32, 4844)]

    /// The edge count k ≤ `possible` whose percentage 100k/`denominator` is nearest the printed value.
    static func nearestCount(_ percent: Rational, possible: Int, denominator: Int) -> (k: Int, percent: Rational) {
        let candidates = (0...possible).map { k in (k, Rational(100 * k).divided(byNonZero: denominator)) }
        return candidates.min { ($0.1 - percent).magnitude < ($1.1 - percent).magnitude } ?? (0, .zero)
    }

    /// Printed to two decimals: within 1/100 of the exact percentage (rounded or truncated).
    static func matchesTwoDecimals(_ exact: Rational, _ printed: Rational) -> Bool {
        (exact - printed).magnitude < PrintedNumbers.hundredths(1)
    }

    /// Table 1's rows against the nearest edge count over `denominator(N)` entries.
    static func sparsityCells(denominator: (Int) -> Int) -> [Cell] {
        sparsity.map { row in
            let printed = PrintedNumbers.hundredths(row.hundredths)
            let d = denominator(row.n)
            let best = nearestCount(printed, possible: row.n * (row.n - 1) / 2, denominator: d)
            return Cell(
                label: .object([
                    "N": .int(row.n), "printed": .string(PrintedNumbers.decimalText(hundredths: row.hundredths)),
                    "of": .int(d),
                ]),
                left: Side("100·k/\(d), k = \(best.k) edges (the nearest count)", best.percent),
                right: Side("the printed sparsity (%) for N = \(row.n)", printed),
                holds: matchesTwoDecimals(best.percent, printed))
        }
    }

    /// A.4.4's learned XAE S mask (N = 6), as extracted, in hundredths: the causal block adjacency.
    static let xaeSMask: [[Int]] = [
        [0, 0, 0, 100, 0, 0], [0, 0, 0, 100, 0, 0], [0, 0, 0, 100, 100, 0], [0, 0, 0, 0, 100, 43], [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
    ]

    static var table1: [ClaimReading] {
        let edges = xaeSMask.joined().filter { $0 != 0 }.count
        let maskPercent = Rational(100 * edges).divided(byNonZero: 15)
        let mask = Cell(
            label: .object(["N": .int(6), "mask": .string("XAE S"), "edges": .int(edges), "of": .int(15)]),
            left: Side("100·\(edges)/15, the A.4.4 mask's non-zero entries", maskPercent),
            right: Side("the printed sparsity (%) for N = 6", PrintedNumbers.hundredths(4166)),
            holds: matchesTwoDecimals(maskPercent, PrintedNumbers.hundredths(4166)))
        return [
            PrintedNumbers.reading(
                id: "ic.table1", reading: "printed",
                statement:
                    "Table 1's sparsity is the percentage of XBlock edges over the possible connections N(N−1)/2 "
                    + "(M_i ∈ R^{i−1}): some edge count gives 41.66, 45.83, 48.44 % to two decimals.",
                expected: .refuted, relation: "=", cells: sparsityCells { $0 * ($0 - 1) / 2 }),
            PrintedNumbers.reading(
                id: "ic.table1", reading: "complete-dag",
                statement:
                    "Corrected: the printed values are 100·(N−1)/(2N) to two decimals — N(N−1)/2 edges over N² "
                    + "entries, every possible edge of the XBlock present.",
                expected: .holds, relation: "=", cells: sparsityCells { $0 * $0 }),
            PrintedNumbers.reading(
                id: "ic.table1", reading: "printed-masks",
                statement:
                    "The N = 6 value is the share of non-zero entries of A.4.4's learned XAE S mask over the possible "
                    + "connections: 41.66 %.",
                expected: .refuted, relation: "=", cells: [mask]),
        ]
    }

    /// Table 2: self-consistency per sampling mode, in hundredths, for AE, XAE, XCAE.
    static let selfConsistencyTable: [(mode: String, scores: [Int])] = [
        ("posterior", [96, 96, 95]), ("hybrid", [75, 81, 88]), ("uniform", [66, 68, 80]),
    ]

    static let models = ["AE", "XAE", "XCAE"]

    /// “a > b” between two printed scores: (mode, model) pairs.
    static func scoreCell(_ claim: String, _ a: (mode: Int, model: Int), _ b: (mode: Int, model: Int)) -> Cell {
        let value = { (c: (mode: Int, model: Int)) in
            PrintedNumbers.hundredths(selfConsistencyTable[c.mode].scores[c.model])
        }
        let name = { (c: (mode: Int, model: Int)) in "\(models[c.model]), \(selfConsistencyTable[c.mode].mode)" }
        return Cell(
            label: .object(["claim": .string(claim), "left": .string(name(a)), "right": .string(name(b))]),
            left: Side(name(a), value(a)), right: Side(name(b), value(b)), holds: value(a) > value(b))
    }

    /// The AE trend and the two improvements, over the modes given.
    static func table2Cells(modes: [Int]) -> [Cell] {
        [scoreCell("AE trend", (0, 0), (1, 0)), scoreCell("AE trend", (1, 0), (2, 0))]
            + modes.map { scoreCell("X improves", ($0, 1), ($0, 0)) }
            + modes.map { scoreCell("consistency training improves", ($0, 2), ($0, 1)) }
    }

    static var table2: [ClaimReading] {
        let posterior = selfConsistencyTable[0].scores
        let tie = Cell(
            label: .object(["claim": .string("posterior: XAE ties AE, XCAE below")]),
            left: Side(
                "XAE − AE, XCAE − XAE (posterior)",
                exact: "(\(posterior[1] - posterior[0]), \(posterior[2] - posterior[1]))/100"),
            right: Side("the corrected claim", exact: "(0, −1)/100"),
            holds: posterior[1] == posterior[0] && posterior[2] == posterior[1] - 1)
        return [
            PrintedNumbers.reading(
                id: "ic.table2", reading: "printed",
                statement:
                    "Table 2: the AE follows posterior > hybrid > uniform; XAE > AE under all sampling modes; XCAE > "
                    + "XAE under all sampling modes.",
                expected: .refuted, relation: ">", cells: table2Cells(modes: [0, 1, 2])),
            PrintedNumbers.reading(
                id: "ic.table2", reading: "hybrid-and-uniform",
                statement:
                    "Corrected: the AE trend holds, and XAE > AE and XCAE > XAE under hybrid and uniform sampling; "
                    + "under posterior sampling XAE ties the AE (0.96) and XCAE is lower (0.95).",
                expected: .holds, relation: ">", cells: table2Cells(modes: [1, 2]) + [tie]),
        ]
    }

    static var a42: [ClaimReading] {
        let (three, two) = (Rational(3).divided(byNonZero: 6), Rational(2).divided(byNonZero: 6))
        return [
            PrintedNumbers.reading(
                id: "ic.a42", reading: "printed",
                statement: "3 collapsed dimensions of the S models' N = 6 are 50 % of the total (2 are a third).",
                expected: .holds, relation: "=",
                cells: [
                    Cell(
                        label: .object(["collapsed": .int(3), "of": .int(6)]), left: Side("3/6", three),
                        right: Side("50 %", Rational(1).divided(byNonZero: 2)),
                        holds: three == Rational(1).divided(byNonZero: 2) && two < three)
                ])
        ]
    }

    /// Table 4: (size, family, base count, X count).
    static let parameterCounts: [(size: String, family: String, base: Int, x: Int)] = [
        ("Standard", "AE", 423_259, 425_677), ("S", "AE", 309_973, 310_984), ("v32", "AE", 2_840_827, 2_850_299),
        ("Standard", "VAE", 298_771, 301_189), ("S", "VAE", 186_025, 187_036), ("v32", "VAE", 2_763_707, 2_773_179),
        ("Standard", "SAE", 442_267, 444_685), ("S", "SAE", 320_488, 320_488),
    ]

    /// The XBlock's increment per size, read off the AE and VAE pairs.
    static let increment = ["Standard": 2418, "S": 1011, "v32": 9472]

    static var table4: [ClaimReading] {
        let label = { (row: (size: String, family: String, base: Int, x: Int)) in
            JSONValue.object(["model": .string("\(row.size) \(row.family)")])
        }
        return [
            PrintedNumbers.reading(
                id: "ic.table4", reading: "printed",
                statement: "Every 'X' variant, extending its model by the XBlock, has more parameters than the model.",
                expected: .refuted, relation: ">",
                cells: parameterCounts.map { row in
                    Cell(
                        label: label(row), left: Side("X\(row.family), \(row.size)", Rational(row.x)),
                        right: Side("\(row.family), \(row.size)", Rational(row.base)), holds: row.x > row.base)
                }),
            PrintedNumbers.reading(
                id: "ic.table4", reading: "increment-per-size",
                statement:
                    "Corrected: seven pairs differ by their size's XBlock increment (Standard 2418, S 1011, v32 9472); "
                    + "the printed S SAE and XSAE counts are equal (320,488).",
                expected: .holds, relation: "=",
                cells: parameterCounts.map { row in
                    let expected = row.size == "S" && row.family == "SAE" ? 0 : increment[row.size] ?? -1
                    return Cell(
                        label: label(row), left: Side("X − base", Rational(row.x - row.base)),
                        right: Side("the expected increment", Rational(expected)), holds: row.x - row.base == expected)
                }),
        ]
    }
}
