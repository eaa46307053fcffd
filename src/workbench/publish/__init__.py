"""Publishing reports: run a parameterised notebook with papermill into a self-contained HTML page
(code hidden, figures embedded, no scripts), sanitise it, print it to PDF, and run a schedule of
notebooks for many organisations in parallel with a manifest and an index page.

- :func:`resolve_request` (``request.py``): the :class:`ReportRequest` of one report, as both
  ``workbench report NOTEBOOK`` and a schedule ask for it.
- :func:`render_notebook` (``render.py``): one notebook, one set of parameters, one report.
- :func:`run_job` (``job.py``): one request rendered, and its manifest :class:`Record`.
- :func:`load_schedule` (``schedule.py``): read and validate a schedule YAML.
- :func:`run_schedule` (``batch.py``): every notebook for every organisation of a schedule.

What a report shows (its sections, tables, charts and sentences) is ``workbench.reports``.
Imported lazily, so that importing the package does not load papermill and nbconvert.
"""

from importlib import import_module

_EXPORTS = {
    "BatchSummary": "batch",
    "run_schedule": "batch",
    "FailedCell": "render",
    "Job": "job",
    "Record": "job",
    "run_job": "job",
    "ReportRequest": "request",
    "resolve_request": "request",
    "RenderResult": "render",
    "render_notebook": "render",
    "Schedule": "schedule",
    "ScheduleError": "schedule",
    "load_schedule": "schedule",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        return getattr(import_module(f"workbench.publish.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'workbench.publish' has no attribute {name!r}")
