import Reference

/// 003, App. B, Lemmas B.1–B.3, checked symbolically on a three-variable latent additive noise model with
/// polynomial mechanisms: z₁ = n₁, z₂ = g₂(z₁, u) + n₂, z₃ = g₃(z₁, z₂, u) + n₃ (variables n₁…n₃ or
/// z₁…z₃ are x₀…x₂, u is x₃).
extension LNCMClaims {
    typealias Polynomial = MultivariatePolynomial

    static func constant(_ k: Int) -> Polynomial { Polynomial(Rational(k)) }
    static var u: Polynomial { .variable(3) }
    static var coordinates: [Polynomial] { (0..<3).map { Polynomial.variable($0) } }

    /// g₂(z₁, u) = (u − 3) z₁² + u²: condition (iv) holds for z₁ → z₂ at u* = 3.
    static func g2(_ z1: Polynomial, _ u: Polynomial) -> Polynomial { (u - constant(3)) * z1 * z1 + u * u }

    /// g₃(z₁, z₂, u) = (u − 1) z₁² + (u − 2) z₂² + u: condition (iv) at u* = 1 (z₁ → z₃) and u* = 2 (z₂ → z₃).
    static func g3(_ z1: Polynomial, _ z2: Polynomial, _ u: Polynomial) -> Polynomial {
        (u - constant(1)) * z1 * z1 + (u - constant(2)) * z2 * z2 + u
    }

    /// Each edge (child i, parent j) with the u* of condition (iv).
    static let edges: [(child: Int, parent: Int, uStar: Int)] = [(1, 0, 3), (2, 0, 1), (2, 1, 2)]

    /// z = G(n, u) (eq. 9).
    static func forward(_ n: [Polynomial], _ u: Polynomial) -> [Polynomial] {
        let z1 = n[0]
        let z2 = g2(z1, u) + n[1]
        return [z1, z2, g3(z1, z2, u) + n[2]]
    }

    /// n = G⁻¹(z, u): n_i = z_i − g_i(pa_i, u).
    static func backward(_ z: [Polynomial], _ u: Polynomial) -> [Polynomial] {
        [z[0], z[1] - g2(z[0], u), z[2] - g3(z[0], z[1], u)]
    }

    /// An injective mixing with a non-constant Jacobian determinant (1 + 3z₁²)(1 + 3z₂²):
    /// f(z) = (z₁ + z₁³, z₂ + z₂³ + z₁, z₃ + z₁z₂), triangular with increasing diagonal maps.
    static func mixingMap(_ z: [Polynomial]) -> [Polynomial] {
        [z[0] + z[0].power(3), z[1] + z[1].power(3) + z[0], z[2] + z[0] * z[1]]
    }

    static var lemmaB1: [ClaimReading] {
        [
            .identity(
                id: "lncm.lemB1", reading: "printed",
                statement:
                    "G: n ↦ z (eq. 9) is invertible, G⁻¹(z) = (z_i − g_i(pa_i, u))_i, and |J_G| = 1: symbolically, for "
                    + "polynomial g₂, g₃ depending on u.",
                expected: .holds,
                decide: {
                    let z = forward(coordinates, u)
                    let det = try PolynomialJacobian.determinant(PolynomialJacobian.jacobian(z, variables: [0, 1, 2]))
                    let inverts = backward(z, u) == coordinates
                    let account = JSONValue.object(["det J_G": .string("\(det)"), "G⁻¹∘G = id": .bool(inverts)])
                    return (det == constant(1) && inverts, account)
                })
        ]
    }

    /// |J_{f∘G}|(n, u) and |J_f|(G(n, u)).
    static func composedDeterminants() throws -> (composed: Polynomial, atG: Polynomial) {
        let z = forward(coordinates, u)
        let composed = try PolynomialJacobian.determinant(
            PolynomialJacobian.jacobian(mixingMap(z), variables: [0, 1, 2]))
        let jf = try PolynomialJacobian.determinant(
            PolynomialJacobian.jacobian(mixingMap(coordinates), variables: [0, 1, 2]))
        return (composed, try PolynomialJacobian.compose(jf, z + [u]))
    }

    static var lemmaB2: [ClaimReading] {
        [
            .identity(
                id: "lncm.lemB2", reading: "printed",
                statement:
                    "|J_{f∘G}| = |J_f||J_G| = |J_f| (at z = G(n, u)), so |J_{(f∘G)⁻¹}|(x) = |J_{f⁻¹}|(x), a function "
                    + "of x alone: symbolically, f(z) = (z₁ + z₁³, z₂ + z₂³ + z₁, z₃ + z₁z₂).",
                expected: .holds,
                decide: {
                    let (composed, atG) = try composedDeterminants()
                    return (composed == atG, .object(["|J_{f∘G}| − |J_f|∘G": .string("\(composed - atG)")]))
                }),
            .identity(
                id: "lncm.lemB2", reading: "printed-in-n",
                statement: "|J_{f∘G}|, as a function of the noise n, does not depend on u.",
                expected: .refuted,
                decide: {
                    let (composed, _) = try composedDeterminants()
                    return (
                        !PolynomialJacobian.depends(composed, on: 3),
                        .object(["|J_{f∘G}|(n, u)": .string("\(composed)")])
                    )
                }),
        ]
    }

    static var lemmaB3: [ClaimReading] {
        [
            .identity(
                id: "lncm.lemB3", reading: "printed",
                statement:
                    "∂n_i/∂z_j = −∂g_i/∂z_j for every edge j → i, so under (iv) the entry vanishes at u = u*: "
                    + "symbolically, for g₂, g₃ with (iv) at u* = 3, 1, 2.",
                expected: .holds,
                decide: {
                    let n = backward(coordinates, u)
                    let g = [Polynomial(), g2(coordinates[0], u), g3(coordinates[0], coordinates[1], u)]
                    var holds = true
                    var rows: [JSONValue] = []
                    for e in edges {
                        let entry = n[e.child].derivative(e.parent)
                        let atUStar = try PolynomialJacobian.compose(entry, coordinates + [constant(e.uStar)])
                        let ok = entry == -g[e.child].derivative(e.parent) && atUStar.isZero
                        holds = holds && ok
                        let name = "∂n\(e.child + 1)/∂z\(e.parent + 1) = \(entry)"
                        rows.append(.object(["entry": .string(name), "ok": .bool(ok)]))
                    }
                    return (holds, .array(rows))
                })
        ]
    }
}
