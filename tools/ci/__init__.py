"""The checks `.ci/run` makes between its steps (`python -m tools.ci.<name>`), ruff-checked."""
