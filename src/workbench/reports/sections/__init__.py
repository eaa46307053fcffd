"""The sections of each report: functions of the organisation's aggregates that return the
items a notebook shows (Markdown sentences, disclosure-controlled tables, charts). The notebooks
only call them, so everything a report says is computed and tested here."""
