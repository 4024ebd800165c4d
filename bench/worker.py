"""The Django side of the benchmark: run by bench/run.py in a subprocess per step, with
DJANGO_SETTINGS_MODULE=bench.settings and DATABASE_URL naming the scratch database.

    python bench/worker.py post-seed --seed S   # what seed_demo made; fill in what it did not
    python bench/worker.py fixtures --sessions N # users, sessions, the child and setting to open
    python bench/worker.py recompute             # duties.recompute.recompute_all, measured
    python bench/worker.py sweep                 # duties.alerts.sweep, measured

Each prints one JSON object on its last line of standard output.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux: ru_maxrss is in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class QueryCounter:
    """Counts every query on the default connection while installed."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def counts() -> dict:
    from duties.models import Alert, Duty, Notification
    from placements.models import Child, Placement
    from reviews.models import LacReview
    from visits.models import Visit

    return {
        "children": Child.objects.count(),
        "placements": Placement.objects.count(),
        "visits": Visit.objects.count(),
        "lac_reviews": LacReview.objects.count(),
        "duties": Duty.objects.count(),
        "open_duties": Duty.objects.filter(status=Duty.Status.OPEN).count(),
        "alerts": Alert.objects.count(),
        "notifications": Notification.objects.count(),
    }


# --------------------------------------------------------------------------- post-seed


def post_seed(seed: int) -> dict:
    """After `seed_demo`: say what it made, and fill in what an older seed_demo does not.

    seed_demo is being extended to write visit histories and LAC reviews and to recompute
    the duties. Until it does, the bench gives the children their histories with
    demo.visits.seed_visits (when that module has it) and recomputes the duties itself,
    so that the pages and jobs have the data the issue asks for; once seed_demo does it,
    this finds the visits and duties there and does nothing.
    """
    from duties.models import Duty
    from duties.recompute import recompute_all
    from visits.models import Visit

    out: dict = {"seed_demo_made_visits": Visit.objects.exists()}
    out["seed_demo_made_duties"] = Duty.objects.exists()
    out["fallback"] = []
    if not out["seed_demo_made_visits"] and os.environ.get("BENCH_VISITS", "auto") != "off":
        try:
            from demo import visits as visits_demo

            seed_visits = visits_demo.seed_visits
        except (ImportError, AttributeError) as missing:
            out["fallback"].append(f"no visit histories: {missing}")
        else:
            started = time.monotonic()
            summary = seed_visits(seed=seed, progress=lambda line: print(line, flush=True))
            out["fallback"].append(
                f"demo.visits.seed_visits: {summary.visits:,} visits, {summary.reviews:,} "
                f"reviews in {time.monotonic() - started:.0f}s"
            )
    if not out["seed_demo_made_duties"] or out["fallback"]:
        started = time.monotonic()
        stats = recompute_all()
        seconds = time.monotonic() - started
        out["fallback"].append(
            f"duties.recompute.recompute_all: {stats.summary()} in {seconds:.0f}s"
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    out["counts"] = counts()
    return out


# ---------------------------------------------------------------------------- fixtures

#: Who opens each page. The worktray is the home page (three kinds: a social worker's own
#: duties, a team manager's teams, an assistant director's whole authority) and the full
#: list at /worktray/.
PAGE_USERS = {
    "trivial": "sw.north1",
    "trivial_page": "sw.north1",
    "worktray_home_sw": "sw.north1",
    "worktray_home_tm": "tm.north",
    "worktray_home_ad": "ad",
    "worktray_list_tm": "tm.north",
    "child_record": "sw.north1",
    "deadlines_tm": "tm.north",
    "setting_busiest": "commissioning1",
    "setting_home": "commissioning1",
}


def _session(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def fixtures(sessions: int) -> dict:
    """Sessions for each page's user, and the child and setting the pages open.

    The child: of the first 1,000 demo children (the same people at every size: seed_demo
    draws each child from its own number), the one in sw.north1's team with the most
    placement episodes. The settings: the one with the most children placed today (the
    authority's own fostering service, which grows with the caseload), and the children's
    home with the most children placed today (a size that does not).
    """
    from django.conf import settings

    from accounts.models import User
    from placements.models import Child, Placement, ProvisionType, Setting

    today = timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=set(PAGE_USERS.values()))}
    missing = set(PAGE_USERS.values()) - set(users)
    if missing:
        raise SystemExit(f"demo users missing: {sorted(missing)}")
    viewer = users["sw.north1"]
    child = (
        Child.objects.filter(child_id__gte="D000001", child_id__lte="D001000")
        .filter(Q(team_id=viewer.team_id) | Q(social_worker=viewer), restricted=False)
        .annotate(n=Count("placements"))
        .order_by("-n", "child_id")
        .values("pk", "child_id", "n")
        .first()
    )
    current = Q(placements__decom__lte=today) & (
        Q(placements__dec__isnull=True) | Q(placements__dec__gt=today)
    )
    by_placed = Setting.objects.annotate(n=Count("placements", filter=current)).order_by("-n", "pk")
    busiest = by_placed.values("pk", "name", "provision_type", "n").first()
    home = (
        by_placed.filter(provision_type=ProvisionType.CHILDRENS_HOME)
        .values("pk", "name", "provision_type", "n")
        .first()
    )
    for setting in (busiest, home):
        setting["placements_ever"] = Placement.objects.filter(setting_id=setting["pk"]).count()
    pages = {
        "trivial": "/bench/trivial/",
        "trivial_page": "/bench/trivial-page/",
        "worktray_home_sw": "/",
        "worktray_home_tm": "/",
        "worktray_home_ad": "/",
        "worktray_list_tm": "/worktray/",
        "child_record": f"/children/{child['pk']}/",
        "deadlines_tm": "/deadlines/",
        "setting_busiest": f"/settings/{busiest['pk']}/",
        "setting_home": f"/settings/{home['pk']}/",
    }
    # One session per page for the timed requests, and `sessions` more for the load, as
    # many people signed in at once (each request saves its session: SESSION_SAVE_EVERY_
    # REQUEST, so shared sessions would contend on one row).
    page_sessions = {name: _session(users[PAGE_USERS[name]]) for name in pages}
    load_pages = [n for n in pages if not n.startswith("trivial")]
    load = []
    for i in range(sessions):
        name = load_pages[i % len(load_pages)]
        load.append(
            {"page": name, "path": pages[name], "session": _session(users[PAGE_USERS[name]])}
        )
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "pages": {
            name: {"path": path, "user": PAGE_USERS[name], "session": page_sessions[name]}
            for name, path in pages.items()
        },
        "child": child,
        "settings": {"setting_busiest": busiest, "setting_home": home},
        "load": load,
    }


