"""The HTML report (``junkan report``): one self-contained file from the public API, with plotly figures.

* :func:`build_report` runs the analyses on a ledger and renders the page; :meth:`Report.write` writes it atomically.
* :mod:`junkan.report.figures` builds every plotly figure (also used by the dashboard); :mod:`junkan.report.data`
  the tables those figures take.

Documentation: docs/report.md.
"""

from junkan.report.build import FIGURE_IDS, SECTION_IDS, Report, build_report, headline_numbers

__all__ = ["FIGURE_IDS", "SECTION_IDS", "Report", "build_report", "headline_numbers"]
