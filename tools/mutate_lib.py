#!/usr/bin/env python3
"""Helpers for tools/mutate.sh: the mutant catalogue, applying and restoring mutants, reading the results of
`oracle check --json` and `swift test`, and writing the report. Standard library only.

Subcommands (all paths explicit; mutate.sh is the user interface):
  list CATALOGUE [ID ...]                 ids in catalogue order (the named ones, checked to exist)
  describe CATALOGUE [ID ...]             one line per mutant: id, file, kind, slip
  validate CATALOGUE ROOT [ID ...]        every original snippet occurs exactly once in ROOT/file
  sync REPO WORKDIR                       copy the repository's files (tracked + untracked, not ignored) into
                                          WORKDIR, only those whose content differs; delete the others (.build kept)
  apply CATALOGUE ROOT ID STATE           back up the file into STATE and write the mutant (fails loudly
                                          unless the snippet occurs exactly once)
  restore ROOT STATE                      put back the backed-up file, if a mutant is applied
  snapshot REPO ROOT STATE                save the repository's files as they are in ROOT (the state to return to)
  revert ROOT STATE [dry-run|drop]        undo every change to them since (e.g. corpus entries swift test saved);
                                          dry-run: only list them; drop: delete the snapshot
  check-result JSON EXIT SECONDS          classify one `oracle check --no-corpus --json` run -> JSON on stdout
  test-result LOG EXIT SECONDS [BASELINE] classify one `swift test` run -> JSON on stdout (tests failing in the
                                          BASELINE result JSON too are not killers)
  report CATALOGUE RESULTS OUT.md         the table and the kill rates, from RESULTS/<ID>.json
"""
import datetime
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys


# ───────────────────────────── catalogue ─────────────────────────────

class CatalogueError(Exception):
    pass


def parse_catalogue(path):
    """Blocks `=== ID`, `key: value` lines, `--- original` / `--- replacement` verbatim snippets."""
    mutants, current, section, lines = [], None, None, []

    def close_section():
        nonlocal section, lines
        if current is not None and section is not None:
            # Blank lines and '# ' comment lines between a snippet and the next block are not part of it.
            while lines and (lines[-1].strip() == "" or re.match(r"#(\s|$)", lines[-1])):
                lines.pop()
            current[section] = "\n".join(lines)
        section, lines = None, []

    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("=== "):
                close_section()
                current = {"id": line[4:].strip(), "line": number}
                mutants.append(current)
                continue
            if line in ("--- original", "--- replacement"):
                if current is None:
                    raise CatalogueError(f"{path}:{number}: a snippet outside a mutant block")
                close_section()
                section = line[4:]
                continue
            if section is not None:
                lines.append(line)
                continue
            if line.strip() == "" or line.startswith("#") or current is None:
                continue
            key, sep, value = line.partition(":")
            if not sep:
                raise CatalogueError(f"{path}:{number}: expected 'key: value', got {line!r}")
            current[key.strip()] = value.strip()
    close_section()
    seen = set()
    for m in mutants:
        for key in ("file", "kind", "slip", "original", "replacement"):
            if key not in m:
                raise CatalogueError(f"{path}:{m['line']}: mutant {m['id']} has no '{key}'")
        if m["id"] in seen:
            raise CatalogueError(f"{path}:{m['line']}: mutant id {m['id']} given twice")
        if not m["original"].strip():
            raise CatalogueError(f"{path}:{m['line']}: mutant {m['id']} has an empty original snippet")
        if m["original"] == m["replacement"]:
            raise CatalogueError(f"{path}:{m['line']}: mutant {m['id']} replaces its snippet by itself")
        seen.add(m["id"])
        m["area"] = area(m["file"])
    return mutants


def area(path):
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "Sources" else "?"


def select(mutants, ids):
    if not ids:
        return mutants
    by_id = {m["id"]: m for m in mutants}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise CatalogueError(f"unknown mutant id(s): {', '.join(unknown)} (known: {', '.join(by_id)})")
    return [by_id[i] for i in ids]


