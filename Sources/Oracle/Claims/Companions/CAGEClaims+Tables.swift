import Reference

/// 004's printed numbers (Table 1, Table 2, §1, §4.3, §6), checked as exact arithmetic with the rule
/// each claim states.
extension CAGEClaims {
    static func printed(_ text: String) throws -> Rational { try Rational(parsing: text) }

    /// Table 2, by row: No Aug, G → H, H → G.
    static let table2: [(row: String, values: [String])] = [
        ("Avg Group Train", ["92.5", "86.1", "90.5"]), ("Avg Group Val", ["89.0", "89.2", "90.4"]),
        ("Avg Group Test", ["89.6", "90.7", "88.0"]), ("Worst Group Train", ["97.9", "68.5", "87.4"]),
        ("Worst Group Val", ["85.2", "86.3", "88.5"]), ("Worst Group Test", ["86.7", "89.4", "75.0"]),
    ]

    static func row(_ name: String) throws -> [Rational] {
        guard let r = table2.first(where: { $0.row == name }) else {
            throw ReferenceError.invalidArgument("no Table 2 row \(name)")
        }
        return try r.values.map(printed)
    }

    /// The worst-group test gains: G→H − No Aug, G→H − H→G, No Aug − H→G (percentage points).
    static func worstTestGaps() throws -> (overBaseline: Rational, overAnticausal: Rational, baselineLead: Rational) {
        let w = try row("Worst Group Test")
        return (w[1] - w[0], w[1] - w[2], w[0] - w[2])
    }

    static var introNumbers: [ClaimReading] {
        let claim = "“improve … by over 2.7% over the baseline and 11.7% over the anti causal direction” (worst group, "
        return [
            .identity(
                id: "cage.intro.numbers", reading: "printed",
                statement: claim + "Table 2 test), read in percentage points with “over” strict: > 2.7 and > 11.7.",
                expected: .refuted,
                decide: {
                    let g = try worstTestGaps()
                    return (
                        try g.overBaseline > (printed("2.7")) && g.overAnticausal > (printed("11.7")),
                        .object(["overBaseline": g.overBaseline.json, "overAnticausal": g.overAnticausal.json])
                    )
                }),
            .identity(
                id: "cage.intro.numbers", reading: "printed-at-least",
                statement: claim + "Table 2 test), in percentage points with “over” read as ≥.",
                expected: .holds,
                decide: {
                    let g = try worstTestGaps()
                    return (
                        try g.overBaseline >= (printed("2.7")) && g.overAnticausal >= (printed("11.7")),
                        .object(["overBaseline": g.overBaseline.json, "overAnticausal": g.overAnticausal.json])
                    )
                }),
            .identity(
                id: "cage.intro.numbers", reading: "baseline-gap",
                statement:
                    "Corrected: G → H gains exactly 2.7 points over No Aug and 14.4 over H → G; 11.7 is No Aug's lead "
                    + "over H → G (86.7 − 75.0), not the causal augmentation's.",
                expected: .holds,
                decide: {
                    let g = try worstTestGaps()
                    let holds =
                        try g.overBaseline == (printed("2.7")) && g.overAnticausal == (printed("14.4"))
                        && g.baselineLead == (printed("11.7"))
                    return (holds, .object(["baselineLead": g.baselineLead.json]))
                }),
        ]
    }

