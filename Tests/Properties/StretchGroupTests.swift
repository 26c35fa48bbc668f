import Testing
@testable import Reference

@Suite struct StretchGroupTests {
    static let primesBelow200 = Primes.inRange(2, 199)

    @Test func stretchGroupRejectsNonPrimes() {
        for d in [-7, 0, 1, 4, 9, 15, 21, 25, 91] {
            #expect(throws: ReferenceError.notPrime(d)) { try StretchGroup(d) }
        }
        #expect(ReferenceError.notPrime(9).description.contains("try 7 or 11"))
        let g = try! StretchGroup(7)
        #expect(throws: ReferenceError.notInGroup(element: 0, modulus: 7)) { try g.inverse(0) }
        #expect(throws: ReferenceError.notInGroup(element: 7, modulus: 7)) { try g.product(7, 1) }
    }

    @Test func stretchGroupAxiomsForEveryPrimeBelow200() throws {
        #expect(Self.primesBelow200.count == 46)
        for d in Self.primesBelow200 {
            let group = try StretchGroup(d)
            let sample = d <= 31 ? group.elements : [1, 2, d - 1, d / 2, d / 3 + 1]
            for g in sample {
                #expect(try group.product(g, 1) == g)  // identity
                #expect(try group.product(g, group.inverse(g)) == 1)  // inverse
                for h in sample {
                    let gh = try group.product(g, h)
                    #expect(group.contains(gh))  // closure
                    #expect(gh == (try group.product(h, g)))  // commutative
                    for k in sample.prefix(4) {  // associative
                        #expect(try group.product(gh, k) == (try group.product(g, group.product(h, k))))
                    }
                }
                let order = try group.elementOrder(g)
                #expect((d - 1) % order == 0)
                #expect(try group.power(g, order) == 1)
                #expect((1..<order).allSatisfy { (try? group.power(g, $0)) != 1 })
            }
            #expect(group.isCyclic)
            let root = group.smallestPrimitiveRoot
            #expect(Set((0..<(d - 1)).map { try! group.power(root, $0) }) == Set(group.elements))
            #expect((1..<root).allSatisfy { (try? group.elementOrder($0)) != d - 1 })
            for h in sample {
                let k = try group.discreteLogarithm(h)
                #expect(try group.power(root, k) == h && k >= 0 && k < d - 1)
            }
        }
    }

    @Test func knownPrimitiveRoots() throws {
        let known = [
            (2, 1), (3, 2), (5, 2), (7, 3), (11, 2), (13, 2), (17, 3), (19, 2), (23, 5), (41, 6), (71, 7), (191, 19),
        ]
        for (d, root) in known { #expect(try StretchGroup(d).smallestPrimitiveRoot == root) }
    }

    @Test func haarAverageIsTheUniformMean() throws {
        let group = try StretchGroup(7)
        #expect(group.haarAverage { Rational($0) } == (try Rational(7, 2)))
        // Left invariance: E_g f(h g) = E_g f(g).
        let f: (Int) -> Rational = { Rational($0 * $0 % 5) }
        for h in group.elements {
            #expect(group.haarAverage { f(try! group.product(h, $0)) } == group.haarAverage(f))
        }
    }

    /// Both actions are group actions: 1 acts trivially and (g·(h·k)) = (gh)·k; matrices are permutation matrices.
    @Test func bothActionsAreGroupActions() throws {
        for d in [2, 3, 5, 7, 11, 13] {
            let group = try StretchGroup(d)
            let signal = (0..<d).map { $0 * $0 + 1 }
            let signed = (0..<(2 * d - 1)).map { 3 * $0 + 2 }
            #expect(try group.stretch(signal, by: 1) == signal)
            #expect(try group.stretchSigned(signed, by: 1) == signed)
            for g in group.elements {
                let p = try group.indexPermutation(g), q = try group.signedIndexPermutation(g)
                #expect(p.matrix.allSatisfy { $0.reduce(0, +) == 1 })
                #expect((0..<d).allSatisfy { j in p.matrix.reduce(0) { $0 + $1[j] } == 1 })
                #expect(try p.composed(after: group.indexPermutation(group.inverse(g))) == .identity(d))
                #expect(try q.composed(after: group.signedIndexPermutation(group.inverse(g))) == .identity(2 * d - 1))
                #expect(q.images[group.signedPosition(0)] == group.signedPosition(0))
                for h in group.elements {
                    let gh = try group.product(g, h)
                    #expect(try group.stretch(group.stretch(signal, by: h), by: g) == group.stretch(signal, by: gh))
                    #expect(
                        try group.stretchSigned(group.stretchSigned(signed, by: h), by: g)
                            == group.stretchSigned(signed, by: gh))
                }
            }
        }
    }

    @Test func actionsIn2D() throws {
        let group = try StretchGroup2D(5, 3)
        let image = Array(0..<15), signed = Array(0..<(9 * 5))
        for g in 1..<5 {
            for h in 1..<3 {
                let once = try group.stretch(image, by: g, h)
                #expect(Set(once) == Set(image))
                #expect(try group.stretch(once, by: group.rows.inverse(g), group.columns.inverse(h)) == image)
                let s = try group.stretchSigned(signed, by: g, h)
                #expect(try group.stretchSigned(s, by: group.rows.inverse(g), group.columns.inverse(h)) == signed)
                #expect(s[0] == 0)
            }
        }
        #expect(throws: ReferenceError.self) { try group.stretch(Array(0..<14), by: 1, 1) }
        #expect(throws: ReferenceError.notPrime(4)) { try StretchGroup2D(5, 4) }
    }
}