def occurrences(root, m):
    path = os.path.join(root, m["file"])
    if not os.path.isfile(path):
        return None, path
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return text.count(m["original"]), path


# ───────────────────────────── work tree ─────────────────────────────

def repository_files(repo):
    out = subprocess.run(["git", "-C", repo, "ls-files", "-co", "--exclude-standard", "-z"],
                         check=True, capture_output=True).stdout
    return sorted({p for p in out.decode().split("\0") if p and os.path.isfile(os.path.join(repo, p))})


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.digest()


def sync(repo, workdir):
    """Mirror the repository's files into workdir, touching only files whose content differs (so an
    incremental build there stays incremental). .build, .swiftpm and mutation state are left alone."""
    keep_top = {".build", ".swiftpm", "Package.resolved"}  # SwiftPM's own files in the copy
    files = repository_files(repo)
    wanted = set(files)
    copied = 0
    for rel in files:
        src, dst = os.path.join(repo, rel), os.path.join(workdir, rel)
        if os.path.isfile(dst) and os.path.getsize(src) == os.path.getsize(dst) and digest(src) == digest(dst):
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)
        copied += 1
    removed = 0
    for top in os.listdir(workdir):
        if top in keep_top:
            continue
        base = os.path.join(workdir, top)
        if os.path.isfile(base) or os.path.islink(base):
            if top not in wanted:
                os.remove(base)
                removed += 1
            continue
        for dirpath, dirnames, filenames in os.walk(base, topdown=False):
            for name in filenames:
                full = os.path.join(dirpath, name)
                if os.path.relpath(full, workdir) not in wanted:
                    os.remove(full)
                    removed += 1
            if not os.listdir(dirpath):
                os.rmdir(dirpath)
    print(f"synced {len(files)} files into {workdir}: {copied} copied, {removed} removed")


def apply(catalogue, root, mutant_id, state):
    m = select(parse_catalogue(catalogue), [mutant_id])[0]
    marker = os.path.join(state, "applied.json")
    if os.path.exists(marker):
        raise CatalogueError(f"a mutant is still applied ({marker}); restore it first")
    count, path = occurrences(root, m)
    if count is None:
        raise CatalogueError(f"{m['id']}: {m['file']} does not exist under {root}")
    if count != 1:
        raise CatalogueError(f"{m['id']}: the original snippet occurs {count} times in {m['file']} (must be exactly once)")
    os.makedirs(state, exist_ok=True)
    backup = os.path.join(state, "backup")
    shutil.copy2(path, backup)
    with open(marker, "w", encoding="utf-8") as f:
        json.dump({"id": m["id"], "file": m["file"], "backup": backup}, f)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(m["original"], m["replacement"], 1))
    print(f"applied {m['id']} to {m['file']}")


def restore(root, state):
    marker = os.path.join(state, "applied.json")
    if not os.path.exists(marker):
        return
    with open(marker, encoding="utf-8") as f:
        record = json.load(f)
    shutil.copyfile(record["backup"], os.path.join(root, record["file"]))
    os.remove(marker)
    print(f"restored {record['file']} (after {record['id']})")


