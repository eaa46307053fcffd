"""One provider's extract: persons, referrals and their pathways, then every table as record
versions (internal types plus ``_event`` day and ``_seq`` version order)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.spec.value_sets import ATTENDED
from workbench.synthetic import calibration as cal
from workbench.synthetic.acute import make_admissions
from workbench.synthetic.assessments import make_assessments
from workbench.synthetic.config import GeneratorConfig
from workbench.synthetic.contacts import make_contacts
from workbench.synthetic.dates import MISSING, add_months, day_number, month_index
from workbench.synthetic.defects import (
    INVALID_LSOAS,
    DefectModel,
    hits,
    invalid_codes,
    person_defects,
)
from workbench.synthetic.diagnoses import make_diagnoses
from workbench.synthetic.ids import ORPHAN_REFERRAL
from workbench.synthetic.inpatient import make_spells
from workbench.synthetic.persons import age_on, make_persons
from workbench.synthetic.providers import Provider
from workbench.synthetic.referrals import make_referrals, ucr_referral_reasons

STREAMS = (
    "persons",
    "referrals",
    "contacts",
    "clinical",
    "beds",
    "acute",
    "defects",
    "model",
    "files",
    "ucr",
)


def window(config: GeneratorConfig) -> tuple[int, int, int]:
    """(history start, period start, period end) as day numbers."""
    start = day_number(config.period_start)
    end = day_number(add_months(config.period_start, config.months))
    return start - int(cal.HISTORY_YEARS * 365.25), start, end


def rngs(config: GeneratorConfig, provider: Provider) -> dict[str, np.random.Generator]:
    """Independent streams per provider, from SeedSequence([seed, provider index]). A stream
    added at the end of :data:`STREAMS` leaves the earlier streams' draws as they were."""
    seq = np.random.SeedSequence([config.seed, provider.index])
    return {
        name: np.random.default_rng(s)
        for name, s in zip(STREAMS, seq.spawn(len(STREAMS)), strict=True)
    }


def _versions(frame: pd.DataFrame, event: np.ndarray, seq: int) -> pd.DataFrame:
    return frame.assign(_event=np.asarray(event, dtype=np.int64), _seq=seq)


def _referral_versions(ref: pd.DataFrame, end_day: np.ndarray, code: str) -> pd.DataFrame:
    base = pd.DataFrame(
        {
            "referral_id": ref["referral_id"].to_numpy(),
            "person_id": ref["person_id"].to_numpy(),
            "provider_code": code,
            "referral_received_date": ref["received_day"].to_numpy(),
            "referral_received_time": ref["received_min"].to_numpy(),
            "source_of_referral": ref["source_of_referral"].to_numpy(),
            "priority_type": ref["priority_type"].to_numpy(),
            "primary_referral_reason": ref["primary_referral_reason"].to_numpy(),
            "ucr_referral_reason": ref["ucr_referral_reason"].to_numpy(),
            "team_type": ref["line"].to_numpy(),
            "age_at_referral": ref["age_at_referral"].to_numpy(),
            "referral_closure_date": MISSING,
            "referral_closure_reason": "",
            "referral_rejection_date": MISSING,
            "service_discharge_date": MISSING,
        }
    )
    seen = ref["seen"].to_numpy()
    rejected = ref["rejected"].to_numpy()
    closed = base.copy()
    closed["referral_closure_date"] = np.where(rejected, MISSING, end_day)
    closed["referral_closure_reason"] = np.where(seen, "01", ref["removal_reason"].to_numpy())
    closed["referral_rejection_date"] = np.where(rejected, end_day, MISSING)
    closed["service_discharge_date"] = np.where(seen, end_day, MISSING)
    return pd.concat(
        [_versions(base, ref["received_day"], 0), _versions(closed, end_day, 1)],
        ignore_index=True,
    )


