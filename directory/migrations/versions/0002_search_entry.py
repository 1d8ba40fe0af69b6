"""Search table (models.SearchEntry): for every service at a location with coordinates, a row
under "*" and one under each of its need and feature codes, so the nearest-service search reads one
covering index instead of joining four tables. Filled here from the existing directory;
directory.search_index keeps it in step afterwards.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 16:40:00
"""
import math

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# As directory.models.geo_cell_for at the time of writing (kept here so the migration never
# changes when the application code does).
CELL_LAT, CELL_LON = 0.05, 0.08
CONFIDENTIAL = "waymark:feature:confidential-address"


def _cell(lat, lon):
    return int(math.floor((lat + 90.0) / CELL_LAT)) * 10000 + int(math.floor((lon + 180.0) / CELL_LON))


def upgrade() -> None:
    bind = op.get_bind()
    # A database adopted from before migrations (directory.db._adopt) already has the table.
    if "search_entry" not in sa.inspect(bind).get_table_names():
        op.create_table('search_entry',
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('geo_cell', sa.Integer(), nullable=False),
        sa.Column('place_id', sa.String(length=64), nullable=False),
        sa.Column('service_id', sa.String(length=64), nullable=False),
        sa.Column('location_id', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=32), nullable=False),
        sa.Column('latitude', sa.Float(), nullable=False),
        sa.Column('longitude', sa.Float(), nullable=False),
        sa.Column('codes', sa.Text(), nullable=False),
        sa.Column('confidential', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('code', 'geo_cell', 'place_id'),
        sqlite_with_rowid=False,  # stored in key order: a search reads neighbouring rows
        )
        with op.batch_alter_table('search_entry', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_search_entry_location_id'), ['location_id'], unique=False)
            batch_op.create_index(batch_op.f('ix_search_entry_service_id'), ['service_id'], unique=False)
    _fill(bind)


def _fill(bind) -> None:
    entry = sa.table('search_entry', *(sa.column(c) for c in (
        'place_id', 'code', 'service_id', 'location_id', 'status', 'geo_cell', 'latitude', 'longitude', 'codes',
        'confidential')))
    bind.execute(sa.text("DELETE FROM search_entry"))
    places = bind.execute(sa.text(
        "SELECT sal.id, sal.service_id, sal.location_id, s.status, l.latitude, l.longitude "
        "FROM service_at_location sal JOIN service s ON s.id = sal.service_id "
        "JOIN location l ON l.id = sal.location_id "
        "WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL")).all()
    if not places:
        return
    codes = {}
    for link_id, term_id in bind.execute(sa.text(
            "SELECT link_id, taxonomy_term_id FROM attribute "
            "WHERE link_entity = 'service' AND taxonomy_term_id LIKE 'waymark:%'")):
        codes.setdefault(link_id, set()).add(term_id[len("waymark:"):])
    confidential = {r[0] for r in bind.execute(sa.text(
        "SELECT link_id FROM attribute WHERE link_entity = 'location' AND taxonomy_term_id = :t"),
        {"t": CONFIDENTIAL})}
    rows = []
    for p in places:
        own = sorted(codes.get(p[1], ()))
        row = {"place_id": p[0], "service_id": p[1], "location_id": p[2], "status": p[3],
               "geo_cell": _cell(p[4], p[5]), "latitude": p[4], "longitude": p[5],
               "codes": " " + " ".join(own) + " ", "confidential": p[2] in confidential}
        rows.extend(dict(row, code=code) for code in ["*", *own]
                    if code == "*" or code.startswith(("need:", "feature:")))
    for start in range(0, len(rows), 1000):
        bind.execute(sa.insert(entry), rows[start:start + 1000])


def downgrade() -> None:
    op.drop_table('search_entry')
