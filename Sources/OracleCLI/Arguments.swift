import ArgumentParser
import MechanismCommon
import Fast
import Oracle

/// `--seed`: a 64-bit unsigned integer, decimal or 0x-hex; the one seed type of every command.
struct SeedArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let value: UInt64

    init(_ value: UInt64) { self.value = value }

    init?(argument: String) {
        guard let value = try? TextArguments.seed(argument) else { return nil }
        self.value = value
    }

    var description: String { String(value) }
    var defaultValueDescription: String { description }
}

/// The limit that every size given by the user is checked against before anything is allocated.
struct LimitOptions: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help:
            ArgumentHelp(
                "The most elements any one array, shape or count from the input may hold; "
                    + "larger ones are refused before anything is allocated.")
    )
    var maxElements: Int = SizeLimit.defaultMaxElements

    var limit: SizeLimit { SizeLimit(maxElements: maxElements) }

    func validate() throws {
        try require(maxElements, atLeast: 1, "--max-elements")
    }

    /// A count given on the command line: at least `minimum`, at most the limit.
    func requireCount(_ value: Int, atLeast minimum: Int, _ flag: String) throws {
        try require(value, atLeast: minimum, flag)
        try checked { () throws(SizeLimitError) in try limit.count(value, of: flag) }
    }
}

/// A count below its minimum: the error names the flag, the minimum and the value given.
func require(_ value: Int, atLeast minimum: Int, _ flag: String) throws {
    guard value >= minimum else { throw ValidationError("\(flag) must be at least \(minimum), got \(value)") }
}

/// `--jobs` (threads or processes working at once): 1…256.
func requireJobs(_ jobs: Int) throws {
    guard jobs >= 1, jobs <= 256 else { throw ValidationError("--jobs must be in 1…256, got \(jobs)") }
}

/// A size check as a usage error (exit 2).
func checked<T>(_ body: () throws(SizeLimitError) -> T) throws -> T {
    do { return try body() } catch { throw ValidationError(error.description) }
}

extension EstimatorTask: ExpressibleByArgument {}
extension WeightLayout: ExpressibleByArgument {}

/// `--precision`: float64 or float32, also written 64 or 32.
extension Conditioning.Precision: ExpressibleByArgument, CustomStringConvertible {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "64", "float64", "f64", "double": self = .float64
        case "32", "float32", "f32", "single": self = .float32
        default: return nil
        }
    }

    public var description: String { self == .float64 ? "float64" : "float32" }
    public static var allValueStrings: [String] { ["float64", "float32", "64", "32"] }
}

/// `oracle counterexample --format`.
enum CounterexampleFormat: String, CaseIterable, ExpressibleByArgument {
    case markdown, json, latex
}

/// The built-in Swift estimators `oracle fuzz --builtin` can fuzz in-process.
enum BuiltinEstimator: String, CaseIterable, ExpressibleByArgument {
    /// The Fast mirror's `SDREstimators`.
    case fast
}

/// `oracle fuzz --averaging`: the frequencies ⟨·⟩ averages over in every request, or both drawn per case.
enum AveragingChoice: String, CaseIterable, ExpressibleByArgument {
    case nonzero, all, both

    var values: [FrequencyAveraging] {
        switch self {
        case .nonzero: [.nonZero]
        case .all: [.all]
        case .both: [.nonZero, .all]
        }
    }
}

/// `oracle fuzz --grid`: the activation grid of eq. (24) in every strided and layer request, or both drawn per case.
enum GridChoice: String, CaseIterable, ExpressibleByArgument {
    case upsampled, native, both

    var values: [ActivationGrid] {
        switch self {
        case .upsampled: [.upsampled]
        case .native: [.native]
        case .both: [.upsampled, .native]
        }
    }
}
