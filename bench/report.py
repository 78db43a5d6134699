#!/usr/bin/env python3
"""Renders a Google Benchmark JSON file of build/bench/logreg-bench into markdown tables of
ratios (each path vs our scalar path, vs each peer, % of the bandwidth limit) and, with
--png, a gnuplot bar chart. Python 3 standard library only; the chart needs gnuplot.

  report.py RESULTS.json [--md OUT.md | --md -] [--png OUT.png] [--command "make ..."]

Each figure is the median over the repetitions (Google Benchmark's 'median' aggregate),
or the single run when there were no repetitions. Times are the CPU time of the benchmark's
thread, the basis of Google Benchmark's items/s and bytes/s, so that time, throughput and
ratios agree; on an idle machine it equals the wall time of these single-threaded runs."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

OURS = ["scalar", "avx2", "avx512", "neon"]
LIMITS = {"read-limit", "copy-limit"}
UNIT_S = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def load(path):
    with open(path) as f:
        doc = json.load(f)
    runs, medians = {}, {}
    for b in doc.get("benchmarks", []):
        name = b.get("run_name", b["name"])
        if b.get("error_occurred"):
            runs.setdefault(name, []).append({"error": b.get("error_message", "error")})
            continue
        r = {  # CPU time of the benchmark thread: the basis of Google Benchmark's rates
            "time": b["cpu_time"] * UNIT_S[b.get("time_unit", "ns")],
            "real": b["real_time"] * UNIT_S[b.get("time_unit", "ns")],
            "items": b.get("items_per_second"),
            "bytes": b.get("bytes_per_second"),
            "label": b.get("label", ""),
            "reps": b.get("repetitions", 1),
        }
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[name] = r
        else:
            runs.setdefault(name, []).append(r)
    results = {}  # run name -> figures, in the order of the run
    for name in list(runs) + [n for n in medians if n not in runs]:
        if name in medians:
            results[name] = medians[name]
            continue
        ok = [r for r in runs[name] if "error" not in r]
        if not ok:
            results[name] = runs[name][0]
            continue
        t = statistics.median(r["time"] for r in ok)
        best = min(ok, key=lambda r: abs(r["time"] - t))
        results[name] = dict(best, time=t, reps=len(ok))
    return doc.get("context", {}), results


def split(name):
    """'G3/100000x128/avx512' -> ('G3', '100000x128', 'avx512')"""
    parts = name.split("/")
    return parts[0], "/".join(parts[1:-1]), parts[-1]


def fmt_time(s):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if s >= scale or unit == "ns":
            return "%.3g %s" % (s / scale, unit)


def fmt_ratio(x):
    return "–" if x is None else ("%.2f×" % x if x < 10 else "%.1f×" % x)


def group(results):
    """workload id -> {'shape', 'ours': {path: r}, 'peers': {label: r}, 'limit': r}"""
    work = {}
    for name, r in results.items():
        wid, shape, who = split(name)
        w = work.setdefault(wid, {"shape": shape, "ours": {}, "peers": {}, "limit": None})
        if "error" in r:
            w.setdefault("errors", []).append("%s: %s" % (name, r["error"]))
        elif who in OURS:
            w["ours"][who] = r
        elif r["label"] in LIMITS:
            w["limit"] = r
        else:
            w["peers"][r["label"] or who] = r
    return work


def ratio(other, mine):
    return None if other is None or mine is None else other["time"] / mine["time"]


def markdown(ctx, results, command):
    work = group(results)
    core = work.pop("CORE", {"peers": {}})["peers"]
    mhz = ctx.get("mhz_per_cpu")
    reps = max((r.get("reps", 1) for r in results.values() if "error" not in r), default=1)
    date = ctx.get("date", "")[:10]
    out = []
    out.append("# logreg.h benchmarks, %s\n" % date)
    out.append("- CPU: %s (`lscpu` model name), %s CPUs, %s MHz nominal; single thread"
               % (ctx.get("cpu_model", "?"), ctx.get("num_cpus", "?"), mhz or "?"))
    out.append("- Compiler: %s; logreg.h built with `%s` (no -march: runtime dispatch); "
               "peers with `%s`" % (ctx.get("compiler", "?"), ctx.get("flags_logreg", "?"),
                                    ctx.get("flags_peers", "?")))
    out.append("- Paths available: %s; peers: %s" % (ctx.get("logreg_isa_available", "?"),
                                                     ctx.get("peers", "?")))
    out.append("- Date: %s; command: `%s`; figures are medians of %d repetition%s"
               % (ctx.get("date", "?"), command or "?", reps, "" if reps == 1 else "s"))
    load = ctx.get("load_avg")
    if load:
        out.append("- Load average at the start: %s%s" % (
            ", ".join("%.2f" % x for x in load),
            " (other work was running: timings are noisier)" if load[0] > 0.5 else ""))
    if ctx.get("library_build_type") == "debug":
        out.append("- The Google Benchmark library is a debug build (Debian's package); the "
                   "timed loop itself is inline code from its header")
    if ctx.get("fashion_mnist", "found") != "found":
        out.append("- %s" % ctx["fashion_mnist"])
    ok = [r for r in results.values() if "error" not in r and r["time"] > 0]
    if ok:
        out.append("- Times are CPU time of the benchmark thread; median wall/CPU time over "
                   "all runs: %.3f (1.000 = no time lost to other processes)"
                   % statistics.median(r["real"] / r["time"] for r in ok))
    out.append("\nRatios are the other's time divided by ours: above 1× ours is faster. "
               "\"% of limit\" = time of a plain vectorized read (G) or copy (S2) of the same "
               "bytes divided by our time; \"% of stream\" = our bytes/s over the single-thread "
               "streaming read of 256 MiB (BW), the limit BENCHMARKS.md names.\n")

    sig = [k for k in work if k.startswith("S")]
    if sig:
        peers = ordered(p for k in sig for p in work[k]["peers"])
        out.append("## Sigmoid (S1 in cache, S2 streaming)\n")
        head = ["work", "path", "time", "G elem/s", "ns/elem", "vs scalar"] + \
               ["vs " + p for p in peers] + ["% of copy limit"]
        out += [row(head), row(["---"] * len(head))]
        for k in sig:
            w = work[k]
            for path, r in w["ours"].items():
                cells = ["%s %s" % (k, w["shape"]), path, fmt_time(r["time"]),
                         "%.3g" % (r["items"] / 1e9), "%.3g" % (1e9 / r["items"]),
                         fmt_ratio(ratio(w["ours"].get("scalar"), r))]
                cells += [fmt_ratio(ratio(w["peers"].get(p), r)) for p in peers]
                lim = ratio(w["limit"], r)
                cells.append("–" if lim is None else "%.0f %%" % (100 * lim))
                out.append(row(cells))
        out.append("")

    grad = [k for k in work if k.startswith("G")]
    if grad:
        peers = ordered(p for k in grad for p in work[k]["peers"])
        out.append("## Loss + gradient, one full pass (G1–G5)\n")
        head = ["work", "path", "time/pass", "GB/s of X", "vs scalar"] + \
               ["vs " + p for p in peers] + ["% of read limit", "% of stream", "floats/cycle"]
        out += [row(head), row(["---"] * len(head))]
        stream = work.get("BW", {}).get("limit")
        for k in grad:
            w = work[k]
            for path, r in w["ours"].items():
                cells = ["%s %s" % (k, w["shape"]), path, fmt_time(r["time"]),
                         "%.3g" % (r["bytes"] / 1e9), fmt_ratio(ratio(w["ours"].get("scalar"), r))]
                cells += [fmt_ratio(ratio(w["peers"].get(p), r)) for p in peers]
                lim = ratio(w["limit"], r)
                cells.append("–" if lim is None or k == "G5" else "%.0f %%" % (100 * lim))
                cells.append("–" if not stream or k == "G5" else
                             "%.0f %%" % (100 * r["bytes"] / stream["bytes"]))
                cells.append("%.2f" % (r["items"] / (mhz * 1e6)) if mhz else "–")
                out.append(row(cells))
        out.append("\nG5 (512 × 512, 1 MiB) stays in L2, so it has no memory limit; "
                   "floats/cycle = floats of X per nominal clock cycle.\n")
        fma, l1, g5 = core.get("fma-peak"), core.get("l1-load-peak"), work.get("G5", {}).get("ours", {})
        if fma and l1 and g5:
            out.append("The core's limits for G5, measured in this run (CORE below): the FMA peak, "
                       "%.3g G lane-FMAs/s, allows %.3g G floats/s of X (two FMAs per float: its "
                       "dot and its gradient term); L1 loads (64-byte aligned), %.3g GB/s, allow "
                       "%.3g G floats/s (each float is loaded twice: for the dot, then, after the "
                       "sigmoid, for the gradient).\n" % (fma["items"] / 1e9, fma["items"] / 2e9, l1["bytes"] / 1e9,
                                           l1["bytes"] / 8e9))
            out += [row(["path", "G floats/s", "% of FMA peak", "% of L1-load limit"]), row(["---"] * 4)]
            for path, r in g5.items():
                out.append(row([path, "%.3g" % (r["items"] / 1e9),
                                "%.0f %%" % (100 * r["items"] / (fma["items"] / 2)),
                                "%.0f %%" % (100 * r["items"] / (l1["bytes"] / 8))]))
            out.append("")

    out.append("## Peers and limits\n")
    out += [row(["work", "who", "time", "throughput"]), row(["---"] * 4)]
    for k, w in work.items():
        for p, r in list(w["peers"].items()) + ([(w["limit"]["label"], w["limit"])] if w["limit"] else []):
            thr = ("%.3g G elem/s" % (r["items"] / 1e9)) if k.startswith("S") else \
                  ("%.3g GB/s" % (r["bytes"] / 1e9))
            out.append(row(["%s %s" % (k, w["shape"]), p, fmt_time(r["time"]), thr]))
    for p, r in core.items():
        thr = ("%.3g G lane-FMA/s" % (r["items"] / 1e9)) if r.get("items") else ("%.3g GB/s" % (r["bytes"] / 1e9))
        out.append(row(["CORE", p, fmt_time(r["time"]), thr]))
    errors = [e for w in work.values() for e in w.get("errors", [])]
    if errors:
        out.append("\nErrors: " + "; ".join(errors))
    return "\n".join(out) + "\n"


def ordered(items):
    """the distinct items, in first-seen order"""
    return list(dict.fromkeys(items))


def row(cells):
    return "| " + " | ".join(cells) + " |"


def plot(ctx, results, png):
    """Bars: speedup over our scalar path for every contender, per workload, log scale."""
    work = group(results)
    work.pop("CORE", None)
    cols = [p for p in OURS if any(p in w["ours"] for w in work.values())]
    cols += ordered(p for w in work.values() for p in w["peers"]) + ["bandwidth-limit"]
    lines = ["work " + " ".join(c.replace(" ", "_") for c in cols)]
    for k, w in work.items():
        base = w["ours"].get("scalar")
        if not base:
            continue
        vals = []
        for c in cols:
            r = w["ours"].get(c) or w["peers"].get(c) or (w["limit"] if c == "bandwidth-limit" else None)
            vals.append("%.4g" % (base["time"] / r["time"]) if r else "-")
        lines.append("%s %s" % (k, " ".join(vals)))
    title = "logreg.h: speedup over its scalar path (higher is better), single thread\\n%s, %s, " \
            "logreg %s, peers %s, %s" % (ctx.get("cpu_model", "?"), ctx.get("compiler", "?"),
                                        ctx.get("flags_logreg", "?"), ctx.get("flags_peers", "?"),
                                        ctx.get("date", "?")[:10])
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data.txt")
        with open(data, "w") as f:
            f.write("\n".join(lines) + "\n")
        script = [
            "set terminal pngcairo size 1400,650 noenhanced font ',10'",
            "set output '%s'" % png.replace("'", ""),
            "set title \"%s\"" % title.replace('"', "'"),
            "set style data histograms",
            "set style histogram clustered gap 1",
            "set style fill solid 0.85 border -1",
            "set datafile missing '-'",
            "set logscale y",
            "set yrange [0.1:*]",
            "set ylabel 'speedup over logreg scalar (x), log scale'",
            "set grid ytics",
            "set key outside right top",
            "plot " + ", ".join("'%s' using %d:xtic(1) title columnheader" % (data, i + 2)
                                for i in range(len(cols))),
        ]
        res = subprocess.run(["gnuplot"], input="\n".join(script), text=True,
                             capture_output=True)
        if res.returncode != 0:
            sys.exit("report.py: gnuplot failed: " + res.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("json")
    ap.add_argument("--md", help="markdown output file, - for stdout")
    ap.add_argument("--png", help="PNG chart (needs gnuplot)")
    ap.add_argument("--command", help="the command that produced the JSON")
    a = ap.parse_args()
    ctx, results = load(a.json)
    if not results:
        sys.exit("report.py: no benchmarks in " + a.json)
    text = markdown(ctx, results, a.command)
    if a.md == "-":
        sys.stdout.write(text)
    elif a.md:
        with open(a.md, "w") as f:
            f.write(text)
    if a.png:
        try:
            plot(ctx, results, a.png)
        except FileNotFoundError:
            sys.exit("report.py: gnuplot not found, no chart written")


if __name__ == "__main__":
    main()
