"""Feed sync (issue 21): every pull of a council's ORUK feed is recorded (feed_sync_run), and a
lease table lets one instance at a time sync while several serve the same directory.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 03:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    tables = set(sa.inspect(op.get_bind()).get_table_names())
    if "feed_sync_run" not in tables:  # a database adopted from before migrations may have it
        op.create_table(
            'feed_sync_run',
            sa.Column('id', sa.String(length=64), nullable=False),
            sa.Column('source', sa.String(length=128), nullable=False),
            sa.Column('url', sa.String(length=1024), nullable=False),
            sa.Column('full', sa.Boolean(), nullable=False),
            sa.Column('modified_after', sa.DateTime(timezone=True), nullable=True),
            sa.Column('trigger', sa.String(length=128), nullable=False),
            sa.Column('status', sa.String(length=16), nullable=False),
            sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
            sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
            sa.Column('pages', sa.Integer(), nullable=False),
            sa.Column('requests', sa.Integer(), nullable=False),
            sa.Column('bytes_read', sa.Integer(), nullable=False),
            sa.Column('records', sa.Integer(), nullable=False),
            sa.Column('created', sa.Integer(), nullable=False),
            sa.Column('updated', sa.Integer(), nullable=False),
            sa.Column('unchanged', sa.Integer(), nullable=False),
            sa.Column('retired', sa.Integer(), nullable=False),
            sa.Column('quarantined', sa.Integer(), nullable=False),
            sa.Column('refused', sa.Integer(), nullable=False),
            sa.Column('error', sa.Text(), nullable=True),
            sa.Column('holder', sa.String(length=128), nullable=True),
            sa.PrimaryKeyConstraint('id'),
        )
        with op.batch_alter_table('feed_sync_run', schema=None) as batch_op:
            batch_op.create_index('ix_feed_sync_run_source_started', ['source', 'started_at'], unique=False)
            batch_op.create_index(batch_op.f('ix_feed_sync_run_status'), ['status'], unique=False)
    if "lease" not in tables:
        op.create_table(
            'lease',
            sa.Column('name', sa.String(length=160), nullable=False),
            sa.Column('holder', sa.String(length=128), nullable=False),
            sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint('name'),
        )


def downgrade() -> None:
    op.drop_table('lease')
    with op.batch_alter_table('feed_sync_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_sync_run_status'))
        batch_op.drop_index('ix_feed_sync_run_source_started')
    op.drop_table('feed_sync_run')