# -------------------------------------------------------------------------------- jobs


def _measure(run) -> dict:
    counter = QueryCounter()
    rss_before = current_rss_mb()
    started = time.perf_counter()
    cpu_started = time.process_time()
    with connection.execute_wrapper(counter):
        result = run(counter)
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu_started, 2),
        "queries": counter.count,
        "rss_before_mb": round(rss_before, 1),
        "peak_rss_mb": round(rss_mb(), 1),
        "peak_growth_mb": round(rss_mb() - rss_before, 1),
        **result,
    }


def recompute() -> dict:
    """The nightly job as Celery runs it (duties.recompute.recompute_all, batch 500), with a
    progress callback to see the queries of each batch (the callback costs one COUNT)."""
    from dataclasses import asdict

    from duties.recompute import recompute_all

    def run(counter):
        marks = [counter.count]

        def progress(done, total):
            marks.append(counter.count)

        stats = recompute_all(progress=progress)
        # marks[0] precedes the COUNT and the rules; each later mark ends a batch.
        per_batch = [b - a for a, b in zip(marks[1:], marks[2:], strict=False)]
        first = marks[1] - marks[0] if len(marks) > 1 else 0
        return {
            "batches": stats.batches,
            "children": stats.children,
            "stats": asdict(stats),
            "queries_first_batch_with_setup": first,
            "queries_per_batch_max": max(per_batch, default=first),
            "queries_per_batch_min": min(per_batch, default=first),
        }

    return _measure(run)


def sweep() -> dict:
    """The overdue sweep (duties.alerts.sweep) for today, twice: on a freshly seeded
    authority the first run raises every alert the caseload has reached at once and
    emails up to its limit; the second is the steady state of the 15-minute job."""
    from duties import alerts

    today = timezone.localdate()
    original = alerts._create_alerts_batch
    calls = {"batches": 0}

    def counted(*args, **kwargs):
        # Measured, not changed: one call is one transaction of up to batch_size duties.
        calls["batches"] += 1
        return original(*args, **kwargs)

    alerts._create_alerts_batch = counted

    def run_once(counter):
        calls["batches"] = 0
        stats = alerts.sweep(today=today)
        return {"stats": stats.as_dict(), "batches": calls["batches"]}

    first = _measure(run_once)
    again = _measure(run_once)
    first["again"] = {k: again[k] for k in ("seconds", "queries", "batches", "stats")}
    first["counts_after"] = {k: v for k, v in counts().items() if k in ("alerts", "notifications")}
    return first


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("post-seed")
    p.add_argument("--seed", type=int, default=1)
    f = sub.add_parser("fixtures")
    f.add_argument("--sessions", type=int, default=50)
    sub.add_parser("recompute")
    sub.add_parser("sweep")
    sub.add_parser("counts")
    args = parser.parse_args()
    if args.step == "post-seed":
        out = post_seed(args.seed)
    elif args.step == "fixtures":
        out = fixtures(args.sessions)
    elif args.step == "recompute":
        out = recompute()
    elif args.step == "sweep":
        out = sweep()
    else:
        out = counts()
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
