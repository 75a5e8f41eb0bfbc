"""``make faults``: break the portal on purpose and count what survives.

Everything runs against services this script owns, never the shared ones: a throwaway
PostgreSQL cluster (initdb in a temporary directory, port 8138) holding ``portal_faults``, a
Redis server of its own (port 8139), a local SMTP sink (8136) and gunicorn (8137). The scenarios:

1. the newsletter to 10,000 recipients (1,000 with ``--small``) while the worker is killed with
   SIGKILL three times mid-send and the sending job is started twice: who got how many copies,
   and, waited for in real time with beat's production sweep (every 15 s), how long after each
   kill what the dead worker held was taken over by a live worker, and when the last of it went out;
2. two beat processes at once, firing the newsletter schedule every second, over 4 (2 with
   ``--small``) simulated fortnights: how many issues per fortnight;
3. 20 rounds (8 with ``--small``) of 50 simultaneous registrations for an event of capacity 10;
4. Redis crashed (stopped) for a minute (10 s with ``--small``), then hung (SIGSTOP, then
   SIGCONT) as long: four clients polling pages, people registering through the API and the
   services, ``/healthz``; the e-mails queued meanwhile, counted once back;
5. PostgreSQL restarted under traffic, visitors, a signed-in person and an API token polling:
   503 (never 500) while it is away, and when the site answers again, without restarting it.

Prints a table, writes ``var/bench/faults-<time>.json``, exits 1 if a scenario fails.
"""

import argparse
import collections
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from . import common
from .common import OUT_DIR, PORTS, log

SIZES = {
    "full": {
        "recipients": 10_000,
        "outage_s": 60,
        "rounds": 20,
        "fortnights": 4,
        "outage_mails": 20,
        "fast_sweep": False,
    },
    "small": {
        "recipients": 1_000,
        "outage_s": 10,
        "rounds": 8,
        "fortnights": 2,
        "outage_mails": 10,
        "fast_sweep": True,
    },
}
PAGES = ["/", "/groups/", "/events/", "/news/", "/livez"]
# A dead worker's rows are taken over by a live one within the lease (30 s) + beat's sweep interval
# (15 s) + a worker's start; the last of them is sent later when a following kill strikes them again.
RESUME_BOUND_S = 90
POLLING_CLIENTS = 4


