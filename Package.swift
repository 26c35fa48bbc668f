// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "MechanismOracle",
    products: [
        .library(name: "Reference", targets: ["Reference"]),
        .library(name: "Fast", targets: ["Fast"]),
        .library(name: "Oracle", targets: ["Oracle"]),
        .executable(name: "oracle", targets: ["OracleCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        // libgmp through pkg-config; the shim turns GMP's function-like macros into functions.
        .systemLibrary(
            name: "CGMP",
            path: "Sources/CGMP",
            pkgConfig: "gmp",
            providers: [.apt(["libgmp-dev"])]
        ),
        // Exact arithmetic: nothing here rounds.
        .target(name: "Reference", dependencies: ["CGMP"]),
        // The Double mirror; must not link GMP.
        .target(name: "Fast", dependencies: [.product(name: "Numerics", package: "swift-numerics")]),
        .target(name: "Oracle", dependencies: ["Reference", "Fast"]),
        // Swift Testing integration for the property engine: `propertyCheck`, `.replay(…)`.
        .target(name: "OracleTesting", dependencies: ["Oracle"]),
        .executableTarget(
            name: "OracleCLI",
            dependencies: ["Oracle", "Reference", "Fast",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "Properties", dependencies: ["Oracle", "OracleTesting", "Reference", "Fast"], path: "Tests/Properties"),
        .testTarget(name: "Regression", dependencies: ["Oracle", "OracleTesting", "Reference", "Fast"], path: "Tests/Regression",
                    exclude: ["Corpus"]),
    ]
)
