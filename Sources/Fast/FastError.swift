/// Typed errors of the Fast mirror: every bad input is reported, never a trap or a silent NaN.
public enum FastError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An empty shape or an empty array (`what` names it and its shape).
    case emptyShape(String)
    /// Shapes that do not fit together, or a value count that does not match a shape.
    case shapeMismatch(String)
    /// A NaN or ±Inf in an input: the input's name, its shape and the flat index of the first one.
    case nonFinite(name: String, shape: [Int], index: Int)
    /// A stride s that does not divide the output map n (eq. 24 needs maps of n/s).
    case strideDoesNotDivide(map: Int, stride: Int)
    /// A kernel larger than the map it is zero-padded to.
    case kernelLargerThanMap(kernel: [Int], map: [Int])
    /// A zero kernel (or one with no power at the averaged frequencies): the SDR is 0/0.
    case zeroKernel(String)
    /// Another quantity the SDR divides by vanishes (e.g. activations with no power).
    case undefined(String)
    /// An argument out of range (stride < 1, a bin edge list that is not increasing, …).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .emptyShape(s): return "empty shape: \(s)"
        case let .shapeMismatch(s): return "shape mismatch: \(s)"
        case let .nonFinite(name, shape, index):
            return "\(name) (shape \(shape)) holds a NaN or an infinity at flat index \(index)"
        case let .strideDoesNotDivide(map, stride):
            return "the stride \(stride) does not divide the map size \(map) (eq. 24 needs maps of size n/s)"
        case let .kernelLargerThanMap(kernel, map):
            return "a kernel of shape \(kernel) is larger than the map \(map) it is zero-padded to"
        case let .zeroKernel(s): return "SDR undefined: \(s)"
        case let .undefined(s): return "undefined: \(s)"
        case let .invalidArgument(s): return "invalid argument: \(s)"
        }
    }

    /// Throws `.nonFinite` naming the first NaN or ±Inf. Fast path: Σ 0·x over SIMD8 blocks is 0 exactly
    /// when every x is finite (0·±Inf and 0·NaN are NaN); the scalar scan runs only to name the index.
    static func requireFinite(_ values: UnsafeBufferPointer<Double>, _ name: String, _ shape: [Int]) throws(FastError) {
        guard let base = values.baseAddress else { return }
        var probe = SIMD8<Double>.zero
        let blocks = values.count / 8
        for k in 0..<blocks { probe += 0 * UnsafeRawPointer(base + 8 * k).loadUnaligned(as: SIMD8<Double>.self) }
        for i in (8 * blocks)..<values.count { probe[0] += 0 * values[i] }
        if probe == .zero { return }
        for i in 0..<values.count where !values[i].isFinite {
            throw .nonFinite(name: name, shape: shape, index: i)
        }
    }

    static func requireFinite(_ values: [Double], _ name: String, _ shape: [Int]) throws(FastError) {
        try values.withUnsafeBufferPointer { (v) throws(FastError) in try requireFinite(v, name, shape) }
    }

    /// Shape sides ≥ 1 and a matching count.
    static func requireShape(_ count: Int, _ shape: [Int], _ name: String) throws(FastError) {
        guard !shape.isEmpty, shape.allSatisfy({ $0 >= 1 }) else {
            throw .emptyShape("\(name) has shape \(shape); every side must be at least 1")
        }
        guard let expected = SizeLimit.product(shape), expected == count else {
            let size = SizeLimit.product(shape).map { "\($0) values" } ?? "more values than Int.max"
            throw .shapeMismatch("\(name) has shape \(shape), so \(size), but \(count) were given")
        }
    }
}
