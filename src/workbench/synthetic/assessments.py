"""Scored assessments: a first one at the first attended contact and a last one at the last
attended contact, with a plausible change in the tool's direction."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.spec.assessment_tools import assessment_tool
from workbench.synthetic import calibration as cal


def _round(tool_code: str, values: np.ndarray) -> np.ndarray:
    """Scores as the tool records them: TOMs in half points, the rest whole numbers."""
    return np.round(values * 2) / 2 if tool_code == "WB-TOMS" else np.round(values)


def make_assessments(
    rng: np.random.Generator, ref: pd.DataFrame, last_attended_day: np.ndarray
) -> pd.DataFrame:
    """Assessment pairs (internal types) for seen referrals on the outcome-measured lines."""
    tools = ref["line"].map(cal.ASSESSMENT_TOOLS_BY_LINE)
    eligible = ref["seen"].to_numpy() & tools.notna().to_numpy()
    eligible &= rng.random(len(ref)) < cal.ASSESSMENT_SHARE
    parts = []
    for code in sorted(set(tools[eligible])):
        tool = assessment_tool(code)
        idx = np.flatnonzero(eligible & (tools == code).to_numpy())
        span = tool.maximum - tool.minimum
        first = tool.minimum + span * rng.beta(2.0, 2.5, len(idx))
        if not tool.higher_is_better:
            first = tool.maximum - (first - tool.minimum)
        first = _round(code, first)
        outcome = rng.choice(3, size=len(idx), p=cal.OUTCOME_SHARES)
        step = np.maximum(
            1.0 if code != "WB-TOMS" else 0.5, span * rng.uniform(0.05, 0.3, len(idx))
        )
        sign = np.select([outcome == 0, outcome == 2], [1.0, -1.0], 0.0)
        if not tool.higher_is_better:
            sign = -sign
        last = _round(code, np.clip(first + sign * step, tool.minimum, tool.maximum))
        day1 = ref["stop_day"].to_numpy()[idx]
        day2 = last_attended_day[idx]
        pair = day2 > day1
        base = {
            "rnum": ref["rnum"].to_numpy()[idx],
            "referral_id": ref["referral_id"].to_numpy()[idx],
            "assessment_tool": code,
        }
        parts.append(pd.DataFrame({**base, "score": first, "completion_date": day1}))
        parts.append(pd.DataFrame({**base, "score": last, "completion_date": day2})[pair])
    if not parts:
        return pd.DataFrame(
            columns=["rnum", "referral_id", "assessment_tool", "score", "completion_date"]
        )
    return pd.concat(parts, ignore_index=True)
