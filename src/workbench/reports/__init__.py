"""Rendered reports: run a parameterised notebook with papermill into a self-contained HTML page
(code hidden, figures embedded, no scripts), and run a schedule of notebooks for many
organisations in parallel with a manifest and an index page.

- :func:`render_notebook` (``render.py``): one notebook, one set of parameters, one report.
- :func:`load_schedule` (``schedule.py``): read and validate a schedule YAML.
- :func:`run_schedule` (``batch.py``): every notebook for every organisation of a schedule.

Imported lazily, so that a notebook importing ``workbench.reports.data`` does not load
papermill and nbconvert.
"""

from importlib import import_module

_EXPORTS = {
    "BatchSummary": "batch",
    "run_schedule": "batch",
    "FailedCell": "render",
    "RenderResult": "render",
    "render_notebook": "render",
    "Schedule": "schedule",
    "ScheduleError": "schedule",
    "load_schedule": "schedule",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"workbench.reports.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'workbench.reports' has no attribute {name!r}")
