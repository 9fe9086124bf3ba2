"""Training maths as plain typed functions over plain data (TRAINING.md); no database, no ORM.

Modules by concept: ``weeks`` (ISO weeks in a time zone), ``volume`` (hard sets, performed weekly
sets, adherence and status), ``records`` (estimated 1RM and personal records), ``units`` (kg/lb and
rounding), ``plates`` (the plate calculator), ``progression`` (double progression gated on RIR).
The database aggregates; these functions interpret.
"""
