import Reference

/// A statement about a paper's printed numbers, decided cell by cell over its finite domain (a table's rows, a
/// sentence's numbers): an exhaustive pass over every cell, so a holding verdict is `proved`, and a refutation is
/// the first failing cell — replayable, in the corpus, with the two numbers it compares as its sides.
enum PrintedNumbers {
    /// One cell: what it is, the two sides the statement compares there, and whether they compare as claimed.
    struct Cell: Sendable {
        var label: JSONValue
        var left: ClaimReading.Side
        var right: ClaimReading.Side
        var holds: Bool
    }

    /// A printed decimal given in hundredths (41.66 is 4166), exactly.
    static func hundredths(_ value: Int) -> Rational { Rational(value).divided(byNonZero: 100) }

    /// The printed text of a decimal given in hundredths (4166 is "41.66"), for labels.
    static func decimalText(hundredths value: Int) -> String {
        let (whole, part) = (abs(value) / 100, abs(value) % 100)
        return (value < 0 ? "-" : "") + "\(whole)." + (part < 10 ? "0" : "") + "\(part)"
    }

    /// A printed decimal given in tenths (92.5 is 925), exactly.
    static func tenths(_ value: Int) -> Rational { Rational(value).divided(byNonZero: 10) }

    static func reading(
        id: String, reading: String, statement: String, expected: ClaimVerdict, relation: String, cells: [Cell]
    ) -> ClaimReading {
        let count = max(1, cells.count)
        let cell: @Sendable (Int) -> Cell? = { cells.indices.contains($0) ? cells[$0] : nil }
        // Four times the cells: the pass stays complete at the quarter scale of the documented runs.
        return .property(
            id: id, reading: reading, kind: .exact, statement: statement, expected: expected, cases: 4 * count,
            exhaustiveBudget: 4 * count, exhaustiveValueCap: UInt64(count), wholeDomain: true,
            gen: Gen.int(in: 0...(count - 1)), render: { cell($0)?.label ?? .null },
            relation: relation, sides: { index in cell(index).map { [$0.left, $0.right] } ?? [] },
            check: { cell($0)?.holds ?? false })
    }
}
