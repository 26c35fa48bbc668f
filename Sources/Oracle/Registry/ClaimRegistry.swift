import Reference

/// Every registered reading, in the catalogue's order (claims/CLAIMS.md).
public enum ClaimRegistry {
    /// The sections, in the catalogue's order; each registers its readings from one list.
    public static let sections: [any ClaimSection.Type] = [
        BackgroundClaims.self, FourierClaims.self, SolutionSetClaims.self, GenericityClaims.self, LearningClaims.self,
        StatClaims.self, FastCrossChecks.self, TrainingCrossChecks.self, EstimatorClaims.self,
        ReferenceCrossChecks.self, ICClaims.self, LNCMClaims.self,
        CAGEClaims.self,
    ]

    public static let all: [ClaimReading] = sections.flatMap { $0.readings }

    /// The claim ids, in order, without repetition.
    public static var ids: [String] {
        var seen = Set<String>()
        return all.map(\.id).filter { seen.insert($0).inserted }
    }

    /// The readings of the given ids (all when empty); unknown ids are a typed error naming the closest ones.
    public static func readings(for ids: [String]) throws(RegistryError) -> [ClaimReading] {
        if ids.isEmpty { return all }
        let known = Set(self.ids)
        for id in ids where !known.contains(id) && !all.contains(where: { $0.label == id }) {
            throw .unknownClaim(id, closest: closest(to: id))
        }
        return all.filter { reading in ids.contains(reading.id) || ids.contains(reading.label) }
    }

    /// The three known ids nearest to `id` by edit distance.
    public static func closest(to id: String) -> [String] {
        ids.map { ($0, editDistance(Array(id), Array($0))) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}

/// A part of the catalogue, one file of `Sources/Oracle/Claims` (or `CrossChecks`): its readings are
/// registered from one list, `readings`.
public protocol ClaimSection {
    static var title: String { get }
    static var readings: [ClaimReading] { get }
}

public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownClaim(String, closest: [String])

    public var description: String {
        switch self {
        case let .unknownClaim(id, closest):
            return
                "unknown claim id \"\(id)\"; the closest ids are: \(closest.joined(separator: ", ")) (run `oracle "
                + "list` for all)"
        }
    }
}
