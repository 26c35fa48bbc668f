/// The stretching group S = Z_d^* for prime d (App. B.5, fn. 13): {1,…,d−1} under multiplication mod d.
public struct StretchGroup: Sendable, Hashable, CustomStringConvertible {
    /// The prime modulus d.
    public let modulus: Int

    /// Z_d^*; a non-prime d is a typed error naming d.
    public init(_ d: Int) throws(ReferenceError) {
        guard Primes.isPrime(d) else { throw .notPrime(d) }
        guard d <= 3_037_000_499 else {
            throw .invalidArgument("d = \(d) is too large: products mod d must fit in 64 bits")
        }
        modulus = d
    }

    public var description: String { "Z_\(modulus)^*" }

    /// |S| = d − 1.
    public var order: Int { modulus - 1 }

    /// The elements 1, …, d − 1.
    public var elements: [Int] { Array(1..<modulus) }

    public func contains(_ g: Int) -> Bool { g >= 1 && g < modulus }

    func validated(_ g: Int) throws(ReferenceError) -> Int {
        guard contains(g) else { throw .notInGroup(element: g, modulus: modulus) }
        return g
    }

    /// g·h mod d.
    public func product(_ g: Int, _ h: Int) throws(ReferenceError) -> Int {
        (try validated(g) * (try validated(h))) % modulus
    }

    /// g^e mod d for any integer e (negative exponents through the inverse).
    public func power(_ g: Int, _ e: Int) throws(ReferenceError) -> Int {
        var base = try validated(g)
        var exponent = Primes.mod(e, order)
        var result = 1
        while exponent > 0 {
            if exponent & 1 == 1 { result = result * base % modulus }
            base = base * base % modulus
            exponent >>= 1
        }
        return result
    }

    /// g^{−1} mod d (extended Euclid).
    public func inverse(_ g: Int) throws(ReferenceError) -> Int {
        var (r0, r1) = (modulus, try validated(g))
        var (t0, t1) = (0, 1)
        while r1 != 0 {
            let q = r0 / r1
            (r0, r1) = (r1, r0 - q * r1)
            (t0, t1) = (t1, t0 - q * t1)
        }
        return Primes.mod(t0, modulus)
    }

    /// The order of g: the least k ≥ 1 with g^k = 1. It divides d − 1 (Lagrange).
    public func elementOrder(_ g: Int) throws(ReferenceError) -> Int {
        let g = try validated(g)
        var k = order
        for p in Primes.primeFactors(order) {
            while k % p == 0, try power(g, k / p) == 1 { k /= p }
        }
        return k
    }

    /// The smallest primitive root: the least g of order d − 1.
    public var smallestPrimitiveRoot: Int {
        // Z_d^* is cyclic, so a generator exists; the loop always returns.
        for g in elements where (try? elementOrder(g)) == order { return g }
        return 1
    }

    /// Whether some element generates the whole group (always true for prime d; computed, not assumed).
    public var isCyclic: Bool {
        elements.contains { (try? elementOrder($0)) == order }
    }

    /// The discrete logarithm of h to the base of a primitive root r: the k in 0..<d−1 with r^k = h.
    public func discreteLogarithm(_ h: Int, base r: Int? = nil) throws(ReferenceError) -> Int {
        let h = try validated(h)
        let root = try r.map { (x: Int) throws(ReferenceError) -> Int in try validated(x) } ?? smallestPrimitiveRoot
        guard try elementOrder(root) == order else {
            throw .invalidArgument(
                "\(root) is not a primitive root of \(self): its order is \(try elementOrder(root)), not \(order)")
        }
        // Baby-step giant-step.
        let m = Int(Double(order).squareRoot().rounded(.up)) + 1
        var table: [Int: Int] = [:]
        var value = 1
        for j in 0..<m {
            if table[value] == nil { table[value] = j }
            value = value * root % modulus
        }
        let giant = try power(try inverse(root), m)
        var gamma = h
        for i in 0..<m {
            if let j = table[gamma] { return (i * m + j) % order }
            gamma = gamma * giant % modulus
        }
        throw .invalidArgument("no discrete logarithm of \(h) to base \(root) mod \(modulus)")
    }

