import Foundation
import Reference

/// What an estimator answered for one case.
public enum EstimatorAnswer: Sendable, Equatable {
    case value(Double)
    /// Several values (the layer task's [Cout, Cin] matrix, flattened in C order).
    case values([Double])
    /// The estimator refused the input (e.g. "SDR undefined: zero kernel").
    case error(String)
}

/// Ways an estimator can fail to answer at all; each is a finding with the input that caused it.
public enum EstimatorFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The process exited (status, last lines of stderr).
    case crash(status: Int32, stderr: String)
    /// No answer within the per-request timeout (the process was killed and restarted); `firstRequest`: the
    /// request was the first of a fresh process, whose start-up counted against the time.
    case hang(seconds: Double, firstRequest: Bool = false)
    /// A line that is not a JSON object with an integer "id" and a "value" number or an "error" string.
    case garbage(String)
    /// An answer for another request.
    case wrongId(expected: Int, got: Int)
    /// The estimator could not be started at all.
    case cannotStart(String)

    public var description: String {
        switch self {
        case let .crash(status, stderr):
            return "the estimator process exited with status \(status)" + (stderr.isEmpty ? "" : "; stderr: \(stderr)")
        case let .hang(seconds, firstRequest):
            let startup =
                "; it was the first request of a fresh process, so the estimator's start-up (e.g. `import torch`, "
                + "1–3 s) counted against that time: if it is slow to start rather than stuck, give "
                + "--startup-timeout SECONDS"
            return "no answer within \(seconds) s (the process was killed and restarted)"
                + (firstRequest ? startup : "")
        case let .garbage(line): return "unparseable answer: \(line.prefix(200))"
        case let .wrongId(expected, got): return "answer for request \(got) when \(expected) was asked"
        case let .cannotStart(reason): return "cannot start the estimator: \(reason)"
        }
    }

    /// The kind of finding it makes.
    public var kind: FindingKind {
        switch self {
        case .crash: .crash
        case .hang: .hang
        case .garbage: .garbage
        case .wrongId: .wrongId
        case .cannotStart: .cannotStart
        }
    }
}

/// How an estimator misbehaved on a case; the raw value is the stable name in reports and file names.
public enum FindingKind: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// A relative error above the tolerance.
    case tolerance
    /// NaN or ±Inf.
    case nonFinite = "non-finite"
    /// A value where the SDR is undefined.
    case missedUndefined = "missed-undefined"
    /// An error where the SDR is defined.
    case unexpectedError = "unexpected-error"
    /// The wrong number of values.
    case wrongShape = "wrong-shape"
    /// The process exited.
    case crash
    /// No answer within the timeout.
    case hang
    /// Not a JSON answer.
    case garbage
    /// An answer to another request.
    case wrongId = "wrong-id"
    /// The command could not be started at all.
    case cannotStart = "cannot-start"
    /// A failure that did not replay in a fresh process (state kept across requests, or chance).
    case flaky

    public var description: String { rawValue }
}

/// An SDR estimator under test: Swift code in this process, or any program speaking the JSON-lines protocol.
public protocol Estimator: AnyObject {
    var name: String { get }
    /// The answer to one request asking for `convention`'s averaging and grid.
    func estimate(_ input: EstimatorCase, convention: SDRConvention, id: Int) throws(EstimatorFailure)
        -> EstimatorAnswer
    /// Forgets every state: the next request goes to a fresh process (nothing by default).
    func restart()
}

extension Estimator {
    public func restart() {}

    /// The answer under the paper's conventions.
    public func estimate(_ input: EstimatorCase, id: Int) throws(EstimatorFailure) -> EstimatorAnswer {
        try estimate(input, convention: .paper, id: id)
    }
}

/// An estimator written in Swift: a closure from the case to a Double, or to the values of a layer
/// (a thrown error is an `.error` answer).
public final class SwiftEstimator: Estimator {
    public let name: String
    let body: (EstimatorCase, SDRConvention) throws -> [Double]
    let reset: (() -> Void)?

