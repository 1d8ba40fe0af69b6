"""Anonymous, aggregated figures for the people who fund and plan services.

    record_demand(...)   called by the actions that search the directory (insights/recording.py)
    queries              the report tables, with small counts suppressed (insights/queries.py)
    api                  /reports (the page) and /reports/api/... (JSON and CSV), admins only
"""
from insights.recording import record_demand

__all__ = ["record_demand"]
