"""Full-text search on PostgreSQL: the pg_trgm extension, a weighted search vector column
with a GIN index, and a trigram index on route names. SQLite gets none of it (its search
falls back to a simpler scorer), so the schema is added only where the vendor says so."""

from django.db import migrations

POSTGRES_ONLY = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE guides_route ADD COLUMN IF NOT EXISTS search_vector tsvector",
    # Serves the @@ match of /search/.
    "CREATE INDEX IF NOT EXISTS guides_route_search_idx ON guides_route USING gin (search_vector)",
    # Serves the similarity of misspelt queries to route names.
    "CREATE INDEX IF NOT EXISTS guides_route_name_trgm_idx ON guides_route "
    "USING gin (name gin_trgm_ops)",
]
# A frozen copy of the document guides.search builds, as it was when this migration was
# written: a migration must not change when the app's code does.
WEIGHTED_DOCUMENT_SQL = """
    setweight(to_tsvector('english', coalesce(r.name, '') || ' ' || coalesce(r.acronym, '')), 'A')
    || setweight(to_tsvector('english', coalesce(r.summary, '')), 'B')
    || setweight(to_tsvector('english',
        coalesce(r.overview, '') || ' '
        || coalesce((SELECT string_agg(c.text, ' ') FROM guides_eligibilitycriterion c
                     WHERE c.route_id = r.id), '') || ' '
        || coalesce((SELECT string_agg(f.question || ' ' || f.answer, ' ') FROM guides_faq f
                     WHERE f.route_id = r.id), '')), 'C')
"""
POSTGRES_ONLY_REVERSE = [
    "DROP INDEX IF EXISTS guides_route_name_trgm_idx",
    "DROP INDEX IF EXISTS guides_route_search_idx",
    "ALTER TABLE guides_route DROP COLUMN IF EXISTS search_vector",
]


def add_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in POSTGRES_ONLY:
        schema_editor.execute(statement)
    schema_editor.execute(f"UPDATE guides_route r SET search_vector = {WEIGHTED_DOCUMENT_SQL}")


def remove_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in POSTGRES_ONLY_REVERSE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("guides", "0004_editing_workflow")]

    operations = [migrations.RunPython(add_search, remove_search)]
