"""Cue lists used by the context and question stages (data, not code)."""
