"""Scored assessment tools, with each tool's score range and direction of improvement.

CSDS carries coded scored assessments (CYP609/CYP612: a SNOMED CT assessment tool id and a
score). No national list of the tools used in community services was available to the project
(sources.md 2g), so this table is the project's own: the ids are local codes, not SNOMED CT
concept ids. Replace them with the SNOMED CT ids the providers send; the outcome measures read
the direction and range from here (measures.md section 5, "read in the tool's direction").
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.spec.value_sets import ValueSet


@dataclass(frozen=True)
class AssessmentTool:
    """An assessment tool: its code, name, score range and whether a higher score is better."""

    code: str
    name: str
    minimum: float
    maximum: float
    higher_is_better: bool


ASSESSMENT_TOOLS: tuple[AssessmentTool, ...] = (
    AssessmentTool("WB-BARTHEL", "Barthel index of activities of daily living", 0, 20, True),
    AssessmentTool("WB-EQVAS", "EQ-5D visual analogue scale", 0, 100, True),
    AssessmentTool("WB-TOMS", "Therapy outcome measure (impairment domain)", 0, 5, True),
    AssessmentTool("WB-MSKHQ", "Musculoskeletal health questionnaire", 0, 56, True),
    AssessmentTool("WB-PHQ9", "Patient health questionnaire (depression)", 0, 27, False),
    AssessmentTool("WB-SDQ", "Strengths and difficulties questionnaire (total)", 0, 40, False),
)

ASSESSMENT_TOOL = ValueSet(
    "assessment_tool",
    {tool.code: tool.name for tool in ASSESSMENT_TOOLS},
    national=False,
    source="project's own assessment tool table (no national list available, sources.md 2g)",
)


def assessment_tool(code: str) -> AssessmentTool:
    """The assessment tool with this code; KeyError naming the code when it is not in the table."""
    for tool in ASSESSMENT_TOOLS:
        if tool.code == code:
            return tool
    raise KeyError(f"assessment tool {code!r} is not in the workbench's tool table")
