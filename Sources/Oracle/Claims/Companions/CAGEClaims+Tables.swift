import Reference

/// 004's printed numbers (Table 1, Table 2, §1, §4.3, §6), checked as exact arithmetic with the rule
/// each claim states, cell by cell (`PrintedNumbers`).
extension CAGEClaims {
    typealias Cell = PrintedNumbers.Cell

    static let strategies = ["No Aug", "G → H", "H → G"]

    /// Table 2 in tenths, by row: No Aug, G → H, H → G.
    static let table2: [String: [Int]] = [
        "Avg Group Train": [925, 861, 905], "Avg Group Val": [890, 892, 904], "Avg Group Test": [896, 907, 880],
        "Worst Group Train": [979, 685, 874], "Worst Group Val": [852, 863, 885], "Worst Group Test": [867, 894, 750],
    ]

    static func value(_ row: String, _ strategy: Int) -> Rational {
        PrintedNumbers.tenths(table2[row]?[strategy] ?? 0)
    }

    /// A difference of two strategies on one row, against a printed number.
    static func gapCell(
        _ claim: String, row: String, _ a: Int, minus b: Int, printed: Rational, holds: (Rational, Rational) -> Bool
    ) -> Cell {
        let gap = value(row, a) - value(row, b)
        return Cell(
            label: .object(["claim": .string(claim), "row": .string(row)]),
            left: Side("\(strategies[a]) − \(strategies[b]), \(row)", gap),
            right: Side("the printed \(claim)", printed),
            holds: holds(gap, printed))
    }

    static var introNumbers: [ClaimReading] {
        let claim = "“improve … by over 2.7% over the baseline and 11.7% over the anti causal direction” (worst group, "
        let cells = { (holds: @escaping (Rational, Rational) -> Bool) in
            [
                gapCell("2.7", row: "Worst Group Test", 1, minus: 0, printed: PrintedNumbers.tenths(27), holds: holds),
                gapCell(
                    "11.7", row: "Worst Group Test", 1, minus: 2, printed: PrintedNumbers.tenths(117), holds: holds),
            ]
        }
        return [
            PrintedNumbers.reading(
                id: "cage.intro.numbers", reading: "printed",
                statement: claim + "Table 2 test), read in percentage points with “over” strict: > 2.7 and > 11.7.",
                expected: .refuted, relation: ">", cells: cells { $0 > $1 }),
            PrintedNumbers.reading(
                id: "cage.intro.numbers", reading: "printed-at-least",
                statement: claim + "Table 2 test), in percentage points with “over” read as ≥.",
                expected: .holds, relation: "≥", cells: cells { $0 >= $1 }),
            PrintedNumbers.reading(
                id: "cage.intro.numbers", reading: "baseline-gap",
                statement:
                    "Corrected: G → H gains exactly 2.7 points over No Aug and 14.4 over H → G; 11.7 is No Aug's lead "
                    + "over H → G (86.7 − 75.0), not the causal augmentation's.",
                expected: .holds, relation: "=",
                cells: [
                    gapCell("2.7", row: "Worst Group Test", 1, minus: 0, printed: PrintedNumbers.tenths(27), holds: ==),
                    gapCell(
                        "14.4", row: "Worst Group Test", 1, minus: 2, printed: PrintedNumbers.tenths(144), holds: ==),
                    gapCell(
                        "11.7", row: "Worst Group Test", 0, minus: 2, printed: PrintedNumbers.tenths(117), holds: ==),
                ]),
        ]
    }

    static var sec43Gain: [ClaimReading] {
        let claim =
            "“a 2.7% gain in test accuracy [manipulating hair] in comparison to a −1.6% decrease [manipulating gender]”"
        let cells = { (row: String) in
            [
                gapCell("gain 2.7", row: row, 1, minus: 0, printed: PrintedNumbers.tenths(27), holds: ==),
                gapCell("change −1.6", row: row, 2, minus: 0, printed: PrintedNumbers.tenths(-16), holds: ==),
            ]
        }
        return [
            PrintedNumbers.reading(
                id: "cage.sec43.gain", reading: "printed",
                statement: claim + ", both on the worst-group test row of Table 2.",
                expected: .refuted, relation: "=", cells: cells("Worst Group Test")),
            PrintedNumbers.reading(
                id: "cage.sec43.gain", reading: "printed-average",
                statement: claim + ", both on the average-group test row.",
                expected: .refuted, relation: "=", cells: cells("Avg Group Test")),
            PrintedNumbers.reading(
                id: "cage.sec43.gain", reading: "mixed-rows",
                statement:
                    "Corrected: +2.7 is the worst-group test gain, −1.6 the average-group test change (worst-group: "
                    + "−11.7), and H → G's worst-group test accuracy is 75.0.",
                expected: .holds, relation: "=",
                cells: [
                    gapCell(
                        "gain 2.7", row: "Worst Group Test", 1, minus: 0, printed: PrintedNumbers.tenths(27),
                        holds: ==),
                    gapCell(
                        "change −1.6", row: "Avg Group Test", 2, minus: 0, printed: PrintedNumbers.tenths(-16),
                        holds: ==),
                    gapCell(
                        "change −11.7", row: "Worst Group Test", 2, minus: 0, printed: PrintedNumbers.tenths(-117),
                        holds: ==),
                    Cell(
                        label: .object(["claim": .string("75%")]),
                        left: Side("H → G, Worst Group Test", value("Worst Group Test", 2)),
                        right: Side("75 %", Rational(75)), holds: value("Worst Group Test", 2) == Rational(75)),
                ]),
        ]
    }

