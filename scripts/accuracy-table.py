#!/usr/bin/env python3
"""Markdown table of bench-accuracy.sh's results: test Recall/NDCG @10/@20 for all/warm/cold items,
mean ± sample std over each configuration's runs (OUT/<dataset>/<config>/run-seed*/results.json),
plus the seed-independent baselines parsed from OUT/<dataset>/baselines.txt (evaluate's table).
A `distill` configuration (train --distill) gives two rows per setting from the same runs: `trained`,
the selected epoch before distillation (what the same flags give without --distill), and `+ distill`,
the model kept after it (the distilled one where it won on validation, else the trained one again);
its epochs column reads "trained epoch/kept distillation epoch" (0: none kept).
   accuracy-table.py OUT DATASET..."""
import glob
import json
import os
import statistics
import sys

CONFIGS = ["defaults", "paper", "reference", "id-only", "distill", "rich", "groups"]
SETTINGS = ["ALL", "WARM", "COLD"]
COLUMNS = [(m, k) for k in (10, 20) for m in ("recall", "ndcg")]


def entries(evaluation):
    return {(x["split"], x["setting"]): x["atK"] for x in evaluation["entries"]}


def runs(cfg_dir, before_distillation=False):
    values = []
    for f in sorted(glob.glob(os.path.join(cfg_dir, "run-seed*", "results.json"))):
        r = json.load(open(f))
        best = r["best"]
        if best is None:
            continue
        d = r.get("distillation")
        if before_distillation:
            trained = next(h for h in r["history"] if h["epoch"] == best["epoch"])
            values.append((best["epoch"], entries(trained["eval"])))
        elif d is not None:
            values.append((f"{best['epoch']}/{d['bestEpoch']}", entries(best["eval"])))
        else:
            values.append((best["epoch"], entries(best["eval"])))
    return values


def cell(vals):
    if not vals:
        return "-"
    if len(vals) == 1:
        return f"{vals[0]:.4f}"
    return f"{statistics.mean(vals):.4f} ± {statistics.stdev(vals):.4f}"


def baseline_rows(path):
    """evaluate's table: model split items users P@10 R@10 NDCG@10 Hit@10 P@20 R@20 NDCG@20 Hit@20."""
    rows = {}
    if not os.path.exists(path):
        return rows
    for line in open(path):
        p = line.split()
        if len(p) == 12 and p[1] == "test" and p[0] in ("content-kNN", "content-profile", "random"):
            rows.setdefault(p[0], {})[p[2].upper()] = {
                ("recall", 10): float(p[5]), ("ndcg", 10): float(p[6]),
                ("recall", 20): float(p[9]), ("ndcg", 20): float(p[10])}
    return rows


def main():
    out, datasets = sys.argv[1], sys.argv[2:]
    for name in datasets:
        print(f"### {name}\n")
        header = "| model | setting | " + " | ".join(f"{'R' if m == 'recall' else 'NDCG'}@{k}" for m, k in COLUMNS) \
            + " | selected epochs |"
        print(header)
        print("|" + "---|" * (header.count("|") - 1))
        rows = []
        for cfg in CONFIGS:
            if cfg == "distill":
                rows.append(("distill: trained", runs(os.path.join(out, name, cfg), before_distillation=True)))
                rows.append(("distill: + distill", runs(os.path.join(out, name, cfg))))
            else:
                rows.append((cfg, runs(os.path.join(out, name, cfg))))
        for cfg, rs in rows:
            if not rs:
                continue
            for s in SETTINGS:
                # id-only has no content: its cold items are ranked by an untrained encoder
                if ("TEST", s) not in rs[0][1] or (cfg == "id-only" and s != "WARM"):
                    continue
                cells = [cell([r[1][("TEST", s)][str(k)][m] for r in rs]) for m, k in COLUMNS]
                epochs = ", ".join(str(r[0]) for r in rs)
                print(f"| {cfg} | {s.lower()} | " + " | ".join(cells) + f" | {epochs} |")
        for b, by_setting in baseline_rows(os.path.join(out, name, "baselines.txt")).items():
            for s in SETTINGS:
                if s in by_setting:
                    print(f"| {b} | {s.lower()} | " + " | ".join(f"{by_setting[s][c]:.4f}" for c in COLUMNS)
                          + " | - |")
        print()


if __name__ == "__main__":
    main()
