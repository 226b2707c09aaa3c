"""Sizes the database holds, which forms and messages must respect too (no imports: rendering
reads them without touching the database)."""

# As people read them (storage/markup.py: visible)...
COMMUNITY_NAME_MAX = 80
COMMUNITY_DOMAIN_MAX = 1000
SNIPPET_TITLE_MAX = 200
# ...and as stored: markup spends up to five characters on one typed ("&" is "&amp;").
COMMUNITY_NAME_COLUMN = 5 * COMMUNITY_NAME_MAX
SNIPPET_TITLE_COLUMN = 5 * SNIPPET_TITLE_MAX
