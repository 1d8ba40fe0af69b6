"""`waymark`: one command for serving, chatting and looking after the directory."""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Optional, Sequence

import timekeeping
from waymark.settings import SettingsError, get_settings


def several_workers_problem(settings) -> Optional[str]:
    """Why this configuration cannot be served by several worker processes, or None.

    Each worker is a whole instance with its own model, so the workers must share what
    several instances share (docs/deployment.md): the conversation locks and history."""
    if settings.lock_store_url in ("", "memory"):
        return ("several workers need a shared lock store, so one person's messages are never "
                "handled twice at once: set WAYMARK_LOCK_STORE_URL=redis://127.0.0.1:6379/0")
    if settings.tracker_store_url == "memory":
        return ("several workers need a shared conversation history: set WAYMARK_TRACKER_STORE_URL "
                "to a sqlite:/// file or a postgresql:// database, not memory")
    return None


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from directory.db import engine_for
    from waymark.app import create_app
    from waymark.health import DatabaseNotReady, check_database
    from waymark.serving import uvicorn_options

    settings = get_settings()
    options = uvicorn_options(settings)  # X-Forwarded-For only from WAYMARK_TRUSTED_PROXIES; header deadline
    if args.workers is None:
        args.workers = settings.workers
    try:
        if args.workers <= 1:
            uvicorn.run(create_app(), host=args.host, port=args.port, log_level="info", **options)
            return 0
        problem = several_workers_problem(settings)
        if problem:
            print(f"waymark: {problem}", file=sys.stderr)
            return 2
        check_database(engine_for(settings.database_url))  # once, before any worker starts
        # One core per worker: TensorFlow would otherwise give every worker a thread per core.
        os.environ.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "1")
        os.environ.setdefault("TF_INTER_OP_PARALLELISM_THREADS", "1")
        os.environ["WAYMARK_WORKERS"] = str(args.workers)  # each worker knows it has company
        uvicorn.run("waymark.app:create_app", factory=True, host=args.host, port=args.port,
                    workers=args.workers, log_level="info", **options)
    except DatabaseNotReady as e:
        print(f"waymark: {e}", file=sys.stderr)
        return 2
    return 0


async def chat_loop(assistant, sender: str, read=input, write=print) -> None:
    """The terminal conversation: numbered buttons, Ctrl-D or /quit to stop."""
    buttons: list[dict] = []
    while True:
        try:
            text = read("you> ").strip()
        except EOFError:
            break
        if text in ("/quit", "/exit"):
            break
        if not text:
            continue
        if text.isdigit() and 0 < int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        replies = await assistant.handle(sender, text, channel="cmdline")
        buttons = []
        for reply in replies:
            if reply.get("text"):
                write(f"waymark> {reply['text']}")
            for button in reply.get("buttons", []):
                buttons.append(button)
                write(f"   {len(buttons)}. {button['title']}")
    write("")


def _chat(args: argparse.Namespace) -> int:
    from waymark.assistant import Assistant
    from waymark.logs import configure_logging

    configure_logging("WARNING")
    print("Loading the assistant (about 20 seconds)...", flush=True)
    assistant = Assistant.load(get_settings())
    print("Type a message. Ctrl-D or /quit to stop. A number picks a button.\n")
    asyncio.run(chat_loop(assistant, args.sender))
    return 0


def _directory_init(args: argparse.Namespace) -> int:
    from directory.db import create_schema, engine_for
    from insights.models import create_tables as create_insights_tables

    url = get_settings().database_url
    create_schema(engine_for(url))
    create_insights_tables(engine_for(url))
    print(f"Directory tables ready in {url}")
    return 0


def _directory_seed(args: argparse.Namespace) -> int:
    from directory import seed
    from directory.db import create_schema, engine_for, session_scope

    if not (args.national or args.sample):
        print("waymark directory seed: say what to load: --national, --sample or both", file=sys.stderr)
        return 2
    url = get_settings().database_url
    create_schema(engine_for(url))
    with session_scope(url) as session:
        if args.national:
            print(f"National lines: {seed.seed_national(session)}")
        if args.sample:
            print(f"Sample area: {seed.seed_sample(session)}")
    return 0


