import ArgumentParser
import MechanismCommon
import Reference

/// A loop of mixed GMP-backed operations, for valgrind / LeakSanitizer runs (see README, "Memory").
struct LeakLoopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leak-loop",
        abstract: "Run N mixed exact operations (for valgrind: every GMP allocation must be freed).",
        shouldDisplay: false)

    @Option(parsing: .unconditional, help: "Number of iterations.") var iterations = 100_000

    func validate() throws { try require(iterations, atLeast: 1, "--iterations") }

    func run() throws {
        var checksum = Rational.zero
        var big = BigInt(1)
        var a = try Rational(3, 7)
        for i in 1...iterations {
            let b = try Rational(i, i % 13 + 1)
            a = a * b + (try a / b) - b.squared
            if a.numerator.bitWidth > 256 { a = try Rational(a.denominator.bitWidth, 3) }
            var copy = a  // copy-on-write path
            copy += 1
            checksum += copy - a
            big = try (big * BigInt(i)).quotientAndRemainder(dividingBy: BigInt(1_000_003)).remainder + BigInt(i)
            _ = Rational(b.description)
            _ = b.doubleValue
            _ = try? Rational(parsing: i % 2 == 0 ? "\(i)/\(i + 1)" : "bad")
            _ = try? b.power(-(i % 3))
            _ = try? Rational(BigInt(i), BigInt(0))
        }
        print("checksum \(checksum) \(big)")
    }
}
