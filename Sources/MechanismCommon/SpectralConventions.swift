/// Which frequencies the average ⟨·⟩ runs over: one vocabulary for the exact Reference and the Double mirror.
public enum FrequencyAveraging: String, Sendable, CaseIterable, Codable {
    /// The paper's ⟨·⟩: the mean over the non-zero frequencies (eq. 7, eq. 8).
    case nonZero = "nonzero"
    /// The mean over all frequencies, the zero frequency included (eq. 17's reading).
    case all
}

/// The two readings of eq. (24)'s activation average ⟨(1/B) Σ|x̂_i(·)|²⟩ in the denominator (App. B.10).
public enum ActivationGrid: String, Sendable, CaseIterable, Codable {
    /// ⟨(1/B) Σ_i |x̂_i(su, sv)|²⟩ over the filter's n×n grid: the up-sampled activations, like the
    /// numerator (default; App. B.10's derivation).
    case upsampled
    /// ⟨(1/B) Σ_i |x̂_i(u, v)|²⟩ over the activations' own (n/s)×(n/s) grid, as eq. (24) is printed.
    case native
}