def _directory_import_postcodes(args: argparse.Namespace) -> int:
    from directory import postcodes
    from directory.db import create_schema, engine_for, session_scope
    from waymark.limits import ImportTooLarge, check_import_size

    url = get_settings().database_url
    create_schema(engine_for(url))

    def progress(done: int, total: int) -> None:
        print(f"\r  {done}/{total} postcodes", end="", flush=True)

    try:
        check_import_size(Path(args.path), get_settings().max_import_bytes)
        with session_scope(url) as session:
            count = postcodes.import_csv(session, Path(args.path), progress=progress)
    except (postcodes.PostcodeImportError, ImportTooLarge, OSError) as e:
        print(f"\nwaymark: nothing was imported: {e}", file=sys.stderr)
        return 1
    print(f"\rLoaded {count} postcodes from {args.path}")
    return 0


def import_progress(out=None):
    """`progress(done, total)` for a long import: '  400/970 services (130 a second, about 4 s
    left)', rewritten in place on a terminal, one line per batch otherwise (a log, a pipe)."""
    import time

    out = out or sys.stdout
    started = time.monotonic()
    in_place = out.isatty()

    def progress(done: int, total: int) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        rate = done / elapsed
        left = f", about {(total - done) / rate:.0f} s left" if done < total and rate > 0 else ""
        line = f"  {done}/{total} services ({rate:.0f} a second{left})"
        if in_place:
            print(f"\r{line}\033[K", end="", file=out, flush=True)
        else:
            print(line, file=out, flush=True)

    return progress


def _directory_import(args: argparse.Namespace) -> int:
    from directory import oruk_import
    from directory.db import create_schema, engine_for, session_scope
    from waymark.limits import ImportTooLarge, check_import_size

    url = get_settings().database_url
    create_schema(engine_for(url))
    path = Path(args.path)
    source = args.source or oruk_import.default_source(path)

    progress = import_progress()
    try:
        check_import_size(path, get_settings().max_import_bytes)
        records = oruk_import.read_records(path, args.format)
        print(f"Importing {len(records)} service(s) from {path} as source '{source}'"
              + (" (full feed: services missing from it become inactive)" if args.full_feed else ""), flush=True)
        with session_scope(url) as session:
            report = oruk_import.import_records(session, records, source, who=args.who,
                                                full_feed=args.full_feed, progress=progress)
    except (oruk_import.FeedError, ImportTooLarge, OSError, UnicodeDecodeError) as e:
        print(f"\nwaymark: nothing was imported: {e}", file=sys.stderr)
        return 1
    print(("\r\033[K" if sys.stdout.isatty() else "") + str(report))
    for line in report.details():
        print(f"  {line}")
    return 0


def _sync_options(args: argparse.Namespace, settings):
    from directory.feed_sync import SyncOptions

    changes = {name: getattr(args, name) for name in ("per_page", "timeout", "page_timeout", "deadline", "retries",
                                                       "details") if getattr(args, name, None) is not None}
    return SyncOptions.from_settings(settings, allow_shrink=args.allow_shrink, **changes)


