import Foundation
import Testing

/// The recipe of docs/pytorch.md, examples/torch_layer.py, run in full: a seeded DCGAN-like nn.Module, the input
/// of its ConvTranspose2d captured by a forward hook, python/oracle_torch.py writing the files and running the
/// oracle built beside the tests, and the SVG histogram. Skipped, with the reason, without torch or the oracle.
@Suite struct TorchRecipeTests {
    static let hasTorch = OracleBinary.python(has: "torch")

    @Test(
        .enabled(if: TorchRecipeTests.hasTorch, "needs python3 with torch and numpy (pip install torch)"),
        .enabled(if: OracleBinary.path != nil, "needs the oracle built beside the tests (swift build --build-tests)"))
    func theRecipeRunsFromAModuleToTheSVG() throws {
        let directory = try OracleBinary.temporaryDirectory("torch-recipe")
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("sdr.svg").path
        let script = OracleBinary.root.appendingPathComponent("examples/torch_layer.py").path
        let result = try OracleBinary.run(
            "/usr/bin/env", ["python3", script, "--svg", svg, "--batch", "16", "--oracle", OracleBinary.path!],
            in: directory, environment: ["PYTHONDONTWRITEBYTECODE": "1"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(
            result.stdout.contains("ConvTranspose2d(64, 32, 4, stride 2), input [16, 64, 4, 4]"), "\(result.stdout)")
        #expect(result.stdout.contains("2048 of 2048 pairs defined"), "\(result.stdout)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.hasPrefix("<svg") && text.contains("histogram of the strided SDR"))
    }

    /// python/tests/test_oracle_torch.py against this oracle, its end-to-end tests included: `analyze` agrees with
    /// a float64 numpy computation of eq. (24) to 1e-12 with the weight in PyTorch's layout and a dead channel.
    @Test(
        .enabled(if: TorchRecipeTests.hasTorch, "needs python3 with torch and numpy (pip install torch)"),
        .enabled(if: OracleBinary.python(has: "pytest"), "needs pytest"),
        .enabled(if: OracleBinary.path != nil, "needs the oracle built beside the tests (swift build --build-tests)"))
    func theTorchHelperAgreesWithNumpy() throws {
        let result = try OracleBinary.run(
            "/usr/bin/env",
            ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "python/tests/test_oracle_torch.py"],
            in: OracleBinary.root, environment: ["ORACLE": OracleBinary.path!, "PYTHONDONTWRITEBYTECODE": "1"])
        #expect(result.status == 0, "\(result.stdout.suffix(3000))")
        #expect(result.stdout.contains("7 passed"), "\(result.stdout.suffix(1000))")
    }
}
