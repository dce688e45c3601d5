"""Workforce planning: a pilot run's offered load (``workload``), the agents each hour needs
and the shifts that cover them (``staffing``), a configuration staffed from its own
forecast (``plan``), and staffing searched by simulation (``optimise``)."""
