/// Merging the JSON reports of a fuzzing campaign's shards (`oracle fuzz --shard i/n --json`) into the
/// report of the unsharded run (`oracle merge`). Works on the JSON, so it merges reports from other
/// machines and versions: unknown members are taken from shard 0's report.
public enum FuzzCampaign {
    /// Findings per kind: the one with the smallest case index (the unsharded run meets it first),
    /// occurrences summed; cases, undefined cases and family counts summed; the worst error is the maximum (ties: the
    /// smaller case index), and so is the case furthest beyond its budget (the largest `errorInBudgets`, ties: the
    /// smaller case index; null when no shard has one). Error quantiles are exact when every report carries its raw
    /// `errors` list; otherwise only `max` is kept and the others are null. Timing: seconds and the profile summed
    /// over the shards.
    public static func merge(_ reports: [JSONValue]) throws(CampaignError) -> JSONValue {
        guard !reports.isEmpty else { throw .noInput }
        struct Part { var shard: Shard; var json: JSONValue }
        var parts: [Part] = []
        for r in reports {
            guard case let .string(s)? = r["shard"] else { throw .malformed("fuzz report without 'shard'") }
            do { parts.append(Part(shard: try Shard(parsing: s), json: r)) } catch {
                throw .malformed(error.description)
            }
        }
        for key in ["seed", "task", "requestedCases", "tolerance", "precision", "budget", "estimator"] {
            let values = Array(Set(parts.map { $0.json[key]?.serialized() ?? "absent" })).sorted()
            guard values.count == 1 else {
                switch key {
                case "seed": throw .mixedSeeds(values)
                case "requestedCases": throw .mixedCaseCounts(values)
                default: throw .mixedRuns("'\(key)' differs: \(values.joined(separator: ", "))")
                }
            }
        }
        let counts = Array(Set(parts.map(\.shard.count))).sorted()
        guard counts.count == 1 else { throw .mixedShardCounts(counts) }
        let n = counts[0]
        var seen = Set<Int>()
        for p in parts { guard seen.insert(p.shard.index).inserted else { throw .duplicateShard(p.shard.index) } }
        // Indices are distinct and below n, so n reports are all of them (n may be near Int.max: never loop to n).
        guard parts.count == n else { throw .missingShards(CampaignError.missing(from: seen, count: n), of: n) }
        parts.sort { $0.shard.index < $1.shard.index }
        let docs = parts.map(\.json)

        /// A count of a report or finding (0 when absent): non-negative, and the shards' counts must add up
        /// within Int.
        func int(_ j: JSONValue, _ key: String) throws(CampaignError) -> Int {
            guard let v = j[key] else { return 0 }
            guard case let .int(n) = v, n >= 0 else { throw .malformed("'\(key)' must be a non-negative integer") }
            return n
        }
        func sum(_ a: Int, _ b: Int, _ key: String) throws(CampaignError) -> Int {
            let (total, overflow) = a.addingReportingOverflow(b)
            guard !overflow else { throw .malformed("the shards' '\(key)' add up to more than \(Int.max)") }
            return total
        }
        func total(_ key: String) throws(CampaignError) -> Int {
            var t = 0
            for d in docs { t = try sum(t, try int(d, key), key) }
            return t
        }
        func number(_ j: JSONValue?) -> Double? {
            switch j {
            case let .number(d)?: d;
            case let .int(i)?: Double(i);
            case .string("Infinity")?: .infinity  // how JSONValue writes an infinite E/B (a zero --tolerance)
            default: nil
            }
        }
        // Worst error: the maximum, ties to the smaller case index.
        var worst: (error: Double, index: Int, member: JSONValue)?
        for d in docs {
            guard let e = number(d["worstRelativeError"]), let w = d["worstCase"], case let .int(i)? = w["caseIndex"]
            else { continue }
            if worst == nil || e > worst!.error || (e == worst!.error && i < worst!.index) { worst = (e, i, w) }
        }
        // The case furthest beyond its budget: the largest E/B, ties to the smaller case index.
        var furthest: (ratio: Double, index: Int, member: JSONValue)?
        for d in docs {
            guard let w = d["worstInBudgets"], let r = number(w["errorInBudgets"]), case let .int(i)? = w["caseIndex"]
            else { continue }
            if furthest == nil || r > furthest!.ratio || (r == furthest!.ratio && i < furthest!.index) {
                furthest = (r, i, w)
            }
        }
        // Findings: per kind, the earliest case; occurrences summed; in order of first occurrence.
        var findings: [String: (index: Int, finding: JSONValue, occurrences: Int)] = [:]
        for d in docs {
            guard case let .array(items)? = d["findings"] else { continue }
            for f in items {
                guard case let .string(kind)? = f["kind"], case let .int(i)? = f["caseIndex"] else {
                    throw .malformed("a finding needs 'kind' and 'caseIndex'")
                }
                let occurrences = try int(f, "occurrences")
                if let known = findings[kind] {
                    let all = try sum(known.occurrences, occurrences, "occurrences")
                    findings[kind] = i < known.index ? (i, f, all) : (known.index, known.finding, all)
                } else {
                    findings[kind] = (i, f, occurrences)
                }
            }
        }
        let mergedFindings: [JSONValue] = findings.values.sorted { $0.index < $1.index }.map { entry in
            guard case var .object(members) = entry.finding else { return entry.finding }
            if let k = members.firstIndex(where: { $0.key == "occurrences" }) {
                members[k].value = .int(entry.occurrences)
            }
            return .object(members)
        }
        // Quantiles: exact from the raw error lists when every shard has one.
        var errors: [Double]?
        if docs.allSatisfy({ if case .array? = $0["errors"] { true } else { false } }) {
            errors = docs.flatMap { d -> [Double] in
                guard case let .array(items)? = d["errors"] else { return [] }
                return items.compactMap { number($0) }
            }.sorted()
        }
        /// The rule of `FuzzReport.quantile`: the sorted list at index ⌈q(n−1)⌉.
        func quantile(_ q: Double) -> JSONValue {
            guard let errors, !errors.isEmpty else { return .null }
            return .number(errors[min(errors.count - 1, Int((q * Double(errors.count - 1)).rounded(.up)))])
        }
        let maxima = docs.compactMap { number($0["quantiles"]?["max"]) }
        let quantiles: JSONValue =
            errors != nil
            ? .object(["p50": quantile(0.5), "p90": quantile(0.9), "p99": quantile(0.99), "max": quantile(1)])
            : .object(["p50": .null, "p90": .null, "p99": .null, "max": maxima.max().map(JSONValue.number) ?? .null])
        let cases = try total("cases"), undefinedCases = try total("undefinedCases")
        // Coverage: each family's count summed over the shards.
        var families: [String: Int] = [:]
        for d in docs {
            guard case let .object(members)? = d["families"] else { continue }
            for m in members {
                families[m.key] = try sum(families[m.key] ?? 0, try int(.object([m]), m.key), "families")
            }
        }
        let seconds = docs.reduce(0.0) { $0 + (number($1["timing"]?["seconds"]) ?? 0) }
        var profile = FuzzProfile()
        for d in docs { profile += FuzzProfile(json: d["timing"]?["profile"]) }

        guard case let .object(template) = docs[0] else { throw .malformed("a fuzz report is a JSON object") }
        var members: [JSONValue.Member] = []
        for m in template {
            let value: JSONValue
            switch m.key {
            case "shard": value = .string(Shard.whole.description)
            case "cases": value = .int(cases)
            case "undefinedCases": value = .int(undefinedCases)
            case "families": value = .object(families.keys.sorted().map { .init($0, .int(families[$0]!)) })
            case "worstRelativeError": value = worst.map { .number($0.error) } ?? .null
            case "worstCase": value = worst?.member ?? .null
            case "worstInBudgets": value = furthest?.member ?? .null
            case "quantiles": value = quantiles
            case "findings": value = .array(mergedFindings)
            case "stoppedEarly": value = docs.lazy.compactMap { $0["stoppedEarly"] }.first { $0 != .null } ?? .null
            case "errors": value = .array((errors ?? []).map(JSONValue.number))
            case "timing":
                value = .object([
                    "seconds": .number(seconds), "casesPerSecond": .number(seconds > 0 ? Double(cases) / seconds : 0),
                    "profile": profile.json,
                ])
            default: value = m.value
            }
            members.append(.init(m.key, value))
        }
        return .object(members)
    }