def _clock_versions(ref: pd.DataFrame, code: str) -> pd.DataFrame:
    clk = ref[ref["clock_type"] != ""]
    start = pd.DataFrame(
        {
            "referral_id": clk["referral_id"].to_numpy(),
            "provider_code": code,
            "measurement_type": clk["clock_type"].to_numpy(),
            "clock_start_date": clk["received_day"].to_numpy(),
            "clock_start_time": clk["received_min"].to_numpy(),
            "clock_end_date": MISSING,
            "clock_end_time": MISSING,
        }
    )
    ended = start.assign(
        clock_end_date=clk["clock_end_day"].to_numpy(),
        clock_end_time=clk["clock_end_min"].to_numpy(),
    )
    has_end = clk["clock_end_day"].to_numpy() != MISSING
    ended = ended[has_end]
    event = np.maximum(ended["clock_start_date"], ended["clock_end_date"])
    return pd.concat(
        [_versions(start, start["clock_start_date"], 0), _versions(ended, event, 1)],
        ignore_index=True,
    )


def _mpi_versions(
    persons: pd.DataFrame, ref: pd.DataFrame, provider: Provider, start: int
) -> pd.DataFrame:
    rows = ref["prow"].to_numpy()
    p = persons.iloc[rows]
    day = np.maximum(ref["received_day"].to_numpy(), start)
    lsoa = p["lsoa"].to_numpy()
    lsoa11 = provider.lsoa11[lsoa].copy()
    lsoa21 = provider.lsoa21[lsoa].copy()
    band = p["lsoa_defect"].to_numpy()
    lsoa11[band >= 0] = ""
    lsoa21[band >= 0] = ""
    bad = np.flatnonzero(band == 1)
    lsoa11[bad] = np.array(INVALID_LSOAS, dtype=object)[
        p["pnum"].to_numpy()[bad] % len(INVALID_LSOAS)
    ]
    frame = pd.DataFrame(
        {
            "person_id": p["person_id"].to_numpy(),
            "provider_code": provider.code,
            "age_years": age_on(p["dob_day"].to_numpy(), day),
            "gender": p["gender"].to_numpy(),
            "ethnic_category": p["ethnic_category"].to_numpy(),
            "lsoa_2011": lsoa11,
            "lsoa_2021": lsoa21,
            "postcode_district": provider.postcode_district[lsoa],
            "gp_practice_code": provider.gp_practice[lsoa],
        }
    )
    return _versions(frame, ref["received_day"], 0).assign(_seq=ref["received_day"].to_numpy())


def _contact_rows(con: pd.DataFrame, code: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "contact_id": con["contact_id"].to_numpy(),
            "referral_id": con["referral_id"].to_numpy(),
            "provider_code": code,
            "contact_date": con["day"].to_numpy(),
            "contact_time": con["minute"].to_numpy(),
            "attendance_status": con["attendance_status"].array,
            "consultation_mechanism": con["consultation_mechanism"].array,
            "contact_duration_minutes": con["contact_duration_minutes"].to_numpy(),
            "activity_location_type": con["activity_location_type"].array,
        }
    )
    return _versions(frame, con["_event"].to_numpy(), 0)


def _spell_versions(spells: pd.DataFrame, persons: pd.DataFrame, code: str) -> pd.DataFrame:
    full = pd.DataFrame(
        {
            "spell_id": np.arange(len(spells), dtype=np.int64),
            "person_id": persons["person_id"].to_numpy()[spells["prow"].to_numpy()],
            "provider_code": code,
            "admission_date": spells["admission_date"].to_numpy(),
            "discharge_ready_date": spells["discharge_ready_date"].to_numpy(),
            "discharge_date": spells["discharge_date"].to_numpy(),
            "discharge_destination": spells["discharge_destination"].to_numpy(),
        }
    )
    admitted = full.assign(
        discharge_ready_date=MISSING, discharge_date=MISSING, discharge_destination=""
    )
    ready = full.assign(discharge_date=MISSING, discharge_destination="")
    return pd.concat(
        [
            _versions(admitted, full["admission_date"], 0),
            _versions(ready, full["discharge_ready_date"], 1),
            _versions(full, full["discharge_date"], 2),
        ],
        ignore_index=True,
    )