    static var sec43Fraction: [ClaimReading] {
        let percent = Rational(138_700).divided(byNonZero: 162_770)
        let printed = PrintedNumbers.hundredths(85)
        return [
            PrintedNumbers.reading(
                id: "cage.sec43.frac", reading: "printed",
                statement: "1387/162770 = 0.85 % to two decimals.",
                expected: .holds, relation: "=",
                cells: [
                    Cell(
                        label: .object(["fraction": .string("1387/162770")]), left: Side("100 · 1387/162770", percent),
                        right: Side("0.85 %", printed),
                        holds: (percent - printed).magnitude * 2 < PrintedNumbers.hundredths(1))
                ])
        ]
    }

    /// Every (split, strategy): the worst-group accuracy against the average-group accuracy.
    static func worstCells(holds: @escaping (_ split: String, _ strategy: Int, _ above: Bool) -> Bool) -> [Cell] {
        ["Train", "Val", "Test"].flatMap { split in
            (0..<3).map { s in
                let (worst, average) = (value("Worst Group \(split)", s), value("Avg Group \(split)", s))
                return Cell(
                    label: .object(["split": .string(split), "strategy": .string(strategies[s])]),
                    left: Side("Worst Group \(split), \(strategies[s])", worst),
                    right: Side("Avg Group \(split), \(strategies[s])", average),
                    holds: holds(split, s, worst > average))
            }
        }
    }

    static var table2Worst: [ClaimReading] {
        [
            PrintedNumbers.reading(
                id: "cage.table2.worst", reading: "printed",
                statement:
                    "The “worst group” rows are the worst subgroup's accuracy: never above the average-group accuracy "
                    + "of the same split and strategy.",
                expected: .refuted, relation: "≤", cells: worstCells { _, _, above in !above }),
            PrintedNumbers.reading(
                id: "cage.table2.worst", reading: "fixed-group",
                statement:
                    "Corrected: the rows report one fixed group (blonde males, App. B: “the worst subgroup need not be "
                    + "blonde males throughout”); it is above the average only on No Aug's training split "
                    + "(97.9 > 92.5).",
                expected: .holds, relation: "≤",
                cells: worstCells { split, s, above in above == (split == "Train" && s == 0) }),
        ]
    }

    /// Table 1 as extracted: (pair, ANM, LiNGAM, No Tears, Δτ, Prior), with "→", "←", "⊥"
    /// (row 6's Prior is printed truncated as "m1 ⊥" and read as ⊥).
    static let table1: [(pair: String, verdicts: [String])] = [
        ("Gender/Mustache", ["→", "⊥", "→", "→", "→"]), ("Gender/Bald", ["→", "⊥", "→", "→", "→"]),
        ("Gender/Goatee", ["←", "←", "→", "⊥", "→"]), ("Gender/Rosy Cheeks", ["←", "←", "→", "→", "→"]),
        ("Age/Bald", ["⊥", "⊥", "→", "←", "→"]), ("Pointy Nose/Brown Hair", ["⊥", "←", "←", "→", "⊥"]),
        ("Gender/Smiling", ["→", "⊥", "→", "⊥", "⊥"]),
    ]

    static let methods = ["ANM", "LiNGAM", "No Tears", "Δτ"]

    /// Agreements with the prior: ANM, LiNGAM, No Tears, Δτ.
    static var agreements: [Int] {
        (0..<4).map { m in table1.filter { $0.verdicts[m] == $0.verdicts[4] }.count }
    }

    static var table1Agreement: [ClaimReading] {
        let a = agreements
        let deltaTau = Cell(
            label: .object(["method": .string("Δτ")]),
            left: Side("pairs where Δτ disagrees with the prior", Rational(table1.count - a[3])),
            right: Side("one (“all but one”)", Rational(1)), holds: table1.count - a[3] <= 1)
        let baselines = (0..<3).map { m in
            Cell(
                label: .object(["method": .string(methods[m])]),
                left: Side("pairs where \(methods[m]) agrees with the prior, plus one", Rational(a[m] + 1)),
                right: Side("pairs where Δτ agrees", Rational(a[3])), holds: a[m] + 1 <= a[3])
        }
        let expected = [3, 1, 5, 4]
        return [
            PrintedNumbers.reading(
                id: "cage.table1.agreement", reading: "printed",
                statement:
                    "Δτ agrees with the prior in all but one of Table 1's seven pairs, and every baseline agrees less "
                    + "often.",
                expected: .refuted, relation: "≤", cells: [deltaTau] + baselines),
            PrintedNumbers.reading(
                id: "cage.table1.agreement", reading: "counts",
                statement:
                    "Corrected: of the seven pairs Δτ agrees with the prior on 4, ANM on 3, LiNGAM on 1 and No Tears "
                    + "on 5.",
                expected: .holds, relation: "=",
                cells: (0..<4).map { m in
                    Cell(
                        label: .object(["method": .string(methods[m])]),
                        left: Side("pairs where \(methods[m]) agrees with the prior", Rational(a[m])),
                        right: Side("the corrected count", Rational(expected[m])), holds: a[m] == expected[m])
                }),
        ]
    }
}
