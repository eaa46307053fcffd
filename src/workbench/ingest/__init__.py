"""Ingest: read, validate, guard, de-duplicate and reconcile submission files into a store."""

from workbench.ingest.run import ingest

__all__ = ["ingest"]