def build_provider(
    config: GeneratorConfig, provider: Provider
) -> tuple[dict[str, pd.DataFrame], DefectModel, dict[str, int]]:
    """Every table of one provider as record versions, the provider's defect model and counts
    (persons, referrals) of records that appear in the extract."""
    history, start, end = window(config)
    rng = rngs(config, provider)
    model = DefectModel(config.defects, config.variation, rng["model"], config.months)
    n_persons = _person_count(config, history, end)
    persons = make_persons(rng["persons"], provider, n_persons, history, end)
    ref = make_referrals(rng["referrals"], persons, end, provider.has_beds)
    ref["ucr_referral_reason"] = ucr_referral_reasons(rng["ucr"], ref["line"].to_numpy())
    ref["person_id"] = persons["person_id"].to_numpy()[ref["prow"].to_numpy()]
    draws, discharge = make_contacts(rng["contacts"], ref)
    spells = make_spells(rng["beds"], ref if provider.has_beds else ref.iloc[:0])
    end_day = _referral_end_days(ref, discharge, spells)

    kept = (end_day >= start) & (ref["received_day"].to_numpy() < end)
    ref, end_day = ref[kept].reset_index(drop=True), end_day[kept]
    con = draws.frame(kept[draws.referral_row] & (draws.columns["day"] < end))
    del draws
    con["_event"] = con["day"]

    # Person-level defects, by the month the person first appears.
    person_rows = np.unique(ref["prow"].to_numpy())
    p_month = _first_seen_months(ref, len(persons), start)
    persons = person_defects(rng["defects"], model, persons, p_month)

    code = provider.code
    tables: dict[str, pd.DataFrame] = {}
    tables["mpi"] = _mpi_versions(persons, ref, provider, start)
    tables["referrals"] = _referral_table(rng["defects"], model, config, ref, end_day, code, start)
    tables["rtt_clocks"] = _clock_versions(ref, code)
    tables["care_contacts"] = _contact_table(rng["defects"], model, con, ref, code, start)
    tables["diagnoses"], tables["assessments"] = _clinical_tables(rng["clinical"], ref, con, code)
    # Spells and acute admissions, for persons in the extract only.
    in_mpi = np.zeros(len(persons), dtype=bool)
    in_mpi[person_rows] = True
    spells = spells[in_mpi[spells["prow"].to_numpy()] & (spells["discharge_date"] >= start)]
    spells = spells.reset_index(drop=True)
    tables["inpatient_spells"] = _spell_versions(spells, persons, code)
    adm = make_admissions(rng["acute"], ref, persons["group"].to_numpy(), person_rows, start, end)
    tables["acute_admissions"] = _versions(
        pd.DataFrame(
            {
                "person_id": persons["person_id"].to_numpy()[adm["prow"].to_numpy()],
                "admission_date": adm["admission_date"].to_numpy(),
                "admission_method": adm["admission_method"].to_numpy(),
                # The true discharge (none while admitted at the extract's end); the files'
                # versions of it are dated in generate (acute.discharge_states).
                "discharge_date": np.where(
                    adm["discharge_date"].to_numpy() < end, adm["discharge_date"], MISSING
                ),
                "provider_code": provider.acute_code,
            }
        ),
        adm["admission_date"],
        0,
    )
    counts = {"persons": len(person_rows), "referrals": len(ref)}
    return tables, model, counts


def _person_count(config: GeneratorConfig, history: int, end: int) -> int:
    """Persons needed for the configured referrals a year over the whole window, given the
    mean referrals per person across age groups."""
    mean_rpp = sum(
        s * r for s, r in zip(cal.PERSON_AGE_SHARES, cal.REFERRALS_PER_PERSON, strict=True)
    ) / sum(cal.PERSON_AGE_SHARES)
    return round(config.referrals_per_provider_year * (end - history) / 365.25 / mean_rpp)


def _referral_end_days(
    ref: pd.DataFrame, discharge: np.ndarray, spells: pd.DataFrame
) -> np.ndarray:
    """The day each referral ends: its discharge when seen, else its removal; a bed-based
    referral stays open until its first spell ends."""
    first_spell = spells.drop_duplicates("prow")
    end_day = np.where(ref["seen"], discharge, ref["removal_day"]).astype(np.int64)
    bed_ref = np.flatnonzero(((ref["line"] == "A21") & ref["seen"]).to_numpy())
    prow = ref["prow"].to_numpy()[bed_ref]
    spell_prow = first_spell["prow"].to_numpy()
    size = 1 + max(int(prow.max(initial=-1)), int(spell_prow.max(initial=-1)))
    spell_end = np.full(size, np.iinfo(np.int64).min, dtype=np.int64)  # no spell: no later end
    spell_end[spell_prow] = first_spell["discharge_date"].to_numpy()
    end_day[bed_ref] = np.maximum(end_day[bed_ref], spell_end[prow])
    return end_day