    /// The Haar average (uniform mean over S) of a rational function on the group (App. B.2).
    public func haarAverage(_ f: (Int) throws -> Rational) rethrows -> Rational {
        var sum = Rational.zero
        for g in elements { sum += try f(g) }
        return sum.divided(byNonZero: order)
    }
}

/// A permutation of 0..<n given by its images: index i ↦ images[i].
public struct Permutation: Sendable, Hashable, CustomStringConvertible {
    public let images: [Int]

    /// A typed error unless `images` is a bijection of 0..<n.
    public init(images: [Int]) throws(ReferenceError) {
        var seen = [Bool](repeating: false, count: images.count)
        for i in images {
            guard i >= 0 && i < images.count && !seen[i] else {
                throw .invalidArgument("\(images) is not a permutation of 0..<\(images.count)")
            }
            seen[i] = true
        }
        self.images = images
    }

    public var size: Int { images.count }

    public static func identity(_ n: Int) -> Permutation { try! Permutation(images: Array(0..<n)) }

    /// (self ∘ other)(i) = self(other(i)).
    public func composed(after other: Permutation) throws(ReferenceError) -> Permutation {
        guard size == other.size else { throw .shapeMismatch("permutations of sizes \(size) and \(other.size)") }
        return try Permutation(images: other.images.map { images[$0] })
    }

    public var inverse: Permutation {
        var result = [Int](repeating: 0, count: size)
        for (i, j) in images.enumerated() { result[j] = i }
        return try! Permutation(images: result)
    }

    /// The permutation matrix M with (M x)[i] = x[images[i]] — i.e. M[i][images[i]] = 1.
    public var matrix: [[Int]] {
        images.map { j in (0..<size).map { $0 == j ? 1 : 0 } }
    }

    /// Reindexes a signal: result[i] = x[images[i]] (the matrix acting on x).
    public func reindex<T>(_ x: [T]) throws(ReferenceError) -> [T] {
        guard x.count == size else {
            throw .shapeMismatch("a signal of length \(x.count) under a permutation of \(size) indices")
        }
        return images.map { x[$0] }
    }

    public var description: String { "(" + images.map(String.init).joined(separator: " ") + ")" }
}

/// The two actions of S on kernels used by the paper (Sec. 2.4, App. B.5).
extension StretchGroup {
    /// (a) On Z_d: the index map m ↦ g·m mod d, so that (g·k)[m] = k[g m mod d] (Sec. 2.4).
    public func indexPermutation(_ g: Int) throws(ReferenceError) -> Permutation {
        let g = try validated(g)
        return try Permutation(images: (0..<modulus).map { $0 * g % modulus })
    }

    /// Maps a signed index i ∈ {−d+1,…,d−1} to sign(i)·(g|i| mod d) (App. B.5).
    public func stretchSignedIndex(_ i: Int, by g: Int) throws(ReferenceError) -> Int {
        let g = try validated(g)
        guard abs(i) < modulus else {
            throw .invalidArgument("signed index \(i) outside {−\(modulus - 1),…,\(modulus - 1)}")
        }
        let image = abs(i) * g % modulus
        return i < 0 ? -image : image
    }

    /// Position p ∈ 0..<2d−1 of a signed index i under the tuple order {−d+1,…,0,…,d−1}: p = i + d − 1.
    public func signedPosition(_ i: Int) -> Int { i + modulus - 1 }

    /// (b) App. B.5's action on the 2d−1 signed indices as a permutation of tuple positions:
    /// position of i ↦ position of g·i (sign kept, magnitude multiplied mod d).
    public func signedIndexPermutation(_ g: Int) throws(ReferenceError) -> Permutation {
        let images = try (-(modulus - 1)...(modulus - 1)).map { (i: Int) throws(ReferenceError) -> Int in
            signedPosition(try stretchSignedIndex(i, by: g))
        }
        return try Permutation(images: images)
    }

