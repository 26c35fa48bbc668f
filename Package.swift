// swift-tools-version:6.0
import PackageDescription
#if canImport(FoundationEssentials)
    import FoundationEssentials
#elseif canImport(Foundation)
    import Foundation
#endif

/// Code generation for the host CPU in `Fast` (the FFT and SDR kernels), like `-march=native`: on a
/// Linux x86-64 host whose /proc/cpuinfo lists the Haswell feature set (AVX2, FMA, BMI1/2, LZCNT,
/// MOVBE, F16C), `-target-cpu haswell`, so `SIMD4<Double>` is one AVX register. Results do not change:
/// Swift never contracts a·b + c into an FMA, so every operation rounds exactly as on baseline x86-64.
/// Off with `ORACLE_PORTABLE=1` (a binary for other machines), and off when this package is built as
/// a dependency (SwiftPM refuses unsafe flags in dependencies).
let hostCPUFlags: [String] = {
    #if os(Linux) && arch(x86_64)
        if Context.environment["ORACLE_PORTABLE"].map({ !$0.isEmpty && $0 != "0" }) ?? false { return [] }
        if Context.packageDirectory.contains("/checkouts/") { return [] }
        guard let data = FileManager.default.contents(atPath: "/proc/cpuinfo"),
            let text = String(data: data, encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return [] }
        let flags = Set(line.split(separator: " ").map(String.init))
        let haswell: Set<String> = ["avx2", "fma", "bmi1", "bmi2", "abm", "movbe", "f16c"]
        return haswell.isSubset(of: flags) ? ["-target-cpu", "haswell"] : []
    #else
        return []
    #endif
}()

/// `Fast` is optimised in debug builds too (the simulations of the stat claims run in `swift test`); -O never
/// changes a Double result (no fast-math, no FMA contraction), so debug and release agree bit for bit.
let fastSettings: [SwiftSetting] = {
    var settings: [SwiftSetting] = hostCPUFlags.isEmpty ? [] : [.unsafeFlags(hostCPUFlags)]
    if !Context.packageDirectory.contains("/checkouts/") {
        settings.append(.unsafeFlags(["-O"], .when(configuration: .debug)))
    }
    return settings
}()

let package = Package(
    name: "MechanismOracle",
    products: [
        .library(name: "PropertyEngine", targets: ["PropertyEngine"]),
        .library(name: "OracleTesting", targets: ["OracleTesting"]),
        .library(name: "Reference", targets: ["Reference"]),
        .library(name: "Fast", targets: ["Fast"]),
        .library(name: "Oracle", targets: ["Oracle"]),
        .executable(name: "oracle", targets: ["OracleCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", exact: "1.1.1"),
    ],
    targets: [
        // libgmp through pkg-config; the shim turns GMP's function-like macros into functions.
        .systemLibrary(
            name: "CGMP",
            path: "Sources/CGMP",
            pkgConfig: "gmp",
            providers: [.apt(["libgmp-dev"])]
        ),
        // The vocabulary shared by every layer: SplitMix64, small-integer number theory, averaging conventions.
        .target(name: "MechanismCommon"),
        // The property engine (choice sequences, generators, shrinking, replay, corpus, sharding): no GMP,
        // nothing of the theory; a library of its own that other packages can depend on.
        .target(name: "PropertyEngine", dependencies: ["MechanismCommon"]),
        // Exact arithmetic: nothing here rounds.
        .target(name: "Reference", dependencies: ["CGMP", "MechanismCommon"]),
        // The Double mirror; must not link GMP.
        .target(
            name: "Fast", dependencies: ["MechanismCommon", .product(name: "Numerics", package: "swift-numerics")],
            swiftSettings: fastSettings),
        .target(name: "Oracle", dependencies: ["MechanismCommon", "PropertyEngine", "Reference", "Fast"]),
        // Swift Testing integration for the property engine: `propertyCheck`, `.replay(…)`.
        .target(name: "OracleTesting", dependencies: ["PropertyEngine"]),
        .executableTarget(
            name: "OracleCLI",
            dependencies: [
                "MechanismCommon", "Oracle", "Reference", "Fast",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The engine alone, built without GMP (no Reference, Fast or Oracle).
        .testTarget(
            name: "EngineTests", dependencies: ["MechanismCommon", "PropertyEngine", "OracleTesting"],
            path: "Tests/Engine"),
        .testTarget(
            name: "Properties", dependencies: ["Oracle", "OracleTesting", "Reference", "Fast"], path: "Tests/Properties"
        ),
        .testTarget(
            name: "Regression", dependencies: ["Oracle", "OracleTesting", "Reference", "Fast"],
            path: "Tests/Regression",
            exclude: ["Corpus"]),
    ]
)
