"""Storage: the data model, engines, upserts and migrations."""
