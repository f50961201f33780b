"""remarks: a comment system whose moderation enforces a newspaper's published comment policy."""

__version__ = "0.1.0"