def snapshot(repo, root, state):
    """Copy the repository's files as they are in root into STATE/snapshot, with a manifest, so that anything
    a run writes into the tree (swift test saves counterexamples into Tests/Regression/Corpus) can be undone."""
    # tools/ (this script, its catalogue, its report) is the run's own output, not the code under test.
    files = [f for f in repository_files(repo) if not f.startswith("tools/")]
    target = os.path.join(state, "snapshot")
    if os.path.isdir(target):
        shutil.rmtree(target)
    for rel in files:
        src = os.path.join(root, rel)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(target, rel)), exist_ok=True)
            shutil.copy2(src, os.path.join(target, rel))
    with open(os.path.join(state, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(files, f)


def revert(root, state, mode="apply"):
    """Put every file of the snapshot back as it was, and delete files that appeared under Tests/ or Sources/
    since (new corpus entries); prints one line per file touched. mode "dry-run" only prints what differs;
    "drop" deletes the snapshot."""
    if mode == "drop":
        shutil.rmtree(os.path.join(state, "snapshot"), ignore_errors=True)
        if os.path.exists(os.path.join(state, "manifest.json")):
            os.remove(os.path.join(state, "manifest.json"))
        return
    dry = mode == "dry-run"
    manifest = os.path.join(state, "manifest.json")
    if not os.path.exists(manifest):
        return
    with open(manifest, encoding="utf-8") as f:
        files = json.load(f)
    known = set(files)
    for rel in files:
        saved, current = os.path.join(state, "snapshot", rel), os.path.join(root, rel)
        if not os.path.isfile(saved):
            continue
        if not os.path.isfile(current) or digest(saved) != digest(current):
            if dry:
                print(f"differs: {rel}")
                continue
            os.makedirs(os.path.dirname(current), exist_ok=True)
            shutil.copyfile(saved, current)
            print(f"reverted {rel}")
    for top in ("Tests", "Sources"):
        for dirpath, _, filenames in os.walk(os.path.join(root, top)):
            for name in filenames:
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root)
                if rel not in known:
                    if dry:
                        print(f"new: {rel}")
                        continue
                    os.remove(full)
                    print(f"removed {rel}")


# ───────────────────────────── results ─────────────────────────────

def check_result(path, exit_code, seconds):
    """Killers: readings whose computed verdict differs from the documented one, or holding readings whose coverage
    falls below the declared non-trivial share; a crash or a timeout kills too (the gate does not exit 0)."""
    exit_code = int(exit_code)
    result = {"exit": exit_code, "seconds": round(float(seconds), 1), "killers": []}
    if exit_code == 124 or exit_code == 137:
        result.update(status="killed", how="timeout")
        return result
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        data = None
    if data is None:
        result.update(status="killed" if exit_code != 0 else "survived",
                      how=f"crash (exit {exit_code}, no JSON)" if exit_code != 0 else "no JSON")
        return result
    killers = []
    for c in data.get("claims", []):
        label = f"{c.get('id')}/{c.get('reading')}"
        if c.get("verdict") != c.get("expected") and c.get("verdict") != "skipped":
            killers.append(f"{label} ({c.get('verdict')}, expected {c.get('expected')})")
            continue
        cov = c.get("coverage") or {}
        share, required = cov.get("nonTrivialShare"), cov.get("requiredNonTrivialShare")
        # As `oracle check` judges it: the share is required of holding readings only.
        if required is not None and c.get("verdict") == "holds" and (share or 0) < required:
            killers.append(f"{label} (coverage {share} < {required})")
    result["killers"] = killers
    result["readings"] = len(data.get("claims", []))
    if killers:
        result.update(status="killed", how="readings")
    elif exit_code != 0:
        result.update(status="killed", how=f"exit {exit_code} without a differing reading")
    else:
        result.update(status="survived", how="")
    return result


TEST_PATTERNS = [
    re.compile(r"Test (?!run with)(.+?) (?:failed after|recorded an issue)"),   # Swift Testing
    re.compile(r"Test Case '(.+?)' failed"),                                  # XCTest
]


def test_result(log, exit_code, seconds, baseline=None):
    """Killers: tests that fail under the mutant but not in the unmutated run (`baseline`, a test-result JSON
    file, when given); a timeout or a crashed test process (no final summary line) kills too."""
    exit_code = int(exit_code)
    result = {"exit": exit_code, "seconds": round(float(seconds), 1), "failing": []}
    known = set()
    if baseline:
        try:
            with open(baseline, encoding="utf-8") as f:
                known = set(json.load(f).get("failing", []))
        except (OSError, ValueError):
            known = set()
    try:
        with open(log, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        text = ""
    failing = []
    for line in text.splitlines():
        for pattern in TEST_PATTERNS:
            hit = pattern.search(line)
            if hit:
                name = re.sub(r" with \d+ test cases?$", "", hit.group(1).strip())
                if name not in failing:
                    failing.append(name)
                break
    new = [t for t in failing if t not in known]
    result["failing"] = new
    if failing != new:
        result["alsoFailingInBaseline"] = [t for t in failing if t in known]
    summary = re.search(r"Test run with \d+ tests? .*(passed|failed)", text)
    crash = re.search(r"(Exited with (?:unexpected )?signal code \d+|Fatal error: [^\n]*)", text)
    if exit_code in (124, 137):
        result.update(status="killed", how="timeout")
    elif new:
        result.update(status="killed", how="tests")
    elif exit_code != 0 and (crash or not summary or not failing):
        result.update(status="killed", how=f"exit {exit_code}" + (f": {crash.group(1)}" if crash else
                                                                 ", no test summary" if not summary else ""))
    else:
        result.update(status="survived", how="" if exit_code == 0 else "only the unmutated run's failures")
    return result


# ───────────────────────────── report ─────────────────────────────

def load_results(results_dir, mutants):
    out = {}
    for m in mutants:
        path = os.path.join(results_dir, f"{m['id']}.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                out[m["id"]] = json.load(f)
    return out


def short(items, limit=4):
    items = list(items)
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f", … (+{len(items) - limit})"


def brief(killer):
    """'id/reading (refuted, expected holds)' -> 'id/reading'; other verdict changes keep their verdict."""
    hit = re.match(r"(\S+) \((\w+), expected (\w+)\)$", killer)
    if not hit:
        return killer
    label, verdict, expected = hit.groups()
    return label if (verdict, expected) == ("refuted", "holds") else f"{label} ({verdict}, documented {expected})"


def changed_readings(results_dir, mutant_id):
    """Readings whose outcome (verdict, cases, counterexample, note) differs from the unmutated run's, or None
    when either JSON is missing: a mutant that changes nothing at all is not executed by the gate."""
    try:
        with open(os.path.join(results_dir, "baseline.check.json"), encoding="utf-8") as f:
            base = {(c["id"], c["reading"]): c for c in json.load(f)["claims"]}
        with open(os.path.join(results_dir, f"{mutant_id}.check.json"), encoding="utf-8") as f:
            mutant = json.load(f)["claims"]
    except (OSError, ValueError, KeyError):
        return None
    out = []
    for c in mutant:
        o = base.get((c["id"], c["reading"]))
        if o is None:
            continue
        fields = [k for k in ("verdict", "cases", "counterexample", "note") if c.get(k) != o.get(k)]
        if fields:
            out.append(f"{c['id']}/{c['reading']} ({', '.join(fields)})")
    return out


def percent(k, n):
    return f"{k}/{n} = {100.0 * k / n:.1f} %" if n else "—"


def cell(text):
    return text.replace("|", "\\|")


def report(catalogue, results_dir, out_path):
    mutants = parse_catalogue(catalogue)
    results = load_results(results_dir, mutants)
    rows, compile_killed, survivors, notes = [], [], [], []
    equivalent_ids = [m["id"] for m in mutants if m.get("equivalent")]
    counted = check_killed = both_killed = tests_unknown = 0
    equivalent_killed = []
    for m in mutants:
        r = results.get(m["id"])
        if r is None:
            rows.append((m, "not run", "", "not run"))
            continue
        if r.get("build", {}).get("status") != "ok":
            compile_killed.append(m["id"])
            rows.append((m, "—", "—", f"killed by the compiler ({r.get('build', {}).get('status')})"))
            continue
        check = r.get("check", {})
        tests = r.get("tests", {"status": "not-run"})
        if check.get("status") == "killed":
            c_text = short([brief(k) for k in check.get("killers") or []] or [check.get("how", "")])
        else:
            c_text = "survived"
        if tests.get("status") == "killed":
            t_text = short(tests.get("failing") or [tests.get("how", "")])
        elif tests.get("status") == "survived":
            t_text = "passed"
        else:
            t_text = "not run"
        killed_check = check.get("status") == "killed"
        killed_tests = tests.get("status") == "killed"
        if m.get("equivalent"):
            status = "equivalent (declared)"
            if killed_check or killed_tests:
                status = "declared equivalent, but KILLED: the argument is wrong"
                equivalent_killed.append(m["id"])
        else:
            counted += 1
            if killed_check:
                check_killed += 1
                both_killed += 1
                status = "killed by oracle check"
            elif killed_tests:
                both_killed += 1
                status = "killed by swift test only"
            elif tests.get("status") in ("not-run", None):
                tests_unknown += 1
                status = "survived oracle check (swift test not run)"
            else:
                status = "SURVIVED"
            if not killed_check:
                survivors.append(m)
        rows.append((m, c_text, t_text, status))

    date = datetime.date.today().isoformat()
    lines = [
        "# Mutation testing report",
        "",
        f"Generated by `tools/mutate.sh` on {date} from `tools/mutants.txt` ({len(mutants)} mutants: "
        f"{sum(1 for m in mutants if m['area'] == 'Reference')} in Reference, "
        f"{sum(1 for m in mutants if m['area'] == 'Fast')} in Fast). How to run it and what it does: "
        "[docs/mutation.md](../docs/mutation.md).",
        "",
        "## Kill rates (over the non-equivalent mutants that compiled)",
        "",
        f"- **oracle check alone: {percent(check_killed, counted)}**",
    ]
    if tests_unknown:
        lines.append(f"- oracle check + swift test: at least {percent(both_killed, counted)} "
                     f"(swift test not run for {tests_unknown} survivor(s) of oracle check)")
    else:
        lines.append(f"- **oracle check + swift test: {percent(both_killed, counted)}**")
    lines += [
        f"- declared equivalent (left out of the rates): {len(equivalent_ids)}"
        + (f" ({', '.join(equivalent_ids)})" if equivalent_ids else ""),
        f"- killed by the compiler (left out of the rates): {len(compile_killed)}"
        + (f" ({', '.join(compile_killed)})" if compile_killed else ""),
        f"- not run yet: {sum(1 for m in mutants if m['id'] not in results)}",
    ]
    if equivalent_killed:
        lines.append(f"- **declared equivalent but killed: {', '.join(equivalent_killed)}** — fix the catalogue")
    lines += ["", "## Every mutant", "",
              "| mutant | file | kind | killed by oracle check (readings) | swift test (failing tests) | status |",
              "| --- | --- | --- | --- | --- | --- |"]
    for m, c_text, t_text, status in rows:
        lines.append(f"| {m['id']} | {m['file'].replace('Sources/', '')} | {cell(m['kind'])} | {cell(c_text)} | {cell(t_text)} | {status} |")
    lines += ["", "## The slips", ""]
    for m in mutants:
        lines.append(f"- **{m['id']}** ({m['file']}): {m['slip']}")
    lines += ["", "## Survivors of oracle check and declared equivalents", ""]
    if not survivors and not equivalent_ids:
        lines.append("None.")
    for m in survivors:
        r = results.get(m["id"], {})
        tests = r.get("tests", {})
        by_tests = (f"killed by swift test ({short(tests.get('failing') or [tests.get('how', '')])})"
                    if tests.get("status") == "killed" else
                    "also survives swift test" if tests.get("status") == "survived" else "swift test not run")
        gap = m.get("gap") or "(not analysed yet: add a `gap:` or `equivalent:` line to the catalogue)"
        changed = changed_readings(results_dir, m["id"])
        seen = ("" if changed is None else
                " Not one reading's outcome (verdict, cases, counterexample, note) changed." if not changed else
                f" Outcomes that changed without deciding: {short(changed, 6)}.")
        lines.append(f"- **{m['id']}** — {m['slip']}. {by_tests[0].upper() + by_tests[1:]}.{seen} Gap: {gap}")
    for m in mutants:
        if m.get("equivalent"):
            r = results.get(m["id"], {})
            seen = ("survived oracle check" if r.get("check", {}).get("status") == "survived" else
                    "KILLED by oracle check" if r.get("check", {}).get("status") == "killed" else "not run")
            tests = r.get("tests", {}).get("status")
            if tests in ("killed", "survived"):
                seen += "; swift test " + ("KILLED it" if tests == "killed" else "passed")
            changed = changed_readings(results_dir, m["id"])
            if changed is not None:
                seen += "; no reading's outcome changed" if not changed else f"; outcomes changed: {short(changed, 6)}"
            lines.append(f"- **{m['id']}** (declared equivalent; {seen}) — {m['slip']}. Why equivalent: {m['equivalent']}")
    lines += ["", "## Run details", "", "| mutant | build s | check s | check exit | tests s | tests exit |",
              "| --- | --- | --- | --- | --- | --- |"]
    for m in mutants:
        r = results.get(m["id"])
        if not r:
            continue
        b, c, t = r.get("build", {}), r.get("check", {}), r.get("tests", {})
        lines.append(f"| {m['id']} | {b.get('seconds', '')} | {c.get('seconds', '')} | {c.get('exit', '')} | "
                     f"{t.get('seconds', '')} | {t.get('exit', '')} |")
    text = "\n".join(lines) + "\n"
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)
    # The summary on stdout.
    print(f"mutants: {len(mutants)} ({len(results)} run); non-equivalent, compiled: {counted}")
    print(f"oracle check alone:        {percent(check_killed, counted)}")
    print(f"oracle check + swift test: {percent(both_killed, counted)}"
          + (f" (at least; swift test not run for {tests_unknown})" if tests_unknown else ""))
    if compile_killed:
        print(f"killed by the compiler:    {', '.join(compile_killed)}")
    if equivalent_killed:
        print(f"DECLARED EQUIVALENT BUT KILLED: {', '.join(equivalent_killed)}")
    print(f"report: {out_path}")


# ───────────────────────────── main ─────────────────────────────

def main(argv):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if not argv:
        print(__doc__)
        return 2
    cmd, args = argv[0], argv[1:]
    try:
        if cmd == "list":
            for m in select(parse_catalogue(args[0]), args[1:]):
                print(m["id"])
        elif cmd == "describe":
            for m in select(parse_catalogue(args[0]), args[1:]):
                print(f"{m['id']} [{m['file']}] {m['kind']}: {m['slip']}"
                      + (" (declared equivalent)" if m.get("equivalent") else ""))
        elif cmd == "validate":
            catalogue, root, ids = args[0], args[1], args[2:]
            mutants = select(parse_catalogue(catalogue), ids)
            bad = 0
            for m in mutants:
                count, path = occurrences(root, m)
                if count != 1:
                    bad += 1
                    where = "missing file" if count is None else f"{count} occurrences"
                    print(f"{m['id']}: {m['file']}: {where} of the original snippet (must be exactly 1)")
            areas = {}
            for m in mutants:
                areas[m["area"]] = areas.get(m["area"], 0) + 1
            print(f"{len(mutants)} mutants ({', '.join(f'{k}: {v}' for k, v in sorted(areas.items()))}); {bad} invalid")
            return 1 if bad else 0
        elif cmd == "sync":
            sync(args[0], args[1])
        elif cmd == "apply":
            apply(*args)
        elif cmd == "restore":
            restore(*args)
        elif cmd == "snapshot":
            snapshot(*args)
        elif cmd == "revert":
            revert(*args)
        elif cmd == "check-result":
            print(json.dumps(check_result(*args)))
        elif cmd == "test-result":
            print(json.dumps(test_result(*args)))
        elif cmd == "report":
            report(*args)
        else:
            print(f"unknown subcommand {cmd}\n{__doc__}", file=sys.stderr)
            return 2
    except CatalogueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