def _directory_sync(args: argparse.Namespace) -> int:
    from directory import feed_sync
    from directory.db import create_schema, engine_for

    settings = get_settings()
    create_schema(engine_for(settings.database_url))
    options = _sync_options(args, settings)

    def say(line: str) -> None:
        print(f"  {line}", flush=True)

    if args.configured:
        if args.url:
            print("waymark directory sync: give a URL or --configured, not both", file=sys.stderr)
            return 2
        try:
            feeds = feed_sync.configured_feeds(settings.feeds)
        except (ValueError, feed_sync.SyncError) as e:
            print(f"waymark: WAYMARK_FEEDS: {e}", file=sys.stderr)
            return 2
        if not feeds:
            print("No feeds configured: set WAYMARK_FEEDS (e.g. bristol=https://example.org/oruk).")
            return 0
        outcomes = feed_sync.sync_due_feeds(settings, trigger="command", progress=say, options=options)
        if not outcomes:
            print(f"None of the {len(feeds)} configured feed(s) is due (or another instance is syncing them).")
        failed = 0
        for feed, outcome in outcomes:
            if isinstance(outcome, Exception):
                failed += 1
                print(f"{feed.name}: nothing was imported: {outcome}", file=sys.stderr)
            else:
                print(f"{feed.name}: {_run_summary(outcome)}")
        return 1 if failed else 0
    if not args.url:
        print("waymark directory sync: give the feed's URL (or a name from WAYMARK_FEEDS), or --configured",
              file=sys.stderr)
        return 2
    url, source = args.url, args.source
    if "://" not in url:
        try:
            named = {f.name: f for f in feed_sync.configured_feeds(settings.feeds)}
        except (ValueError, feed_sync.SyncError):
            named = {}
        if url not in named:
            print(f"waymark: '{url}' is neither an http(s) URL nor a feed named in WAYMARK_FEEDS", file=sys.stderr)
            return 2
        url, source = named[url].url, source or named[url].name
    source = source or feed_sync.source_for(url)
    print(f"Syncing '{source}' from {url}" + (" (full: services missing from it become inactive)" if args.full
                                              else ""), flush=True)
    try:
        run = feed_sync.sync(settings.database_url, url, source, full=args.full, options=options,
                             trigger="command", who=args.who, progress=say, import_progress=import_progress())
    except feed_sync.SyncError as e:
        print(f"waymark: nothing was imported: {e.message}", file=sys.stderr)
        return 1
    print(("\r\033[K" if sys.stdout.isatty() else "") + _run_summary(run))
    for line in run.report.details():
        print(f"  {line}")
    return 0


def _run_summary(run) -> str:
    since = "everything" if run.modified_after is None else f"changes since {run.modified_after:%Y-%m-%d %H:%M} UTC"
    report = getattr(run, "report", None)
    what = str(report) if report is not None else (
        f"{run.created} created, {run.updated} updated, {run.unchanged} unchanged, {run.retired} marked inactive, "
        f"{run.quarantined} quarantined, {run.refused} refused")
    return f"Read {run.records} service(s) on {run.pages} page(s) in {run.requests} request(s) ({since}): {what}"


def _directory_syncs(args: argparse.Namespace) -> int:
    from directory import feed_sync
    from directory.db import create_schema, engine_for

    settings = get_settings()
    create_schema(engine_for(settings.database_url))
    runs = feed_sync.recent_runs(settings.database_url, args.source, args.limit)
    if not runs:
        print("No feed has been synced yet" + (f" as '{args.source}'" if args.source else "") + ".")
    for run in runs:
        started = f"{feed_sync._iso(run.started_at)}"
        kind = "full" if run.full else ("changes" if run.modified_after else "all")
        line = (f"{started} {run.source} [{run.status}] {kind}, {run.trigger}: {run.pages} pages, {run.records} "
                f"services read; {run.created} created, {run.updated} updated, {run.unchanged} unchanged, "
                f"{run.retired} inactive, {run.quarantined} quarantined, {run.refused} refused")
        print(line + (f"\n    error: {run.error}" if run.error else ""))
    report = feed_sync.stale_feeds_report(settings)
    if report:
        print("")
        print(report)
    return 0


def _directory_stale(args: argparse.Namespace) -> int:

    from directory import stale
    from directory.db import create_schema, engine_for, session_scope

    settings = get_settings()
    days = args.days if args.days is not None else settings.stale_after_days
    create_schema(engine_for(settings.database_url))
    with session_scope(settings.database_url) as session:
        groups = stale.stale_listings(session, days)
        print(stale.format_report(groups, days, timekeeping.today()))
    from directory import feed_sync

    feeds = feed_sync.stale_feeds_report(settings)
    if feeds:
        print("")
        print(feeds)
    return 0


