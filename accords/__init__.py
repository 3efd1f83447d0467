"""accords: a sourced, time-aware knowledge base of international relations built from the news."""

__version__ = "0.1.0"