    /// `reset` forgets the closure's state, as a fresh process would (`restart`). The closure answers every
    /// convention as the paper's.
    public init(name: String, reset: (() -> Void)? = nil, _ body: @escaping (EstimatorCase) throws -> Double) {
        self.name = name
        self.body = { input, _ in [try body(input)] }
        self.reset = reset
    }

    public init(name: String, reset: (() -> Void)? = nil, values body: @escaping (EstimatorCase) throws -> [Double]) {
        self.name = name
        self.body = { input, _ in try body(input) }
        self.reset = reset
    }

    /// A closure that reads the request's conventions.
    public init(
        name: String, reset: (() -> Void)? = nil,
        conventional body: @escaping (EstimatorCase, SDRConvention) throws -> [Double]
    ) {
        self.name = name
        self.body = body
        self.reset = reset
    }

    public func restart() { reset?() }

    public func estimate(_ input: EstimatorCase, convention: SDRConvention, id: Int) throws(EstimatorFailure)
        -> EstimatorAnswer
    {
        do {
            let values = try body(input, convention)
            return input.task.answersSeveralValues ? .values(values) : .value(values.first ?? .nan)
        } catch { return .error("\(error)") }
    }
}

/// A child process speaking the JSON-lines protocol on stdin/stdout: one request per line
/// ({"id", "task", inputs as numbers}), one answer per line ({"id", "value"} or {"id", "error"}).
/// A crash, a hang (per-request timeout; the first request of each fresh process may take `startupTimeout`
/// seconds more), garbage or a wrong id is a failure. After a crash, a hang or a wrong id the process is restarted;
/// after garbage (a line that is not an answer: a banner, a debugging print) it keeps running, and an answer to an
/// earlier request read later is skipped — so a chatty estimator costs no restart per case.
public final class ExternalEstimator: Estimator {
    public let name: String
    public let command: String
    public let timeout: Double
    /// Extra seconds the first request of each fresh process may take: the estimator's start-up.
    public let startupTimeout: Double
    private var process: Process?
    private var input: FileHandle?
    private var lines: LineQueue?
    private var errors: LineQueue?
    /// Answers received so far (over restarts): a command that fails before its first answer cannot start.
    private var answered = 0
    /// No answer read yet from the current process.
    private var justStarted = false
    /// Garbage was read from the current process since its last expected answer: an answer to an earlier request
    /// may still be on its way, and is skipped.
    private var resynchronising = false

    public init(command: String, timeout: Double = 10, startupTimeout: Double = 0) {
        self.name = command
        self.command = command
        self.timeout = timeout
        self.startupTimeout = startupTimeout
        signal(SIGPIPE, SIG_IGN)
    }

    deinit { stop() }

    public func restart() {
        stop()
        unanswered = []
    }

    /// Lines read by a background thread; `next(timeout:)` waits for one (nil on timeout, "" never).
    final class LineQueue: @unchecked Sendable {
        private let lock = NSLock()
        private let available = DispatchSemaphore(value: 0)
        private var lines: [String] = []
        private var tail: [String] = []
        private(set) var closed = false

        init(_ handle: FileHandle, keepTail: Bool = false) {
            let thread = Thread { [self] in
                var buffer = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    buffer.append(chunk)
                    while let newline = buffer.firstIndex(of: 10) {
                        let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                        buffer.removeSubrange(buffer.startIndex...newline)
                        push(line, keepTail: keepTail)
                    }
                }
                if !buffer.isEmpty { push(String(decoding: buffer, as: UTF8.self), keepTail: keepTail) }
                lock.lock(); closed = true; lock.unlock()
                available.signal()
            }
            thread.start()
        }

        private func push(_ line: String, keepTail: Bool) {
            lock.lock()
            if keepTail { tail.append(line); if tail.count > 5 { tail.removeFirst() } } else { lines.append(line) }
            lock.unlock()
            if !keepTail { available.signal() }
        }