    /// (g·k)[m] = k[g m mod d] for a signal of length d.
    public func stretch<T>(_ signal: [T], by g: Int) throws(ReferenceError) -> [T] {
        guard signal.count == modulus else {
            throw .shapeMismatch("a signal of length \(signal.count) under \(self): the length must be d = \(modulus)")
        }
        return try indexPermutation(g).reindex(signal)
    }

    /// The signed-domain stretch of a signal of length 2d−1 stored in circular order
    /// (index j ∈ 0..<2d−1 holds signed index j for j ≤ d−1 and j − (2d−1) above):
    /// (g·k)(i) = k(sign(i)·(g|i| mod d)).
    public func stretchSigned<T>(_ signal: [T], by g: Int) throws(ReferenceError) -> [T] {
        let n = 2 * modulus - 1
        guard signal.count == n else {
            throw .shapeMismatch(
                "a signal of length \(signal.count) on the signed domain: the length must be 2d−1 = \(n)")
        }
        return try (0..<n).map { (j: Int) throws(ReferenceError) -> T in
            let signed = j <= modulus - 1 ? j : j - n
            let image = try stretchSignedIndex(signed, by: g)
            return signal[Primes.mod(image, n)]
        }
    }
}

/// The 2D stretching action (g, g′) ∈ Z_d^* × Z_{d′}^* on d×d′ (row-major) or (2d−1)×(2d′−1) kernels.
public struct StretchGroup2D: Sendable, Hashable {
    public let rows: StretchGroup
    public let columns: StretchGroup

    public init(_ d: Int, _ dPrime: Int) throws(ReferenceError) {
        rows = try StretchGroup(d)
        columns = try StretchGroup(dPrime)
    }

    /// (g·k)(m, n) = k(g m mod d, g′ n mod d′) on a d×d′ image stored row-major.
    public func stretch<T>(_ image: [T], by g: Int, _ gPrime: Int) throws(ReferenceError) -> [T] {
        let (d, e) = (rows.modulus, columns.modulus)
        guard image.count == d * e else {
            throw .shapeMismatch("an image of \(image.count) values under the stretch of \(d)×\(e) images")
        }
        let pr = try rows.indexPermutation(g), pc = try columns.indexPermutation(gPrime)
        var result: [T] = []
        result.reserveCapacity(image.count)
        for m in 0..<d { for n in 0..<e { result.append(image[pr.images[m] * e + pc.images[n]]) } }
        return result
    }

    /// The signed-domain stretch on a (2d−1)×(2d′−1) image in circular order (Model 1's domain).
    public func stretchSigned<T>(_ image: [T], by g: Int, _ gPrime: Int) throws(ReferenceError) -> [T] {
        let (r, c) = (2 * rows.modulus - 1, 2 * columns.modulus - 1)
        guard image.count == r * c else {
            throw .shapeMismatch("an image of \(image.count) values on the signed domain: it must be \(r)×\(c)")
        }
        let rowMap = try rows.stretchSigned(Array(0..<r), by: g)
        let columnMap = try columns.stretchSigned(Array(0..<c), by: gPrime)
        var result: [T] = []
        result.reserveCapacity(image.count)
        for m in 0..<r { for n in 0..<c { result.append(image[rowMap[m] * c + columnMap[n]]) } }
        return result
    }

    /// The permutation of row-major positions of a d×d′ image.
    public func indexPermutation(_ g: Int, _ gPrime: Int) throws(ReferenceError) -> Permutation {
        try Permutation(images: stretch(Array(0..<(rows.modulus * columns.modulus)), by: g, gPrime))
    }

    /// The permutation of row-major positions of a (2d−1)×(2d′−1) image.
    public func signedIndexPermutation(_ g: Int, _ gPrime: Int) throws(ReferenceError) -> Permutation {
        let count = (2 * rows.modulus - 1) * (2 * columns.modulus - 1)
        return try Permutation(images: stretchSigned(Array(0..<count), by: g, gPrime))
    }
}
