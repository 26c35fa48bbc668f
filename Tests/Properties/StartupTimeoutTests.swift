import Foundation
import Oracle
import Reference
import Testing

/// `oracle fuzz --startup-timeout`: the first request of each fresh estimator process may take that much longer
/// (start-up, e.g. `import torch`), and a hang on a first request says that start-up counted against --timeout.
@Suite(.enabled(if: OracleBinary.python(has: "json"), "needs python3"))
struct StartupTimeoutTests {
    /// An estimator that takes 2.5 s to start, then answers 1 at once to every request.
    static let slowStarter =
        "python3 -c \"import sys, time, json; time.sleep(2.5); "
        + "[print(json.dumps({'id': json.loads(l)['id'], 'value': 1.0}), flush=True) for l in sys.stdin]\""

    static func request() throws -> EstimatorCase {
        let k = try RationalImage(rows: 1, columns: 3, values: [Rational(1), Rational(2), Rational(0)])
        return .sdr1d(k1: k, k2: k)
    }

    @Test func aSlowStartIsAHangOnTheFirstRequestThatSaysSo() throws {
        let estimator = ExternalEstimator(command: Self.slowStarter, timeout: 0.5)
        defer { estimator.stop() }
        // The first answer waits --timeout again (or --startup-timeout when longer): 1 s here.
        #expect(throws: EstimatorFailure.hang(seconds: 1.0, firstRequest: true)) {
            _ = try estimator.estimate(try Self.request(), id: 0)
        }
        let message = EstimatorFailure.hang(seconds: 0.5, firstRequest: true).description
        #expect(message.contains("first request of a fresh process") && message.contains("--startup-timeout"))
        #expect(!EstimatorFailure.hang(seconds: 0.5).description.contains("--startup-timeout"))
    }

    @Test func theStartupTimeoutAllowsForIt() throws {
        let estimator = ExternalEstimator(command: Self.slowStarter, timeout: 0.5, startupTimeout: 10)
        defer { estimator.stop() }
        #expect(try estimator.estimate(try Self.request(), id: 0) == .value(1))
        // The same process answers the next request within --timeout alone.
        #expect(try estimator.estimate(try Self.request(), id: 1) == .value(1))
    }
}
