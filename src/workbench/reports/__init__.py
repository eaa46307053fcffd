"""What a report notebook shows: its organisation's aggregates (``data.py``), the front page, the
sections of each report (``sections/``), tables with disclosure control and labels from the
measure registry (``tables.py``), and the sentences that state the main numbers
(``narrative.py``).

How pages are rendered, sanitised, printed and published in batches is ``workbench.publish``.
"""
