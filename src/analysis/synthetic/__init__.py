"""Generators of the embedded surveys (fixed seeds, with the truth that made them)."""
