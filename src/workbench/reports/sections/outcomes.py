"""The outcomes report (MEASURES.md section 5): paired assessments, contacts and DNA rates,
community inpatient stays and delays, readmissions, follow-on acute admissions after urgent
response, and inequality across deprivation."""

from __future__ import annotations

from workbench import charts
from workbench.reports import narrative as say
from workbench.reports.data import ReportData
from workbench.reports.sections.common import numeric, rate_table
from workbench.reports.tables import controlled, show
from workbench.spec import ASSESSMENT_TOOL

NAMES = {
    "assessment_tool": "Assessment tool",
    "pairs": "Pairs",
    "improved": "Improved",
    "unchanged": "Unchanged",
    "worse": "Worse",
    "pct_improved": "% improved",
    "median_change": "Median change",
    "wilcoxon_p": "Wilcoxon p",
    "month": "Month",
    "contacts": "Contacts",
    "attended": "Attended",
    "dna": "Did not attend",
    "cancelled": "Cancelled",
    "dna_rate": "DNA rate %",
    "spells": "Spells",
    "median_los_days": "Median stay (days)",
    "delayed": "Delayed spells",
    "bed_days_lost": "Bed days lost to delay",
    "pct_discharged_on_day_ready": "% discharged on the day ready",
    "readmitted_30_days": "Readmitted within 30 days",
    "readmission_rate": "Readmission %",
    "destination_label": "Destination",
    "pct_spells": "% of spells",
    "clocks": "UCR clocks",
    "admitted_2_days": "Admitted within 2 days",
    "admitted_30_days": "Admitted within 30 days",
    "pct_admitted_2_days": "% within 2 days",
    "pct_admitted_30_days": "% within 30 days",
    "description": "Outcome",
    "rate": "England %",
    "sii": "SII (points)",
    "sii_lower": "SII lower",
    "sii_upper": "SII upper",
    "rii": "RII",
    "rii_lower": "RII lower",
    "rii_upper": "RII upper",
}


def assessments(data: ReportData, dc: bool = True) -> list:
    """Paired first and last scored assessments by tool: improved, unchanged, worse."""
    frame = data.table("paired_assessments")
    frame = frame[frame["pairs"] > 0]
    if frame.empty:
        return ["No paired assessments in the period."]
    frame = frame.assign(
        assessment_tool=frame["assessment_tool"].map(lambda c: ASSESSMENT_TOOL.codes.get(c, c))
    )
    table = controlled(
        frame,
        ["pairs", "improved", "unchanged", "worse"],
        {"pct_improved": ("improved", "pairs")},
        {"median_change": "pairs"},
        labels=["assessment_tool"],
        enabled=dc,
    )
    table["wilcoxon_p"] = frame["wilcoxon_p"].where(numeric(table["pairs"]).notna()).round(4)
    return [show(table, NAMES)]


def contacts(data: ReportData, dc: bool = True) -> list:
    """Contact outcomes and the DNA rate, with its monthly SPC chart."""
    total = data.table("contact_outcomes")
    monthly = data.table("contact_outcomes", "month")
    if total.empty:
        return ["No contacts in the period."]
    row = rate_table(
        total.assign(_all="all"),
        "_all",
        "dna_rate",
        "dna",
        "attended_or_dna",
        dc,
        extra_counts=["contacts"],
    ).iloc[0]
    items = [
        say.share_sentence(
            "The did-not-attend rate",
            row["dna_rate"],
            row["dna_rate_lower"],
            row["dna_rate_upper"],
            "attended or missed contacts",
            row["attended_or_dna"],
        )
    ]
    if not monthly.empty:
        table = rate_table(
            monthly,
            "month",
            "dna_rate",
            "dna",
            "attended_or_dna",
            dc,
            extra_counts=["contacts", "attended", "cancelled"],
        )
        items += [
            charts.spc_chart(
                numeric(table["dna_rate"]).to_numpy(),
                table["month"].tolist(),
                title="Did-not-attend rate by month",
                y_label="% of attended or missed contacts",
                higher_is_better=False,
            ),
            show(table, NAMES),
        ]
    return items


def inpatients(data: ReportData, dc: bool = True) -> list:
    """Community inpatient stays: length of stay, delays after ready, bed days, readmissions."""
    frame = data.table("inpatient_stays").rename(
        columns={"spells_with_ready_date": "spells_ready_known"}
    )  # a count, not a date
    if frame.empty or frame["spells"].sum() == 0:
        return ["No community inpatient spells ended in the period."]
    table = controlled(
        frame,
        [
            "spells",
            "delayed",
            "bed_days_lost",
            "readmitted_30_days",
            "discharged_on_day_ready",
            "spells_ready_known",
            "discharged_alive",
        ],
        {
            "pct_discharged_on_day_ready": ("discharged_on_day_ready", "spells_ready_known"),
            "readmission_rate": ("readmitted_30_days", "discharged_alive"),
        },
        {"median_los_days": "spells"},
        enabled=dc,
    )
    keep = [
        "spells",
        "median_los_days",
        "delayed",
        "bed_days_lost",
        "pct_discharged_on_day_ready",
        "readmitted_30_days",
        "readmission_rate",
    ]
    destinations = data.table("discharge_destinations")
    items = [show(table[keep], NAMES)]
    if not destinations.empty:
        items.append(
            show(
                controlled(
                    destinations,
                    ["spells"],
                    {"pct_spells": ("spells", "group_spells")},
                    labels=["destination_label"],
                    enabled=dc,
                ).drop(columns=["group_spells"], errors="ignore"),
                NAMES,
            )
        )
    return items


def follow_on(data: ReportData, dc: bool = True) -> list:
    """Emergency acute admissions within 2 and 30 days of an urgent response."""
    frame = data.table("ucr_follow_on")
    if frame.empty or frame["clocks"].sum() == 0:
        return ["No in-scope urgent response clocks in the period."]
    table = controlled(
        frame,
        ["clocks", "admitted_2_days", "admitted_30_days"],
        {
            "pct_admitted_2_days": ("admitted_2_days", "clocks"),
            "pct_admitted_30_days": ("admitted_30_days", "clocks"),
        },
        enabled=dc,
    )
    row = table.iloc[0]
    return [
        say.share_sentence(
            "Emergency admission within 2 days of an urgent response",
            row["pct_admitted_2_days"],
            row["pct_admitted_2_days_lower"],
            row["pct_admitted_2_days_upper"],
            "in-scope clocks",
            row["clocks"],
        ),
        show(table, NAMES),
    ]


def inequality(data: ReportData, dc: bool = True) -> list:
    """Slope and relative index of inequality across IMD deciles (computed for England), and the
    DNA rate by decile."""
    national = data.national("inequality")
    items = [
        "Inequality indices are computed for England, where every decile has enough "
        "people for a stable slope."
    ]
    if not national.empty:
        keep = [
            "description",
            "rate",
            "sii",
            "sii_lower",
            "sii_upper",
            "rii",
            "rii_lower",
            "rii_upper",
        ]
        items.append(show(national[keep].round(2), NAMES))
    rates = data.national("inequality_rates")
    dna = rates[(rates["measure"] == "dna_rate") & (rates["grouping"] == "imd_decile")]
    if not dna.empty:
        table = rate_table(dna, "group", "rate", "numerator", "denominator", dc)
        items.append(
            charts.proportion_bars(
                table.assign(rate=numeric(table["rate"])),
                "group",
                "rate",
                "rate_lower",
                "rate_upper",
                title="Did-not-attend rate by IMD decile (England)",
                x_label="DNA rate %",
            )
        )
    return items
