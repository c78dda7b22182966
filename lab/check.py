#!/usr/bin/python3
"""Check `wirewatch diagnose` against lab truth files: lab/check.py [--wirewatch BIN] DIR...

For every DIR/<name>.truth.json beside DIR/<name>.pcapng, runs `wirewatch diagnose --format json` and applies the
criteria of issue 5: a warning or critical finding of the truth's category (each, where it names several) with
the truth's culprit host and port (where the truth names them) and its timeout within 10%; every affected client
among that finding's affected_hosts; no unaffected client among the affected_hosts of any critical or warning
finding; at least 90% of the victims (by endpoint) in some finding's stalls; and, for a clean capture, no critical
finding. Prints one line per capture and exits 1 if any fails.

Made for captures diagnose has never seen: run the lab with other knobs (docs/lab.md, "Variants"), then
  lab/check.py /tmp/variant
"""

import argparse
import glob
import json
import os
import subprocess
import sys


def endpoint(ip, port):
    return "[%s]:%s" % (ip, port) if ":" in ip else "%s:%s" % (ip, port)


def check(ww, truth_path):
    t = json.load(open(truth_path))
    cap = truth_path[: -len(".truth.json")] + ".pcapng"
    out = subprocess.run([ww, "diagnose", "--format", "json", cap], capture_output=True, text=True)
    if out.returncode != 0:
        return ["diagnose exit %d: %s" % (out.returncode, out.stderr.strip()[:200])], []
    d = json.loads(out.stdout)
    fs = d.get("findings") or []
    serious = [f for f in fs if f.get("severity") in ("critical", "warning")]
    rc = t["root_cause"]
    cats = rc.get("categories") or ([rc["category"]] if rc.get("category") else [])
    problems = []
    if not cats:
        problems += ["critical finding on a clean capture: %s" % f["title"] for f in fs if f["severity"] == "critical"]
    culprit = rc.get("culprit") or {}
    # the culprits of each category: "culprits" (lab truth files with several problems, or one problem with a
    # culprit per port) or the single "culprit"
    per_cat = {}
    for c in rc.get("culprits") or []:
        per_cat.setdefault(c["category"], []).append(c)
    if len(cats) == 1 and culprit.get("host") and cats[0] not in per_cat:
        per_cat[cats[0]] = [culprit]
    for cat in cats:
        cand = [f for f in serious if f.get("category") == cat]
        if not cand:
            problems.append("no warning/critical %s finding" % cat)
            continue
        wants = per_cat.get(cat) or []
        for want in wants:
            if not want.get("host"):
                continue

            def fits(f, want=want):
                c = f.get("culprit") or {}
                if c.get("host") != want["host"]:
                    return False
                if want.get("port") and c.get("port") != want["port"]:
                    return False
                to = want.get("timeout_s")
                return not to or abs((c.get("timeout_s") or 0) - to) <= 0.1 * to
            if not any(fits(f) for f in cand):
                got = [(f.get("culprit") or {}) for f in cand]
                problems.append("%s culprit: want %s:%s timeout %s, got %s" % (
                    cat, want["host"], want.get("port"), want.get("timeout_s"),
                    ", ".join("%s:%s timeout %s" % (c.get("host"), c.get("port"), c.get("timeout_s")) for c in got)))
        want = wants[0] if len(wants) == 1 else {}
        hosts = set().union(*[set(f.get("affected_hosts") or []) for f in cand])
        expect = (want or {}).get("affected_clients") or (t["affected_clients"] if len(cats) == 1 else [])
        missing = [c for c in expect if c not in hosts]
        if missing:
            problems.append("%s: affected clients not named: %s" % (cat, ", ".join(missing)))
    for f in serious:
        wrong = [c for c in t["unaffected_clients"] if c in (f.get("affected_hosts") or [])]
        if wrong:
            problems.append("unaffected %s in %s finding %r" % (", ".join(wrong), f["severity"], f["title"]))
    victims = {endpoint(v["five_tuple"]["src"], v["five_tuple"]["sport"]) for v in t["victims"]}
    stalls = {s.get("client") for f in fs for s in (f.get("stalls") or [])}
    found = victims & stalls
    if victims and len(found) < 0.9 * len(victims):
        problems.append("victims in stalls %d/%d" % (len(found), len(victims)))
    summary = ["%s/%s" % (f["category"], f["severity"]) for f in fs]
    return problems, summary + ["victims %d/%d" % (len(found), len(victims))]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--wirewatch", default="wirewatch", help="the wirewatch binary (default: from PATH)")
    p.add_argument("dir", nargs="+")
    a = p.parse_args()
    failed = 0
    for d in a.dir:
        for tp in sorted(glob.glob(os.path.join(d, "*.truth.json"))):
            problems, summary = check(a.wirewatch, tp)
            name = os.path.basename(tp)[: -len(".truth.json")]
            print("%-4s %-22s %s" % ("ok" if not problems else "FAIL", name, "; ".join(problems or summary)))
            failed += bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