def _directory_review(args: argparse.Namespace) -> int:
    from directory import editing
    from directory.db import create_schema, engine_for, session_scope

    url = get_settings().database_url
    create_schema(engine_for(url))
    with session_scope(url) as session:
        items = editing.open_review_items(session, kind=args.kind)
        if not items:
            print("Nothing waiting for review.")
        for item in items:
            shown = item.suggested if not item.suggested or len(item.suggested) <= 200 else item.suggested[:200] + "..."
            suggested = f" (suggested: {shown})" if item.suggested else ""
            print(f"[{item.kind}] {item.resource_id}: {item.detail}{suggested}  (id {item.id}, "
                  f"{item.created_at:%Y-%m-%d}, by {item.created_by})")
    return 0


def _read_password(name: str, nothing_done: str) -> Optional[str]:
    """A password from the terminal (asked twice) or the first line of stdin."""
    import getpass

    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {name}: ")
        if getpass.getpass("Again: ") != password:
            print(f"waymark: the passwords did not match; {nothing_done}", file=sys.stderr)
            return None
        return password
    return sys.stdin.readline().rstrip("\r\n")


def _accounts(change) -> int:
    """Run `change(session)` on the directory database; an EditingError is a polite exit 1."""
    from directory import editing
    from directory.db import create_schema, engine_for, session_scope

    url = get_settings().database_url
    create_schema(engine_for(url))
    try:
        with session_scope(url) as session:
            print(change(session))
    except editing.EditingError as e:
        print(f"waymark: {e}", file=sys.stderr)
        return 1
    return 0


def _users_add(args: argparse.Namespace) -> int:
    from directory import editing

    password = _read_password(args.name, "nobody was added")
    if password is None:
        return 1

    def add(session) -> str:
        account = editing.add_account(session, args.name, password, args.role, email=args.email,
                                      display_name=args.display_name)
        shown = f", shown to people as '{account.display_name}'" if account.display_name else ""
        return f"Added {account.role} '{account.name}'{shown}"

    return _accounts(add)


def _users_reset_password(args: argparse.Namespace) -> int:
    from directory import editing

    password = _read_password(args.name, "the password was not changed")
    if password is None:
        return 1
    return _accounts(lambda session: f"New password set for '{editing.reset_password(session, args.name, password).name}'; "
                                     "anyone signed in as them has been signed out")


def _users_deactivate(args: argparse.Namespace) -> int:
    from directory import editing

    return _accounts(lambda session: f"Deactivated '{editing.deactivate_account(session, args.name).name}': "
                                     "they can't sign in, and are signed out everywhere")


def _users_display_name(args: argparse.Namespace) -> int:
    from directory import editing

    def change(session) -> str:
        account = editing.set_display_name(session, args.name, args.display_name)
        return f"'{account.name}' is shown to people as '{account.display_name or 'someone'}'"

    return _accounts(change)


