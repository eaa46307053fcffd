"""Record-level facts: every breakdown attribute resolved once per store version.

Measures read facts, not raw tables (measures.md sections 2 to 5). Each fact is one row per unit
a family of measures counts, with provider, ICB and region of residence, team type, service
(adult or children and young people's), age group, sex, broad ethnic group and IMD decile and
quintile already attached, so that a measure is one filter and one grouped reduction:

- ``pathways``: one row per referral with a clock start (:mod:`workbench.facts.pathways`);
- ``persons`` and ``person_months``: one row per person, and per person and month of activity
  (:mod:`workbench.facts.persons`);
- ``ucr_clocks``: one row per urgent response clock (:mod:`workbench.facts.ucr_clocks`);
- ``social_care_events``, ``reablement_episodes`` and ``transitions``: the linked pathway facts
  across community health, acute care and adult social care (measures.md section 9;
  :mod:`workbench.facts.social_care`, :mod:`workbench.facts.reablement`,
  :mod:`workbench.facts.transitions`);
- and the outcome facts registered in :data:`FACTS`.

Facts are written beside each store version (``STORE/versions/<v>/facts/``) the first time they
are asked for (:mod:`workbench.facts.cache`), and a daily load writes the next version's from
them, updated for the persons it touched (:mod:`workbench.facts.carry`).
"""

from workbench.facts.cache import build_facts, fact_table
from workbench.facts.catalogue import FACTS, Fact

__all__ = ["FACTS", "Fact", "build_facts", "fact_table"]
