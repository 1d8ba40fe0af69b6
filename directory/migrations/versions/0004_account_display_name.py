"""Accounts get a display name, separate from the login name (issue 22: "agent1 from the
helpline has joined" made login names public).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("editor_account")}
    if "display_name" not in columns:  # a database adopted from before migrations may have it
        with op.batch_alter_table("editor_account") as batch_op:
            batch_op.add_column(sa.Column("display_name", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("editor_account") as batch_op:
        batch_op.drop_column("display_name")