def _purge(args: argparse.Namespace) -> int:
    import handover  # noqa: F401 - registers the handover tables with retention
    from waymark.assistant import tracker_store_for
    from waymark.privacy import PrivacyIncomplete, purge_everything

    settings = get_settings()
    days = args.days if args.days is not None else settings.retention_days
    try:
        removed = purge_everything(tracker_store_for(settings.tracker_store_url), settings.database_url,
                                   days * 86400)
    except PrivacyIncomplete as e:
        print(f"waymark: {e}; run it again once they answer", file=sys.stderr)
        removed, failed = e.done, 1
    else:
        failed = 0
    conversations = removed.pop("conversations", 0)
    print(f"Deleted {conversations} conversation(s) untouched for more than {days} days")
    for store, rows in removed.items():
        print(f"Deleted {rows} {store} row(s) older than {days} days")
    return failed


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="waymark",
        description="Waymark: find local drug and alcohol help, with a warm handover to people.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the web app, the assistant and its actions")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--workers", type=int, default=None,
                       help="worker processes, each with its own copy of the model (default "
                            "WAYMARK_WORKERS or 1); more than one needs the Redis lock store and a "
                            "shared tracker store, as for several instances")
    serve.set_defaults(func=_serve)

    chat = sub.add_parser("chat", help="talk to the assistant in this terminal")
    chat.add_argument("--sender", default="terminal", help="conversation id to use (default: terminal)")
    chat.set_defaults(func=_chat)

    purge = sub.add_parser("purge", help="delete conversations and per-person rows (SMS, ...) past the retention period")
    purge.add_argument("--days", type=int, default=None,
                       help="retention in days (default WAYMARK_RETENTION_DAYS, 30)")
    purge.set_defaults(func=_purge)

    directory = sub.add_parser("directory", help="look after the service directory")
    dsub = directory.add_subparsers(dest="directory_command", required=True)
    init = dsub.add_parser("init", help="create the directory tables if they do not exist")
    init.set_defaults(func=_directory_init)
    seed = dsub.add_parser("seed", help="load the shipped records (idempotent)")
    seed.add_argument("--national", action="store_true", help="the national helplines")
    seed.add_argument("--sample", action="store_true", help="the fictional demo area (Leeds, Manchester)")
    seed.set_defaults(func=_directory_seed)
    pcs = dsub.add_parser("import-postcodes", help="load postcodes/districts with coordinates from a CSV")
    pcs.add_argument("path", help="CSV with postcode, latitude and longitude columns (names detected)")
    pcs.set_defaults(func=_directory_import_postcodes)
    imp = dsub.add_parser("import", help="import services from an ORUK/HSDS 3.0 JSON feed or the CSV template")
    imp.add_argument("path", help="JSON (one service, a list, or a page with 'contents') or CSV file")
    imp.add_argument("--format", choices=("oruk", "csv"), default="oruk", help="file format (default oruk)")
    imp.add_argument("--source", default=None,
                     help="name of this feed, e.g. leeds-council (default: the file name); --full-feed "
                          "only retires services this source delivered before")
    imp.add_argument("--full-feed", action="store_true",
                     help="the file is the source's whole directory: mark its services missing from it inactive")
    imp.add_argument("--who", default=None, help="name recorded in the audit trail (default import:SOURCE)")
    imp.set_defaults(func=_directory_import)
    sync_p = dsub.add_parser(
        "sync", help="pull a council's ORUK feed from its URL and import it (changes since the last sync, or --full)",
        description="Pull every page of an ORUK (HSDS-UK 3.0) feed over HTTP, fetch each listed service whole from "
                    "/services/{id} when its page does not carry it, and import everything through the same path as "
                    "`waymark directory import`, in one transaction. After a good sync, the next asks only for "
                    "services changed since (modified_after). Timeouts, dropped connections, 429 and 5xx are retried "
                    "with backoff; a page that cannot be had, is not JSON, is too large or redirects in a loop, or a "
                    "feed that changes while it is read, fails the run and changes nothing. Every run is recorded "
                    "(`waymark directory syncs`).")
    sync_p.add_argument("url", nargs="?", help="the feed's address, e.g. https://example.org/oruk (or its /services), "
                                               "or the name of a feed in WAYMARK_FEEDS")
    sync_p.add_argument("--source", default=None,
                        help="the name its services are recorded under, as for import (default: the feed's name in "
                             "WAYMARK_FEEDS, or feed:HOST/PATH)")
    sync_p.add_argument("--full", action="store_true",
                        help="pull everything and mark this source's services missing from the feed inactive")
    sync_p.add_argument("--allow-shrink", action="store_true",
                        help="accept a full pull with less than half the services the source has (refused otherwise)")
    sync_p.add_argument("--configured", action="store_true",
                        help="sync every feed in WAYMARK_FEEDS that is due, as the server's schedule does (for cron)")
    sync_p.add_argument("--per-page", type=int, default=None, help="services per page to ask for (default 100; 0: the "
                                                                   "server's own)")
    sync_p.add_argument("--timeout", type=float, default=None, help="seconds to connect and between bytes (default 30)")
    sync_p.add_argument("--page-timeout", type=float, default=None,
                        help="seconds for the whole of one response (default 120)")
    sync_p.add_argument("--deadline", type=float, default=None, help="seconds for the whole pull (default 1800)")
    sync_p.add_argument("--retries", type=int, default=None, help="tries after the first for a request that failed "
                                                                  "in a way worth retrying (default 3)")
    sync_p.add_argument("--details", choices=("auto", "always", "never"), default=None,
                        help="fetch /services/{id}: when a listed service lacks its nested records (auto, the "
                             "default), for every service, or never")
    sync_p.add_argument("--who", default=None, help="name recorded in the audit trail (default sync:SOURCE)")
    sync_p.set_defaults(func=_directory_sync)
    syncs_p = dsub.add_parser("syncs", help="list recent feed syncs (when, counts, errors) and feeds not synced lately")
    syncs_p.add_argument("--source", default=None, help="only this source's runs")
    syncs_p.add_argument("--limit", type=int, default=20, help="how many runs (default 20)")
    syncs_p.set_defaults(func=_directory_syncs)
    stale_p = dsub.add_parser("stale", help="list listings not verified recently, by organisation, oldest first, "
                                            "and feeds whose last good sync is old")
    stale_p.add_argument("--days", type=int, default=None,
                         help="stale after this many days (default WAYMARK_STALE_AFTER_DAYS, 90)")
    stale_p.set_defaults(func=_directory_stale)
    review = dsub.add_parser("review", help="list the open review queue (reports, classification, data)")
    review.add_argument("--kind", choices=("report", "classification", "data", "quarantine"), default=None)
    review.set_defaults(func=_directory_review)

    users = sub.add_parser("users", help="accounts: directory editors, admins, helpline agents, staff")
    usub = users.add_subparsers(dest="users_command", required=True)
    add = usub.add_parser("add", help="add an account (password read from stdin, or asked for)")
    add.add_argument("name", help="login name")
    from directory.editing import ROLES

    add.add_argument("--role", choices=ROLES, default="editor",
                     help="editor (default: changes listings), admin (also accounts and reports), "
                          "agent (helpline console) or staff (staff lookup page)")
    add.add_argument("--email", default=None, help="email, recorded as assurer when they verify a listing")
    add.add_argument("--display-name", default=None,
                     help="the name people see in chat and texts, e.g. 'Sam' (never the login name; "
                          "without one they see 'someone from the helpline')")
    add.set_defaults(func=_users_add)
    reset = usub.add_parser(
        "reset-password", help="give an account a new password (read from stdin, or asked for) and sign it out",
        description="Set a new password for an account and sign it out everywhere (its tokens stop working). "
                    "For someone who forgot their password, or whose password someone else may know.")
    reset.add_argument("name", help="login name")
    reset.set_defaults(func=_users_reset_password)
    deactivate = usub.add_parser(
        "deactivate", help="stop an account signing in, and sign it out now",
        description="Deactivate an account (someone who has left): it can't sign in, and every token it "
                    "holds stops working at once. Its name stays in the audit trail.")
    deactivate.add_argument("name", help="login name")
    deactivate.set_defaults(func=_users_deactivate)
    shown = usub.add_parser("display-name", help="set the name people see for an account (not the login name)")
    shown.add_argument("name", help="login name")
    shown.add_argument("display_name", nargs="?", default=None, help="e.g. 'Sam'; leave out to show 'someone'")
    shown.set_defaults(func=_users_display_name)

    from insights.cli import add_report_command

    add_report_command(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SettingsError as e:  # a wrong value in the environment: say which, no traceback
        print(f"waymark: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
