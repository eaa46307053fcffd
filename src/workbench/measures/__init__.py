"""Engine-side measures (measures.md sections 2-5), written once in Ibis.

Each function takes a store (``workbench.load_store``), a period or census date and ``by=``
breakdowns, reduces the records on the engine and returns a small, tidy pandas frame.
"""

from workbench.breakdowns import BREAKDOWNS, NOT_KNOWN

__all__ = ["BREAKDOWNS", "NOT_KNOWN"]
