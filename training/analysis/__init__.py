"""The analysis half of the training log: planned-vs-performed volume, history, exercise history,
export and the coach's read-only views.

Reads (selectors, scoped to the lifter whose log it is): ``settings`` (a lifter's training
settings as plain data), ``volume`` (performed weekly volume from one aggregate query and
planned-vs-performed weeks), ``history`` (workout lists and details, exercise history, export,
coach access). Views: ``views``. The maths lives in ``training.domain``; the workout flow (start,
log a set, finish) in ``training.selectors``/``services``/``views``.
"""
