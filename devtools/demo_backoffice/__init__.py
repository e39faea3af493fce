"""A runnable simulator of the demo councils' back-office systems.

It speaks the same HTTP APIs the vendor integrations call (Open311 GeoReport v2,
GOV.UK Pay, RevBase, CTaxPro, WasteCal, PlanView, RepairDesk), one path prefix per
council, and keeps its records in SQLite through SQLAlchemy. It stands in for the
systems we cannot run; nothing in the assistant knows it is a simulator.
"""
