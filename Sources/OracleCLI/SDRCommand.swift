import ArgumentParser
import MechanismCommon
import Oracle
import Reference

struct SDRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sdr",
        abstract:
            "The exact Spectral Density Ratio ρ(k₁,k₂) of eq. (8) as a reduced fraction and its correctly rounded "
            + "Double."
    )

    @Option(parsing: .unconditional, help: "k₁ entries, comma-separated (integers, p/q, decimals).") var k1: String
    @Option(parsing: .unconditional, help: "k₂ entries, comma-separated.") var k2: String
    @Option(parsing: .unconditional, help: "D (1D, default: the number of entries) or DxD' (2D, row-major).") var shape:
        String?
    @Flag(help: "Average over all frequencies (default: the non-zero ones, the paper's ⟨·⟩).") var allFrequencies =
        false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var limits: LimitOptions

    /// The kernel's shape: `--shape` when given, else one row of `count` entries.
    func kernelShape(count: Int) throws -> (rows: Int, columns: Int) {
        guard let shape else { return (1, count) }
        do { return try TextArguments.kernelShape(shape, option: "--shape") } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let a: [Rational], b: [Rational]
        do {
            (a, b) = (
                try TextArguments.rationals(k1, option: "--k1"),
                try TextArguments.rationals(k2, option: "--k2")
            )
        } catch { throw ValidationError(error.description) }
        guard a.count == b.count else {
            throw ValidationError(
                "k₁ has \(a.count) entries and k₂ has \(b.count): the SDR compares kernels of one shape")
        }
        let (rows, columns) = try kernelShape(count: a.count)
        try require(rows, atLeast: 1, "--shape's rows")
        try require(columns, atLeast: 1, "--shape's columns")
        let entries = try checked { () throws(SizeLimitError) in
            try limits.limit.elements([rows, columns], of: "--shape")
        }
        guard entries == a.count else {
            throw ValidationError("--shape \(rows)x\(columns) needs \(entries) entries, got \(a.count)")
        }
        let averaging: FrequencyAveraging = allFrequencies ? .all : .nonZero
        let rho: Rational
        do {
            let first = try RationalImage(rows: rows, columns: columns, values: a)
            let second = try RationalImage(rows: rows, columns: columns, values: b)
            rho = try SpectralDensityRatio.ratio(first, second, averaging: averaging)
        } catch { throw ValidationError(error.description) }
        if json {
            emit(
                JSONValue.object([
                    "exact": .string(rho.description), "double": .number(rho.doubleValue),
                    "d": rows == 1 ? .int(columns) : .string("\(rows)x\(columns)"),
                    "averaging": .string(averaging.rawValue),
                ]).serialized())
        } else {
            emit(
                "ρ = \(rho) ≈ \(rho.doubleValue)  (\(rows == 1 ? "d = \(columns)" : "\(rows)×\(columns)"), averaged "
                    + "over \(averaging == .all ? "all" : "non-zero") frequencies)"
            )
        }
    }
}