    /// A few lines for the terminal.
    public static func summary(_ report: JSONValue) -> String {
        var lines: [String] = []
        if case let .string(e)? = report["estimator"] { lines.append("estimator: \(e)") }
        let task: String = if case let .string(t)? = report["task"] { t } else { "?" }
        let cases: String = report["cases"]?.serialized() ?? "?"
        lines.append("task: \(task), \(cases) cases (merged)")
        if case let .string(rule)? = report["budget"] { lines.append("judged by: \(rule)") }
        if let w = report["worstRelativeError"], w != .null {
            let c = report["worstCase"]
            let reading =
                c?["errorInBudgets"].map {
                    " (κ = \(c?["conditionNumber"]?.serialized() ?? "?"), E/B = \($0.serialized()))"
                }
                ?? ""
            lines.append("worst relative error: \(w.serialized())\(reading)")
        }
        if let f = report["worstInBudgets"], f != .null {
            func text(_ key: String) -> String { f[key]?.serialized() ?? "?" }
            lines.append(
                "worst in budgets: E/B = \(text("errorInBudgets")) at case \(text("caseIndex")) (relative error "
                    + "\(text("relativeError")), κ = \(text("conditionNumber")), budget \(text("budget")))")
        }
        if let q = report["quantiles"] { lines.append("relative error quantiles: \(q.serialized())") }
        if case let .array(findings)? = report["findings"] {
            if findings.isEmpty { lines.append("no findings") }
            for f in findings {
                lines.append(
                    "finding [\(f["kind"]?.serialized() ?? "")] ×\(f["occurrences"]?.serialized() ?? "?") at case "
                        + "\(f["caseIndex"]?.serialized() ?? "?"): \(f["message"]?.serialized() ?? "")"
                )
            }
        }
        return lines.joined(separator: "\n")
    }
}
