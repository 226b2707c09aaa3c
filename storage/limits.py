"""Sizes the database holds, which forms and messages must respect too (no imports: rendering
reads them without touching the database)."""

COMMUNITY_NAME_MAX = 80
COMMUNITY_DOMAIN_MAX = 1000
