"""Persistence: SQLModel models, the engine, one module per concept, search and migrations."""
