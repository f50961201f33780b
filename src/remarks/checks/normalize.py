"""Moved to :mod:`remarks.text.normalize` (shared by checks, models and services). This name stays
only until ``services/policy.py`` imports the new one."""

from remarks.text.normalize import LEET, PROFANITY, Normalized, normalize

__all__ = ["LEET", "PROFANITY", "Normalized", "normalize"]
