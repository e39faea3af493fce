"""A runnable simulator of the demo councils' back-office systems.

It speaks the same HTTP APIs the vendor integrations call, one module per simulated
vendor (open311, govuk_pay, revbase, ctaxpro, wastecal, bindays, planview,
repairdesk; mounted by app.py), one path prefix per council, and keeps its records
in SQLite through SQLAlchemy. It stands in for the systems we cannot run; nothing
in the assistant knows it is a simulator.
"""
