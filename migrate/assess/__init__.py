"""``api-migrate assess``: before anything moves, convert every API of an estate for each target
vendor (nothing is pushed) and report per API x target what carries over, what is lost, what
needs a decision, and an effort rating, with estate-wide totals (``assessment.json`` and
``assessment.html``).

The entry point, ``migrate.assess.run.assess``, takes an iterable of sources (``sources.Source``:
a name, where it comes from, and how to load its model), so APIs pulled from a vendor can be
assessed the same way as spec files.
"""
