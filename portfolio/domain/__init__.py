"""Pure domain computation: the gate checks and the allocation arithmetic.

Modules here read models and choices and compute; they write nothing and import no layer
above the models (services write, selectors read, both call these). make test checks the
rule with import-linter (pyproject.toml)."""