def _pg_bindir() -> Path:
    try:
        return Path(
            subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        return Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory, on its own port: ours to stop and restart."""

    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="portal-faults-pg-"))
        self.data = self.dir / "data"
        self.bindir = _pg_bindir()
        self.url = f"postgres://postgres@127.0.0.1:{port}"

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> "ThrowawayPostgres":
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-o", options, "-w", "-t", "60", "start")
        return self

    def restart(self) -> None:
        # -l again: without it the new postmaster would hold our output pipe open.
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-m", "fast", "-w", "-t", "60", "restart"
        )

    def cleanup(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class ThrowawayRedis:
    """A Redis server of our own, without persistence: stopping it loses what it held."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.proc = None

    def start(self) -> "ThrowawayRedis":
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = common.Proc(f"faults-redis-{self.port}", args, os.environ.copy())
        common.wait_port(self.port)
        return self

    def stop(self) -> None:
        if self.proc:
            self.resume()
            self.proc.stop()
            self.proc = None

    def hang(self) -> None:
        """SIGSTOP: the kernel still accepts connections, nothing answers them."""
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.proc:
            os.kill(self.proc.pid, signal.SIGCONT)


class Context:
    def __init__(self, size: dict, pg: ThrowawayPostgres, redis: ThrowawayRedis):
        self.size, self.pg, self.redis = size, pg, redis
        self.database_url = f"{pg.url}/portal_faults"

    def env(self, *, redis: bool = True, smtp: bool = True, **extra) -> dict:
        env = common.service_env(
            database_url=self.database_url,
            redis_url=self.redis.url if redis else "",
            smtp_port=PORTS["faults_smtp"] if smtp else None,
            site_port=PORTS["faults_web"],
        )
        env.update(extra)
        return env

    def job(self, module: str, *args: str, **env_options) -> dict:
        return common.python_module(module, *args, env=self.env(**env_options))

    def worker(self, name: str) -> common.Proc:
        worker = common.celery_worker(name, self.env(), concurrency=2)
        if not self.job("bench.mailjob", "ping")["ok"]:
            raise RuntimeError(f"the worker did not start: see {worker.log_path}")
        return worker


def sink_counts(path: Path) -> collections.Counter:
    return collections.Counter(path.read_text().split())


def wait_until(predicate, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def wait_for_stall(path: Path, quiet: float, timeout: float) -> int:
    """Wait until no message has arrived for ``quiet`` seconds; return the count."""
    last, since, deadline = -1, time.monotonic(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        now_count = common.count_lines(path)
        if now_count != last:
            last, since = now_count, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
        time.sleep(0.3)
    return last


# 1 ---------------------------------------------------------------------------------------------


class Deliveries:
    """Reads the deliveries' table directly (no Django start-up per look, which would slow the run)."""

    def __init__(self, database_url: str):
        self.database_url = database_url

    def _query(self, sql: str, args: tuple) -> list:
        import psycopg2

        conn = psycopg2.connect(self.database_url, connect_timeout=5)
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, args)
                return cursor.fetchall()
        finally:
            conn.close()

    def held(self, issue: str) -> tuple[list[int], object]:
        """The rows claimed now, and the database's clock: taken right after a kill, before another
        worker starts, they are the dead one's."""
        rows = self._query(
            "SELECT id, now() FROM newsletter_delivery WHERE issue_id = %s AND status = 'sending'", (issue,)
        )
        return [row[0] for row in rows], (rows[0][1] if rows else None)

    def waiting(self, ids: list[int], since) -> int:
        """Of ``ids``, those neither sent nor claimed again by a live worker since ``since``."""
        if not ids:
            return 0
        sql = (
            "SELECT count(*) FROM newsletter_delivery WHERE id = ANY(%s) AND status IN ('queued', 'sending') "
            "AND (claimed_at IS NULL OR claimed_at <= %s)"
        )
        return self._query(sql, (ids, since))[0][0]

    def unfinished(self, ids: list[int]) -> int:
        if not ids:
            return 0
        sql = "SELECT count(*) FROM newsletter_delivery WHERE id = ANY(%s) AND status IN ('queued', 'sending')"
        return self._query(sql, (ids,))[0][0]


def newsletter_kills(ctx: Context) -> dict:
    sink_path = OUT_DIR / "sink-faults-newsletter.txt"
    sink = common.smtp_sink(PORTS["faults_smtp"], sink_path)
    schedule = Path(tempfile.mkdtemp(prefix="portal-faults-beat-"))
    # Beat as in production: the newsletter's sweep every 15 s. Nothing is made to look older.
    beat = common.celery_beat(
        "faults-beat-sweep",
        ctx.env(DJANGO_SETTINGS_MODULE="bench.faults_settings", FAULTS_BEAT="sweep"),
        schedule / "schedule",
    )
    worker = ctx.worker("faults-worker-0")
    db = Deliveries(ctx.database_url)
    try:
        started = time.monotonic()
        queued = ctx.job("bench.mailjob", "send", "--recipients", str(ctx.size["recipients"]), "--times", "2")
        total, issue = queued["recipients"], queued["tag"]
        kills = []

        def look() -> None:
            """Note when each kill's rows were taken over and when the last of them went out."""
            for kill in kills:
                if "resumed_s" not in kill and db.waiting(kill["stranded"], kill["db_at"]) == 0:
                    kill["resumed_s"] = round(time.monotonic() - kill["at"], 1)
                    log(
                        f"  what the worker held at {kill['at_messages']} messages was resumed {kill['resumed_s']}s later"
                    )
                if "recovered_s" not in kill and db.unfinished(kill["stranded"]) == 0:
                    kill["recovered_s"] = round(time.monotonic() - kill["at"], 1)
                    log(f"  the last row held at {kill['at_messages']} messages went out {kill['recovered_s']}s later")

        looked = [0.0]

        def reached(target: int) -> bool:
            if time.monotonic() - looked[0] >= 1:  # while waiting for the next kill too, once a second
                look()
                looked[0] = time.monotonic()
            return common.count_lines(sink_path) >= target

        for k in (1, 2, 3):
            # A quarter further each time, and always after the restarted worker has sent some.
            target = max(total * k // 4, common.count_lines(sink_path) + total // 20)
            if not wait_until(lambda t=target: reached(t), timeout=600, step=0.05):
                raise TimeoutError(f"sending did not reach {target} messages")
            worker.kill_hard()
            held, db_now = db.held(issue)
            kills.append({"at_messages": common.count_lines(sink_path), "at": time.monotonic(), "stranded": held})
            kills[-1]["db_at"] = db_now
            log(f"  SIGKILL {k} at {kills[-1]['at_messages']} messages: {len(kills[-1]['stranded'])} claimed rows")
            worker = ctx.worker(f"faults-worker-{k}")
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            look()
            if (
                all("recovered_s" in kill for kill in kills)
                and ctx.job("bench.mailjob", "status", "--tag", issue).get("issue") == "sent"
            ):
                break
            time.sleep(1)
        after = ctx.job("bench.mailjob", "status", "--tag", issue)
        elapsed = time.monotonic() - started
    finally:
        beat.stop()
        worker.stop()
        sink.stop()
        shutil.rmtree(schedule, ignore_errors=True)
    counts = sink_counts(sink_path)
    copies = collections.Counter(counts.values())
    extra = sum(n - 1 for n in counts.values() if n > 1)
    missing = total - len(counts)
    # Per hard kill: each of the 2 worker processes may have sent up to MARK_EVERY rows not yet marked.
    bound = 2 * queued.get("mark_every", 1) * len(kills)
    resumed = [kill.get("resumed_s") for kill in kills]
    recoveries = [kill.get("recovered_s") for kill in kills]
    return {
        "ok": missing == 0
        and after.get("issue") == "sent"
        and extra <= bound
        and all(r is not None and r <= RESUME_BOUND_S for r in resumed),
        "recipients": total,
        "job_started": 2,
        "kills_at_messages": [kill["at_messages"] for kill in kills],
        "stranded_rows_per_kill": [len(kill["stranded"]) for kill in kills],
        "stranded_resumed_after_s": resumed,
        "resume_bound_s": RESUME_BOUND_S,
        "stranded_all_sent_after_s": recoveries,
        "deliveries_at_end": after,
        "recipients_reached": len(counts),
        "missing": missing,
        "extra_copies": extra,
        "copies_histogram": dict(sorted(copies.items())),
        "extra_bound": bound,
        "seconds": round(elapsed, 1),
        "note": "waited in real time: a dead worker's claims are resumed once their lease (30 s, renewed every "
        "10 s while sending) runs out, by beat's newsletter sweep (every 15 s)",
    }


# 2 ---------------------------------------------------------------------------------------------


def two_beats(ctx: Context) -> dict:
    sink = common.smtp_sink(PORTS["faults_smtp"], OUT_DIR / "sink-faults-beats.txt")
    worker = ctx.worker("faults-worker-beats")
    schedules = Path(tempfile.mkdtemp(prefix="portal-faults-beat-"))
    beat_env = ctx.env(DJANGO_SETTINGS_MODULE="bench.faults_settings", FAULTS_BEAT="newsletter")
    beats = [common.celery_beat(f"faults-beat-{i}", beat_env, schedules / f"schedule-{i}") for i in (1, 2)]
    rounds = []
    try:
        for _ in range(ctx.size["fortnights"]):
            before = len(ctx.job("bench.faultjob", "fortnight")["issues"])
            wait_until(lambda b=before: len(ctx.job("bench.faultjob", "issues")["issues"]) > b, timeout=60, step=1)
            time.sleep(4)  # both beats keep firing every second: a second draft would appear now
            now_issues = ctx.job("bench.faultjob", "issues")["issues"]
            rounds.append({"new_issues": len(now_issues) - before, "latest": now_issues[-1][:2]})
            log(f"  fortnight {len(rounds)}: {rounds[-1]['new_issues']} new issue(s)")
    finally:
        for beat in beats:
            beat.stop()
        worker.stop()
        sink.stop()
        shutil.rmtree(schedules, ignore_errors=True)
    return {
        "ok": all(r["new_issues"] == 1 for r in rounds),
        "beats": 2,
        "beat_interval_s": 1,
        "fortnights": len(rounds),
        "rounds": rounds,
    }


# 3 ---------------------------------------------------------------------------------------------


def registrations(ctx: Context) -> dict:
    result = ctx.job(
        "bench.faultjob",
        "registrations",
        "--rounds",
        str(ctx.size["rounds"]),
        "--parallel",
        "50",
        "--capacity",
        "10",
        redis=False,
        smtp=False,
    )
    rounds = result["rounds"]
    result["max_registered"] = max(r["registered"] for r in rounds)
    result["min_registered"] = min(r["registered"] for r in rounds)
    result["duplicates"] = sum(r["duplicates"] for r in rounds)
    result["errors"] = sum(r["error_count"] for r in rounds)
    result["ok"] = all(
        r["registered"] == 10 and r["waiting"] == r["people"] - 10 and r["duplicates"] == 0 and not r["error_count"]
        for r in rounds
    )
    result["rounds"] = [{k: r[k] for k in ("registered", "waiting", "duplicates", "error_count")} for r in rounds]
    return result


# 4 ---------------------------------------------------------------------------------------------


def poll_pages(base: str, until: float, statuses: dict, latencies: list) -> None:
    while time.monotonic() < until:
        for path in [*PAGES, "/healthz"]:
            started = time.monotonic()
            status, _ = common.http_get(base + path, timeout=30)
            latencies.append(time.monotonic() - started)
            statuses.setdefault(path, collections.Counter())[status] += 1
        time.sleep(0.1)


def register_through_api(base: str, event: str, tokens: list[str], statuses: collections.Counter, latencies: list):
    for token in tokens:
        started = time.monotonic()
        status, _ = common.http_post_json(
            f"{base}/api/v1/me/registrations/", {"event": event}, headers={"Authorization": f"Bearer {token}"}
        )
        latencies.append(time.monotonic() - started)
        statuses[status] += 1


def redis_outages(ctx: Context) -> dict:
    """Redis crashed (stopped), then hung (SIGSTOP), each for ``outage_s``, under the same gunicorn,
    worker and beat: the same promises either way."""
    base = f"http://127.0.0.1:{PORTS['faults_web']}"
    schedule = Path(tempfile.mkdtemp(prefix="portal-faults-beat-"))
    web = common.gunicorn("faults-gunicorn-redis", ctx.env(), PORTS["faults_web"])
    worker = ctx.worker("faults-worker-redis")
    # The production beat sweeps the outbox every minute; --small sweeps every 5 s to keep CI short.
    beat_env = (
        ctx.env(DJANGO_SETTINGS_MODULE="bench.faults_settings", FAULTS_BEAT="outbox")
        if ctx.size["fast_sweep"]
        else ctx.env()
    )
    beat = common.celery_beat("faults-beat-outbox", beat_env, schedule / "schedule")
    phases = {}
    try:
        for kind in ("crashed", "hung"):
            phases[kind] = redis_phase(ctx, base, hang=kind == "hung")
            log(f"  Redis {kind}: {'PASS' if phases[kind]['ok'] else 'FAIL'}")
    finally:
        beat.stop()
        worker.stop()
        web.stop()
        shutil.rmtree(schedule, ignore_errors=True)
        if ctx.redis.proc is None:
            ctx.redis.start()
        else:
            ctx.redis.resume()
    brief = (
        "statuses_during_outage",
        "slowest_response_s",
        "api_registrations",
        "all_delivered_after_s",
        "copies_each",
    )
    return {
        "ok": len(phases) == 2 and all(phase["ok"] for phase in phases.values()),
        **phases,
        **{f"{kind}_brief": {k: phase.get(k) for k in brief} for kind, phase in phases.items()},
    }


def redis_phase(ctx: Context, base: str, *, hang: bool) -> dict:
    """One outage: pages polled by four clients, people registering through the API and the services."""
    kind = "hung" if hang else "crashed"
    sink_path = OUT_DIR / f"sink-faults-redis-{kind}.txt"
    sink = common.smtp_sink(PORTS["faults_smtp"], sink_path)
    tag = f"outage-{kind}"
    api_people = ctx.job("bench.faultjob", "api-people", "--count", str(ctx.size["outage_mails"]), "--tag", tag)
    try:
        healthy_before = common.http_get(base + "/healthz")[0]
        ctx.redis.hang() if hang else ctx.redis.stop()
        stopped = time.monotonic()
        log(f"  Redis {kind} for {ctx.size['outage_s']}s")
        statuses, latencies = {}, []
        pollers = [
            threading.Thread(
                target=poll_pages, args=(base, stopped + ctx.size["outage_s"], statuses, latencies), daemon=True
            )
            for _ in range(POLLING_CLIENTS)
        ]
        api_statuses, api_latencies = collections.Counter(), []
        api = threading.Thread(
            target=register_through_api,
            args=(base, api_people["event"], api_people["tokens"], api_statuses, api_latencies),
            daemon=True,
        )
        for thread in [*pollers, api]:
            thread.start()
        queued = ctx.job("bench.faultjob", "register", "--count", str(ctx.size["outage_mails"]), "--tag", tag)
        for thread in [*pollers, api]:
            thread.join()
        outbox_during = ctx.job("bench.faultjob", "outbox", "--prefix", "event-registered:", "--tag", tag)
        ctx.redis.resume() if hang else ctx.redis.start()
        back = time.monotonic()
        log(f"  Redis back after {back - stopped:.0f}s")
        wait_until(lambda: common.http_get(base + "/healthz")[0] == 200, timeout=60)
        healthy_after = time.monotonic() - back
        expected = outbox_during["addresses"]
        delivered = wait_until(lambda: set(expected) <= set(sink_counts(sink_path)), timeout=240, step=1)
        delivered_after = time.monotonic() - back
        time.sleep(3)  # a second copy would arrive now
        outbox_after = ctx.job("bench.faultjob", "outbox", "--prefix", "event-registered:", "--tag", tag)
    finally:
        sink.stop()
        if ctx.redis.proc is None:
            ctx.redis.start()
        else:
            ctx.redis.resume()
    counts = sink_counts(sink_path)
    pages = {path: dict(c) for path, c in statuses.items()}
    served = all(set(pages[p]) == {200} for p in PAGES)
    health = pages.get("/healthz", {})
    registered_by_api = set(api_people["addresses"]) <= set(expected)
    return {
        "ok": healthy_before == 200
        and served
        and set(health) == {503}
        and set(api_statuses) == {201}
        and registered_by_api
        and delivered
        and all(counts[a] == 1 for a in expected),
        "redis": kind,
        "outage_s": ctx.size["outage_s"],
        "polling_clients": POLLING_CLIENTS,
        "outbox_sweep_every_s": 5 if ctx.size["fast_sweep"] else 60,
        "statuses_during_outage": pages,
        "requests_during_outage": sum(sum(c.values()) for c in pages.values()),
        "slowest_response_s": round(max(latencies), 2) if latencies else None,
        "api_registrations": dict(api_statuses),
        "api_registration_s": {
            "mean": round(sum(api_latencies) / len(api_latencies), 2) if api_latencies else None,
            "slowest": round(max(api_latencies), 2) if api_latencies else None,
        },
        "emails_queued_during_outage": len(expected),
        "outbox_during_outage": outbox_during["statuses"],
        "registration_time_s": {"mean": queued["mean_s"], "slowest": queued["slowest_s"]},
        "healthz_200_after_s": round(healthy_after, 1),
        "all_delivered_after_s": round(delivered_after, 1) if delivered else None,
        "outbox_at_end": outbox_after["statuses"],
        "copies_each": sorted({counts[a] for a in expected}),
    }


# 5 ---------------------------------------------------------------------------------------------


def postgres_restart(ctx: Context) -> dict:
    base = f"http://127.0.0.1:{PORTS['faults_web']}"
    person = ctx.job("bench.faultjob", "session")
    web = common.gunicorn("faults-gunicorn-pg", ctx.env(), PORTS["faults_web"])
    probes = [
        ("/healthz", {}),
        ("/events/", {}),
        ("/groups/", {}),
        ("/me/profile/", {"Cookie": person["cookie"]}),  # the user is loaded by middleware, before any view
        ("/api/v1/me/registrations/", {"Authorization": f"Bearer {person['token']}"}),
    ]
    timeline: list[tuple[float, str, int]] = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            for path, headers in probes:
                timeline.append((time.monotonic(), path, common.http_get(base + path, timeout=10, headers=headers)[0]))
            time.sleep(0.05)

    try:
        signed_in_before = common.http_get(base + "/me/profile/", headers=probes[3][1])[0]
        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        time.sleep(2)
        began = time.monotonic()
        ctx.pg.restart()
        restarted = time.monotonic()
        log(f"  PostgreSQL restarted in {restarted - began:.1f}s")
        wait_until(lambda: common.http_get(base + "/events/")[0] == 200, timeout=60)
        first_ok = time.monotonic()
        time.sleep(5)
        stop.set()
        poller.join()
    finally:
        web.stop()
    during = collections.Counter(s for t, _, s in timeline if began <= t <= first_ok)
    during_by_path = {
        path: dict(collections.Counter(s for t, p, s in timeline if p == path and began <= t <= first_ok))
        for path, _ in probes
    }
    after = collections.Counter(s for t, _, s in timeline if t > first_ok)
    return {
        "ok": signed_in_before == 200 and set(during) <= {200, 503} and set(after) == {200},
        "restart_s": round(restarted - began, 1),
        "first_200_after_restart_s": round(first_ok - restarted, 2),
        "statuses_while_restarting": dict(during),
        "statuses_while_restarting_by_path": during_by_path,
        "statuses_after": dict(after),
        "gunicorn_restarted": False,
    }


SCENARIOS = [
    ("1. newsletter, worker SIGKILLed ×3, job started twice", newsletter_kills),
    ("2. two beat processes", two_beats),
    ("3. rounds of 50 simultaneous registrations, capacity 10", registrations),
    ("4. Redis crashed (stopped), then hung (SIGSTOP)", redis_outages),
    ("5. PostgreSQL restarted", postgres_restart),
]


def summary(name: str, result: dict) -> str:
    if "error" in result:
        return result["error"]
    keys = {
        newsletter_kills: (
            "recipients",
            "missing",
            "extra_copies",
            "extra_bound",
            "stranded_resumed_after_s",
            "stranded_all_sent_after_s",
            "copies_histogram",
            "seconds",
        ),
        two_beats: ("fortnights", "rounds"),
        registrations: ("max_registered", "min_registered", "duplicates", "errors"),
        redis_outages: ("crashed_brief", "hung_brief"),
        postgres_restart: ("restart_s", "first_200_after_restart_s", "statuses_while_restarting", "statuses_after"),
    }[dict(SCENARIOS)[name]]
    return "; ".join(f"{k}={result.get(k)}" for k in keys)


def setup(size: dict) -> Context:
    pg = ThrowawayPostgres(PORTS["faults_pg"]).start()
    redis = ThrowawayRedis(PORTS["faults_redis"]).start()
    ctx = Context(size, pg, redis)
    common.pg_execute('CREATE DATABASE "portal_faults"', server=pg.url)
    env = ctx.env()
    common.manage("migrate", "--noinput", "-v0", env=env)
    common.manage("collectstatic", "--noinput", "-v0", env=env)
    common.python_module("bench.generate", "--scale", "small", env=env)
    return ctx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--small", action="store_true", help="the CI size: 1,000 recipients, 10 s Redis outages, fewer rounds"
    )
    parser.add_argument("--only", type=int, action="append", help="run only scenario N (repeatable)")
    args = parser.parse_args()
    size = SIZES["small" if args.small else "full"]
    started = time.monotonic()
    log(f"starting a throwaway PostgreSQL on {PORTS['faults_pg']} and Redis on {PORTS['faults_redis']}")
    ctx = setup(size)
    results = {}
    try:
        for number, (name, scenario) in enumerate(SCENARIOS, start=1):
            if args.only and number not in args.only:
                continue
            log(name)
            try:
                results[name] = scenario(ctx)
            except Exception as exc:  # noqa: BLE001 - a scenario that breaks is reported, the others still run
                results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:2000]}
            log(f"  {'PASS' if results[name]['ok'] else 'FAIL'}: {summary(name, results[name])}")
    finally:
        ctx.redis.stop()
        ctx.pg.cleanup()
    rows = [
        {"scenario": name, "ok": "PASS" if r["ok"] else "FAIL", "figures": summary(name, r)}
        for name, r in results.items()
    ]
    print("\n" + common.table(rows, [("scenario", "scenario"), ("ok", "result"), ("figures", "figures")]))
    path = common.write_json(
        "faults", {"size": size, "results": results, "seconds": round(time.monotonic() - started, 1)}
    )
    log(f"written to {path} in {time.monotonic() - started:.0f}s")
    raise SystemExit(0 if all(r["ok"] for r in results.values()) else 1)


if __name__ == "__main__":
    main()
