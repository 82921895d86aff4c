"""Input checks, one module per topic: every error message of the library is written here.

The trainer's own checks live in ``divergences.trainer._checks``. ``scalars`` holds the checks
every part uses (numbers, counts, choices, seeds); ``vectors``, ``samples``, ``inference``,
``multivariate`` and ``streaming`` serve the public modules their docstrings name. A message names
the argument, says what is wrong (with the values that show it) and what to do; each is asserted
in a test.
"""
