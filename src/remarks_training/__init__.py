"""Training-time code and data of remarks (never imported at run time)."""
