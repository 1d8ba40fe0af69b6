"""Confidential places in the search table are at the middle of their grid square, not their
own point (issue 22: eight searches from different districts located a refuge to 30 m). The
directory tables keep the real point; only the derived search rows change.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 21:40:00
"""
import math

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# As directory.models and directory.search_index.coarse_point at the time of writing.
CELL_LAT, CELL_LON = 0.05, 0.08


def _coarse(lat, lon):
    row, column = math.floor((lat + 90.0) / CELL_LAT), math.floor((lon + 180.0) / CELL_LON)
    return (row + 0.5) * CELL_LAT - 90.0, (column + 0.5) * CELL_LON - 180.0


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT DISTINCT location_id, latitude, longitude FROM search_entry WHERE confidential = :yes"),
        {"yes": True}).all()
    for location_id, lat, lon in rows:
        coarse_lat, coarse_lon = _coarse(lat, lon)
        bind.execute(sa.text("UPDATE search_entry SET latitude = :lat, longitude = :lon "
                             "WHERE location_id = :id AND confidential = :yes"),
                     {"lat": coarse_lat, "lon": coarse_lon, "id": location_id, "yes": True})


def downgrade() -> None:
    pass  # the search rows are derived: directory.search_index.rebuild writes them again
