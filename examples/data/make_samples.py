#!/usr/bin/env python3
"""Synthetic sample datasets for biasaudit's examples and the page's learning mode.

Run from anywhere:  python3 examples/data/make_samples.py
Standard library only; seeded, so the output is the same every time.
The people are invented. Disparities are built in on purpose so there is
something to find; they do not describe any real system.

recruitment.csv  - a CV screen; the positive decision (shortlisted = yes)
                   is beneficial. Label: `suitable` (an assessor's later
                   judgement). Score: the screen's 0-100 rating.
fraud_flags.csv  - a benefit-fraud risk model; the positive decision
                   (flagged = 1) is harmful. Label: `overpayment_found`
                   from a random audit sample. Score: risk 0-1. Strata: region.
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def pick(rng, weighted):
    r = rng.random() * sum(w for _, w in weighted)
    for value, w in weighted:
        r -= w
        if r < 0:
            return value
    return weighted[-1][0]


def recruitment(path, n=2400, seed=20261122):
    rng = random.Random(seed)
    sexes = [("Female", 48), ("Male", 50), ("", 2)]
    ethnicities = [("White", 70), ("Asian", 12), ("Black", 8), ("Mixed", 5), ("Other", 3), ("NA", 2)]
    ages = [("18-24", 20), ("25-34", 35), ("35-49", 30), ("50+", 15)]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["applicant_id", "sex", "ethnicity", "age_band", "disability", "score", "shortlisted", "suitable"])
        for i in range(1, n + 1):
            sex, eth, age = pick(rng, sexes), pick(rng, ethnicities), pick(rng, ages)
            disability = "yes" if rng.random() < 0.12 else "no"
            merit = rng.gauss(60, 15)
            suitable = 1 if merit + rng.gauss(0, 10) > 62 else 0
            # The screen penalises gaps in employment history (age, disability) and
            # some name patterns: indirect discrimination built in on purpose.
            bias = (-6 if age == "50+" else 0) + (-8 if disability == "yes" else 0) + (-5 if eth in ("Black", "Asian") else 0)
            score = max(0, min(100, round(merit + bias + rng.gauss(0, 8))))
            w.writerow([f"A{i:05d}", sex, eth, age, disability, score, "yes" if score >= 65 else "no", suitable])


def fraud_flags(path, n=5000, seed=1122):
    rng = random.Random(seed)
    nationalities = [("British", 80), ("EU", 10), ("Non-EU", 10)]
    sexes = [("Female", 55), ("Male", 45)]
    ages = [("16-24", 15), ("25-44", 40), ("45-64", 35), ("65+", 10)]
    regions = [("North", 30), ("Midlands", 25), ("South", 30), ("Wales", 15)]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["claim_id", "nationality", "sex", "age_band", "single_parent", "region", "risk_score", "flagged", "overpayment_found"])
        for i in range(1, n + 1):
            nat, sex, age, region = pick(rng, nationalities), pick(rng, sexes), pick(rng, ages), pick(rng, regions)
            single_parent = "yes" if rng.random() < (0.3 if sex == "Female" else 0.05) else "no"
            true_risk = 0.08 + (0.04 if age == "16-24" else 0)
            overpayment = 1 if rng.random() < true_risk else 0
            # The model leans on nationality and single parenthood, which the true
            # risk does not depend on: the pattern of the Dutch childcare scandal.
            leak = (0.18 if nat != "British" else 0) + (0.12 if single_parent == "yes" else 0)
            risk = max(0.0, min(1.0, 0.15 + 0.5 * overpayment + leak + rng.gauss(0, 0.12)))
            w.writerow([f"C{i:06d}", nat, sex, age, single_parent, region, f"{risk:.3f}", 1 if risk >= 0.45 else 0, overpayment])


if __name__ == "__main__":
    recruitment(os.path.join(HERE, "recruitment.csv"))
    fraud_flags(os.path.join(HERE, "fraud_flags.csv"))
    print("wrote recruitment.csv and fraud_flags.csv in", HERE)
