"""Deciding what happens to a new comment: the pipeline, the verdicts, the rules (a new screening
rule goes in `rules.py`), the Akismet adapter, and what the rules remember (flood claims, form
tokens)."""
