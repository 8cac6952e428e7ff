"""api-migrate: move API definitions between formats and API platforms."""

__version__ = "0.1.0"
