#!/usr/bin/env python3
"""Paired comparison of per-user metrics written by ReplayBenchmark (-Dreplay.perUser=FILE).

Each file holds tab-separated rows `label user recall ndcg`; the first evaluation of the first file
("before the retrain") is the baseline. For every other (file, label) it prints the mean difference
of Recall@10 and NDCG@10 over the users both evaluated, wins/ties/losses, and a 95% bootstrap
interval of the mean difference (10,000 resamples of users, seed 1).
    scripts/paired-users.py FILE...
"""
import random
import sys


def read(path):
    runs = {}
    with open(path) as f:
        for line in f:
            label, user, r, n = line.rstrip("\n").split("\t")
            runs.setdefault(label, {})[user] = (float(r), float(n))
    return runs


def main(paths):
    files = [(p, read(p)) for p in paths]
    base_label = "before the retrain"
    base = files[0][1][base_label]
    rng = random.Random(1)
    for path, runs in files:
        for label, values in runs.items():
            if path == files[0][0] and label == base_label:
                continue
            users = sorted(set(base) & set(values))
            name = path.rsplit("per-user-", 1)[-1].removesuffix(".tsv") + " / " + label
            for m, metric in enumerate(("R@10", "NDCG@10")):
                d = [values[u][m] - base[u][m] for u in users]
                mean = sum(d) / len(d)
                boots = sorted(sum(rng.choice(d) for _ in d) / len(d) for _ in range(10000))
                wins = sum(x > 1e-12 for x in d)
                losses = sum(x < -1e-12 for x in d)
                print(f"{name}: {metric} all minus initial {mean:+.4f} (95% bootstrap {boots[250]:+.4f} .. "
                      f"{boots[9749]:+.4f}), better for {wins}, worse for {losses}, equal for "
                      f"{len(d) - wins - losses} of {len(d)} users")


if __name__ == "__main__":
    main(sys.argv[1:])
