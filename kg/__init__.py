"""kg: turn a curated reading list into a knowledge graph of its field."""

__version__ = "0.1.0"