    static var sec43Gain: [ClaimReading] {
        let gains: @Sendable (String) throws -> (causal: Rational, anticausal: Rational) = { name in
            let r = try row(name)
            return (r[1] - r[0], r[2] - r[0])
        }
        let claim =
            "“a 2.7% gain in test accuracy [manipulating hair] in comparison to a −1.6% decrease [manipulating gender]”"
        return [ClaimReading]()
            + [
                ("printed", "Worst Group Test", "the worst-group"),
                ("printed-average", "Avg Group Test", "the average-group"),
            ]
            .map { reading, name, what in
                .identity(
                    id: "cage.sec43.gain", reading: reading,
                    statement: claim + ", both on \(what) test row of Table 2.", expected: .refuted,
                    decide: {
                        let g = try gains(name)
                        return (
                            try g.causal == printed("2.7") && g.anticausal == printed("-1.6"),
                            .object(["gain": g.causal.json, "change": g.anticausal.json])
                        )
                    })
            } + [
                .identity(
                    id: "cage.sec43.gain", reading: "mixed-rows",
                    statement:
                        "Corrected: +2.7 is the worst-group test gain, −1.6 the average-group test change "
                        + "(worst-group: "
                        + "−11.7), and H → G's worst-group test accuracy is 75.0.",
                    expected: .holds,
                    decide: {
                        let (worst, average) = (try gains("Worst Group Test"), try gains("Avg Group Test"))
                        let holds =
                            try worst.causal == (printed("2.7")) && average.anticausal == (printed("-1.6"))
                            && worst.anticausal == (printed("-11.7")) && (row("Worst Group Test"))[2] == 75
                        return (holds, .object(["worstChange": worst.anticausal.json]))
                    })
            ]
    }

    static var sec43Fraction: [ClaimReading] {
        [
            .identity(
                id: "cage.sec43.frac", reading: "printed",
                statement: "1387/162770 = 0.85 % to two decimals.",
                expected: .holds,
                decide: {
                    let percent = try Rational(138_700, 162_770)
                    let lower = try printed("0.845"), upper = try printed("0.855")
                    return (percent >= lower && percent < upper, .object(["percent": percent.json]))
                })
        ]
    }

    static var table2Worst: [ClaimReading] {
        let cells: @Sendable () throws -> [(split: String, strategy: Int, worst: Rational, average: Rational)] = {
            var result: [(String, Int, Rational, Rational)] = []
            for split in ["Train", "Val", "Test"] {
                let (w, a) = (try row("Worst Group \(split)"), try row("Avg Group \(split)"))
                for s in 0..<3 { result.append((split, s, w[s], a[s])) }
            }
            return result
        }
        return [
            .identity(
                id: "cage.table2.worst", reading: "printed",
                statement:
                    "The “worst group” rows are the worst subgroup's accuracy: never above the average-group accuracy "
                    + "of the same split and strategy.",
                expected: .refuted,
                decide: {
                    let above = try cells().filter { $0.worst > $0.average }
                    return (
                        above.isEmpty,
                        .array(above.map { .string("\($0.split) #\($0.strategy): \($0.worst) > \($0.average)") })
                    )
                }),
            .identity(
                id: "cage.table2.worst", reading: "fixed-group",
                statement:
                    "Corrected: the rows report one fixed group (blonde males, App. B: “the worst subgroup need not be "
                    + "blonde males throughout”); it is above the average only on No Aug's training split "
                    + "(97.9 > 92.5).",
                expected: .holds,
                decide: {
                    let above = try cells().filter { $0.worst > $0.average }
                    let holds = above.count == 1 && above[0].split == "Train" && above[0].strategy == 0
                    return (holds, .int(above.count))
                }),
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

    /// Agreements with the prior: ANM, LiNGAM, No Tears, Δτ.
    static var agreements: [Int] {
        (0..<4).map { m in table1.filter { $0.verdicts[m] == $0.verdicts[4] }.count }
    }

    static var table1Agreement: [ClaimReading] {
        let account: JSONValue = .object([
            "ANM": .int(agreements[0]), "LiNGAM": .int(agreements[1]), "NoTears": .int(agreements[2]),
            "deltaTau": .int(agreements[3]), "pairs": .int(table1.count),
        ])
        return [
            .identity(
                id: "cage.table1.agreement", reading: "printed",
                statement:
                    "Δτ agrees with the prior in all but one of Table 1's seven pairs, and every baseline agrees less "
                    + "often.",
                expected: .refuted,
                decide: {
                    let a = agreements
                    return (a[3] == table1.count - 1 && a[0..<3].allSatisfy { $0 < a[3] }, account)
                }),
            .identity(
                id: "cage.table1.agreement", reading: "counts",
                statement:
                    "Corrected: of the seven pairs Δτ agrees with the prior on 4, ANM on 3, LiNGAM on 1 and No Tears "
                    + "on 5.",
                expected: .holds, decide: { (agreements == [3, 1, 5, 4], account) }),
        ]
    }
}