def _first_seen_months(ref: pd.DataFrame, n_persons: int, start: int) -> np.ndarray:
    """For each person, the month of the period in which their first referral appears (0 for
    persons not in the extract)."""
    first_seen = (
        pd.Series(np.maximum(ref["received_day"].to_numpy(), start))
        .groupby(ref["prow"].to_numpy())
        .min()
    )
    p_month = np.zeros(n_persons, dtype=np.int64)
    p_month[first_seen.index.to_numpy()] = month_index(first_seen.to_numpy(), start)
    return p_month


def _referral_table(
    rng: np.random.Generator,
    model: DefectModel,
    config: GeneratorConfig,
    ref: pd.DataFrame,
    end_day: np.ndarray,
    provider_code: str,
    start: int,
) -> pd.DataFrame:
    """Referral record versions, with invalid codes when the configuration injects them."""
    ref_month = month_index(np.maximum(ref["received_day"].to_numpy(), start), start)
    referrals = _referral_versions(ref, end_day, provider_code)
    if not config.defects.invalid_codes:
        return referrals
    months_both = np.concatenate([ref_month, ref_month])
    coded = ("priority_type", "source_of_referral", "team_type")
    return invalid_codes(rng, model, referrals, coded, months_both)


def _contact_table(
    rng: np.random.Generator,
    model: DefectModel,
    con: pd.DataFrame,
    ref: pd.DataFrame,
    provider_code: str,
    start: int,
) -> pd.DataFrame:
    """Contact rows with their defects: invalid codes, dated before the referral, orphans."""
    c_month = month_index(np.maximum(con["day"].to_numpy(), start), start)
    contacts = _contact_rows(con, provider_code)
    contacts = invalid_codes(
        rng, model, contacts, ("attendance_status", "consultation_mechanism"), c_month
    )
    early = hits(rng, model, "contact_before_referral", c_month)
    received = ref.set_index("rnum")["received_day"].reindex(con["rnum"]).to_numpy()
    contacts.loc[early, "contact_date"] = received[early] - rng.integers(1, 31, int(early.sum()))
    orphan_p = model.rate("orphan_contacts", c_month)
    orphan = rng.random(len(contacts)) < orphan_p / np.maximum(1 - orphan_p, 1e-9)
    orphans = contacts[orphan].copy()
    orphans["contact_id"] = len(contacts) + np.arange(len(orphans), dtype=np.int64)
    orphans["referral_id"] = ORPHAN_REFERRAL + np.arange(len(orphans), dtype=np.int64)
    return pd.concat([contacts, orphans], ignore_index=True)


def _clinical_tables(
    rng: np.random.Generator, ref: pd.DataFrame, con: pd.DataFrame, provider_code: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Diagnoses and assessments as record versions (an assessment after the last attended
    contact)."""
    dx = make_diagnoses(rng, ref)
    diagnoses = _versions(
        dx.assign(provider_code=provider_code)[
            [
                "referral_id",
                "provider_code",
                "diagnosis_scheme",
                "diagnosis_code",
                "diagnosis_date",
                "primary",
            ]
        ],
        dx["diagnosis_date"],
        0,
    )
    attended = con[con["attendance_status"].isin(ATTENDED)]
    last_att = attended.groupby("rnum")["day"].max().reindex(ref["rnum"]).fillna(MISSING)
    ax = make_assessments(rng, ref, last_att.to_numpy(dtype=np.int64))
    assessments = _versions(
        ax.assign(provider_code=provider_code)[
            ["referral_id", "provider_code", "assessment_tool", "score", "completion_date"]
        ],
        ax["completion_date"],
        0,
    )
    return diagnoses, assessments