        /// The next line, nil at end of stream or on timeout (`timedOut` tells which).
        func next(timeout: Double) -> (line: String?, timedOut: Bool) {
            let deadline = DispatchTime.now() + timeout
            while true {
                lock.lock()
                if !lines.isEmpty { let line = lines.removeFirst(); lock.unlock(); return (line, false) }
                if closed { lock.unlock(); available.signal(); return (nil, false) }
                lock.unlock()
                if available.wait(timeout: deadline) == .timedOut { return (nil, true) }
            }
        }

        var lastLines: String { lock.lock(); defer { lock.unlock() }; return tail.joined(separator: " | ") }
    }

    func start() throws(EstimatorFailure) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        // exec: the shell becomes the estimator, so the pid we kill is the estimator's own.
        p.arguments = ["-c", "exec " + command]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        p.standardError = stderr
        do { try p.run() } catch { throw .cannotStart("\(command): \(error)") }
        process = p
        justStarted = true
        input = stdin.fileHandleForWriting
        lines = LineQueue(stdout.fileHandleForReading)
        errors = LineQueue(stderr.fileHandleForReading, keepTail: true)
    }

    /// Closes the child's stdin (a well-behaved estimator exits on end of input), kills it if it is
    /// still running a second later (at once when `grace` is false: after a hang), and forgets it; the
    /// next request starts a new one. Every descendant is killed too: a shell script's `sleep` would
    /// otherwise hold the pipes open and outlive the estimator.
    public func stop(grace: Bool = true) {
        try? input?.close()
        if let p = process {
            let deadline = Date().addingTimeInterval(grace ? 1 : 0)
            while p.isRunning && Date() < deadline { usleep(10_000) }
            if p.isRunning {
                let family = Self.descendants(of: p.processIdentifier)
                kill(p.processIdentifier, SIGKILL)
                for pid in family { kill(pid, SIGKILL) }
            }
            p.waitUntilExit()
        }
        process = nil
        input = nil
        lines = nil
        errors = nil
        resynchronising = false
    }

    /// The pids descended from `root`, read from /proc/<pid>/stat (Linux; empty elsewhere).
    static func descendants(of root: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var children: [Int32: [Int32]] = [:]
        for entry in entries {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "(comm)": state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { children[parent, default: []].append(pid) }
        }
        var out: [Int32] = [], frontier = [root]
        while let next = frontier.popLast() {
            for child in children[next] ?? [] { out.append(child); frontier.append(child) }
        }
        return out
    }

    public func estimate(_ request: EstimatorCase, convention: SDRConvention, id: Int) throws(EstimatorFailure)
        -> EstimatorAnswer
    {
        send(request, convention: convention, id: id)
        return try receive(id: id)
    }

    /// Requests written and not yet answered, oldest first: several can be in flight (`send`, then `receive`).
    private var unanswered: [(id: Int, line: Data)] = []

    /// Bytes of the requests in flight. A caller keeps them under a pipe's buffer (64 KiB on Linux), so a write
    /// never blocks on a child that hangs without reading.
    public var bytesInFlight: Int { unanswered.reduce(0) { $0 + $1.line.count } }

    /// Writes a request without waiting for its answer. A child that exited by itself after its last answer is
    /// restarted first; when the process is gone (after a failure) the request is written by `receive`, with every
    /// other one in flight, to a new process.
    public func send(_ request: EstimatorCase, convention: SDRConvention = .paper, id: Int) {
        let line = Data((request.request(id: id, convention: convention).serialized() + "\n").utf8)
        if unanswered.isEmpty && process?.isRunning == false { stop() }
        unanswered.append((id, line))
        // A failed write (the child died) shows as the end of its output: a crash, read by `receive`.
        if process != nil, let input { try? input.write(contentsOf: line) }
    }

    /// The answer to the oldest request in flight, which must be `id`. After a failure the process is stopped, and
    /// the requests still in flight are written again to the next one.
    public func receive(id: Int) throws(EstimatorFailure) -> EstimatorAnswer {
        guard unanswered.first?.id == id else { throw .wrongId(expected: unanswered.first?.id ?? -1, got: id) }
        if process == nil {
            try start()
            for request in unanswered { try? input?.write(contentsOf: request.line) }
        }
        unanswered.removeFirst()
        guard let lines else { throw .cannotStart(command) }
        // The first answer of a process also waits for it to start (a Python import): the timeout again, or
        // `startupTimeout` when that is longer.
        let first = justStarted
        let wait = first ? timeout + max(timeout, startupTimeout) : timeout
        while true {
            let (line, timedOut) = lines.next(timeout: wait)
            justStarted = false
            if timedOut { stop(grace: false); throw .hang(seconds: wait, firstRequest: first) }
            guard let line else { throw crashed() }
            let answer: (id: Int, answer: EstimatorAnswer)
            do { answer = try Self.parse(line) } catch {
                resynchronising = true
                throw error
            }
            if resynchronising && answer.id < id { continue }  // the late answer to a request judged as garbage
            guard answer.id == id else { stop(); throw .wrongId(expected: id, got: answer.id) }
            resynchronising = false
            answered += 1
            return answer.answer
        }
    }

    /// The crash finding for a child whose stdout closed; the child is reaped.
    private func crashed() -> EstimatorFailure {
        process?.waitUntilExit()
        let status = process?.terminationStatus ?? -1
        let stderr = errors?.lastLines ?? ""
        stop()
        // The shell's 126/127 before any answer: the command cannot be run at all (not found, not executable).
        if answered == 0 && (status == 126 || status == 127) {
            return .cannotStart(
                "\(command): exit status \(status)" + (stderr.isEmpty ? "" : "; stderr: \(String(stderr.suffix(300)))"))
        }
        return .crash(status: status, stderr: String(stderr.suffix(500)))
    }

    static let nonFiniteToken = try! NSRegularExpression(pattern: #"(?<!["\w])(-?Infinity|NaN)(?!["\w])"#)

    /// Parses one answer line. Non-finite numbers, which Python's json module prints as bare
    /// NaN / Infinity, are accepted and returned as such (and judged as non-finite answers).
    static func parse(_ line: String) throws(EstimatorFailure) -> (id: Int, answer: EstimatorAnswer) {
        let range = NSRange(line.startIndex..., in: line)
        let patched = nonFiniteToken.stringByReplacingMatches(in: line, range: range, withTemplate: "\"$1\"")
        guard let json = try? JSONValue(parsing: patched), case .object = json else { throw .garbage(line) }
        guard case let .int(id)? = json["id"] else { throw .garbage(line) }
        /// A number, a non-finite token, or null (read as NaN).
        func number(_ v: JSONValue) -> Double? {
            switch v {
            case let .number(x): return x
            case let .int(x): return Double(x)
            case .string("NaN"), .null: return .nan
            case .string("Infinity"): return .infinity
            case .string("-Infinity"): return -.infinity
            default: return nil
            }
        }
        /// Nested arrays are flattened (C order), so a [Cout][Cin] matrix and a flat list are the same answer.
        func flatten(_ v: JSONValue) -> [Double]? {
            if case let .array(items) = v {
                var out: [Double] = []
                for item in items { guard let xs = flatten(item) else { return nil }; out += xs }
                return out
            }
            return number(v).map { [$0] }
        }
        if let value = json["value"] {
            if case .array = value {
                guard let xs = flatten(value) else { throw .garbage(line) }
                return (id, .values(xs))
            }
            guard let x = number(value) else { throw .garbage(line) }
            return (id, .value(x))
        }
        if case let .string(message)? = json["error"] { return (id, .error(message)) }
        throw .garbage(line)
    }
}
