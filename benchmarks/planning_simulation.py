"""Benchmark: projecting a national-sized community waiting list (measures.md section 8).

The list is made up, one row per open pathway, at about the size of England's community
waiting list at a census date (about 1.2 million, some 300,000 of them children: sources.md
section 4), with waits shaped roughly like the published figures (adults: about 16% over 18
weeks and few over 52; children: over a third past 18 weeks and about a quarter over 52) and
the generator's priority mix. Demand is the national referrals a month (1,865,125, sources.md
section 4) as a weekly rate, and capacity the same (a list that holds its size).

Timed, with wall and CPU seconds: the baseline, one sort of the list's waits (the least any
record-level method does); the projection (``simulate_waiting_list``, default 200 runs x 52
weeks); and the inverse question (``capacity_to_clear`` for over 52 and over 18 weeks). The
ratio to the baseline is the figure to read on a shared machine. Run it alone:

    python benchmarks/planning_simulation.py                  # 1,200,000 waiting
    python benchmarks/planning_simulation.py --size 20000 --runs 20   # a quick check
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from workbench import planning
from workbench.synthetic.calibration import PRIORITY_ROUTINE

#: England's community waiting list and its children's share (sources.md section 4).
NATIONAL_LIST = 1_200_000
CHILDREN_SHARE = 300_000 / 1_200_000
#: National referrals a month (CSS, March 2026; sources.md section 4), as a weekly rate.
WEEKLY_REFERRALS = 1_865_125 * 12 / 52


def national_list(size: int, seed: int) -> pd.DataFrame:
    """A made-up list of ``size`` open pathways: ``wait`` (days) and ``priority_type``."""
    rng = np.random.default_rng(seed)
    children = rng.random(size) < CHILDREN_SHARE
    # adults: exponential, mean 69 days (about 16% past 126 days)
    waits = rng.exponential(69.0, size)
    # children: three in four exponential with mean 90 days, one in four over 52 weeks
    long = children & (rng.random(size) < 0.25)
    waits[children] = rng.exponential(90.0, int(children.sum()))
    waits[long] = rng.uniform(365, 900, int(long.sum()))
    codes, shares = zip(*PRIORITY_ROUTINE.items(), strict=True)
    priority = rng.choice(np.array(codes), size=size, p=np.array(shares) / sum(shares))
    return pd.DataFrame({"wait": waits.astype("int64"), "priority_type": priority})


def timed(step: str, action: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``action``; print and return its wall seconds (and its result)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"  {step:<48}{wall:>9.2f} s wall {cpu:>9.2f} s CPU", flush=True)
    return wall, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=NATIONAL_LIST, help="pathways on the list")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    waits = national_list(args.size, args.seed)
    demand = WEEKLY_REFERRALS * args.size / NATIONAL_LIST
    capacity = demand
    print(
        f"{args.size:,} waiting; {demand:,.0f} referrals a week; {args.runs} runs x "
        f"{args.weeks} weeks"
    )
    base, _ = timed("baseline: one sort of the waits", lambda: np.sort(waits["wait"].to_numpy()))
    sim, frame = timed(
        "simulate_waiting_list",
        lambda: planning.simulate_waiting_list(
            waits, demand, capacity, args.weeks, runs=args.runs, seed=args.seed
        ),
    )
    inverse, clear = timed(
        "capacity_to_clear (over 52 and over 18 weeks)",
        lambda: planning.capacity_to_clear(
            waits, demand, args.weeks, runs=args.runs, seed=args.seed
        ),
    )
    base = max(base, 1e-9)
    print(f"  ratio to the baseline: projection {sim / base:,.0f}x, inverse {inverse / base:,.0f}x")
    last = frame[frame["week"] == args.weeks].set_index("measure")
    print(last[["central", "lower", "upper"]].round(0).to_string())
    print(clear.round(1).to_string(index=False))


if __name__ == "__main__":
    main()
