"""``make bench``: the portal at workshop scale, served as in production, measured.

1. Creates PostgreSQL databases ``portal_bench`` (full scale) and ``portal_bench_small`` (5 rows
   of everything), migrates, collects static files, generates the data (bench/generate.py).
2. Counts each key page's database queries at both scales with Django's test client (cold cache
   and warm cache), and opens sessions for the signed-in pages (bench/probe.py).
3. Starts gunicorn as the Procfile does (debug off, PostgreSQL, Redis db 5 as cache and broker) and
   loads each page with wrk at 16 connections, with the trivial view ``/livez`` measured in the
   same run (before and after the pages) as the baseline of the ratios.
4. Sends one newsletter-sized message to 20,000 recipients through a real Celery worker on Redis
   into a local SMTP sink, with the worker's peak memory, then the same messages straight through
   Django's SMTP backend (bench/mailjob.py).
5. Prints a table and writes everything to ``var/bench/bench-<time>.json`` (and ``bench-latest.json``).
"""

import argparse
import re
import subprocess
import time

from . import common
from .common import OUT_DIR, PG_SERVER, PORTS, REDIS_SERVER, log
from .pages import BASELINE, PAGES

TARGETS = {
    "public_ratio": 0.40,
    "signed_in_ratio": 0.15,
    "p99_ms": 100,
    "msgs_per_s": 100,
    "mail_ratio": 0.30,
    "worker_mb": 300,
}
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def prepare(scale_dbs: dict) -> dict:
    """Create, migrate and fill both databases; return the generator's row counts per scale."""
    full_url = common.recreate_database(scale_dbs["full"])
    env = common.service_env(database_url=full_url)
    common.manage("migrate", "--noinput", "-v0", env=env)
    common.manage("collectstatic", "--noinput", "-v0", env=env)
    # The small database starts from the migrated, still empty, full one.
    small_url = common.recreate_database(scale_dbs["small"], template=scale_dbs["full"])
    rows = {}
    for scale, url in (("small", small_url), ("full", full_url)):
        rows[scale] = common.python_module("bench.generate", "--scale", scale, env=common.service_env(database_url=url))
        log(f"generated {scale}: {rows[scale]['rows']} in {rows[scale]['seconds']}s")
    return rows


def probe(url: str, *, sessions: bool) -> dict:
    args = ["--sessions"] if sessions else []
    return common.python_module("bench.probe", *args, env=common.service_env(database_url=url))


def parse_wrk(output: str) -> dict:
    def ms(text: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
        return round(float(number) * UNITS[unit], 2)

    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M))
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": ms(percentiles["50"]) if "50" in percentiles else None,
        "p99_ms": ms(percentiles["99"]) if "99" in percentiles else None,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def wrk(url: str, *, duration: int, connections: int, cookie: str | None = None) -> dict:
    headers = ["-H", "X-Forwarded-Proto: https"] + (["-H", f"Cookie: sessionid={cookie}"] if cookie else [])
    base = ["wrk", "-t2", f"-c{connections}", "--latency", *headers]
    subprocess.run([*base, "-d1s", url], capture_output=True, check=False, timeout=60)  # warm-up
    out = subprocess.run(
        [*base, f"-d{duration}s", "--timeout", "5s", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    )
    return parse_wrk(out.stdout)


def load_pages(full: dict, *, database_url: str, duration: int, connections: int) -> list[dict]:
    """Serve with gunicorn and measure every page found by the probe, the baseline first and last."""
    redis_url = f"{REDIS_SERVER}/5"
    common.flush_redis(redis_url)
    env = common.service_env(database_url=database_url, redis_url=redis_url, site_port=PORTS["web"])
    web = common.gunicorn("bench-gunicorn", env, PORTS["web"])
    try:
        by_label = {p["label"]: p for p in full["pages"]}
        pages = [BASELINE, *PAGES, BASELINE]
        results = []
        for page in pages:
            found = by_label.get(page.label, {})
            if not found.get("path"):
                results.append({"label": page.label, "missing": found.get("missing", "not probed")})
                continue
            cookie = full["cookies"].get(page.user) if page.user else None
            url = f"http://127.0.0.1:{PORTS['web']}{found['path']}"
            figures = wrk(url, duration=duration, connections=connections, cookie=cookie)
            log(
                f"{page.label:<24} {figures['rps']:>8.1f} req/s  p50 {figures['p50_ms']} ms  p99 {figures['p99_ms']} ms"
            )
            results.append(
                {"label": page.label, "path": found["path"], "public": page.public, "api": page.api, **figures}
            )
        return results
    finally:
        web.stop()


def combine(results: list[dict], small: dict, full: dict) -> tuple[list[dict], float]:
    """Add query counts and ratios to the baseline; return the rows and the baseline's rate."""
    baseline_runs = [r["rps"] for r in results if r["label"] == BASELINE.label and "rps" in r]
    baseline = sum(baseline_runs) / len(baseline_runs) if baseline_runs else 0.0
    small_q = {p["label"]: p.get("queries") for p in small["pages"]}
    full_q = {p["label"]: p for p in full["pages"]}
    rows, seen = [], set()
    for r in results:
        if r["label"] in seen:
            continue
        seen.add(r["label"])
        row = dict(r)
        if r["label"] == BASELINE.label:
            row["rps"] = round(baseline, 1)
            row["baseline_runs"] = baseline_runs
        if "rps" in r:
            row["ratio"] = round(row["rps"] / baseline, 3) if baseline else None
            row["queries_5"] = small_q.get(r["label"])
            row["queries_5000"] = full_q[r["label"]].get("queries")
            row["queries_cached"] = full_q[r["label"]].get("queries_cached")
            row["constant_queries"] = row["queries_5"] == row["queries_5000"]
            target = TARGETS["public_ratio"] if r.get("public") else TARGETS["signed_in_ratio"]
            row["meets_targets"] = r["label"] == BASELINE.label or (
                row["ratio"] >= target
                and (r["p99_ms"] or 1e9) < TARGETS["p99_ms"]
                and row["constant_queries"]
                and r["non_2xx"] == 0
            )
        rows.append(row)
    return rows, baseline


def wait_for_lines(path, expected: int, timeout: float) -> float:
    started = time.monotonic()
    while common.count_lines(path) < expected:
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"only {common.count_lines(path)} of {expected} messages arrived in {timeout}s")
        time.sleep(0.25)
    return time.monotonic()


def newsletter(database_url: str, recipients: int) -> dict:
    """N messages through a real worker into the sink, then the same through Django's SMTP backend."""
    redis_url = f"{REDIS_SERVER}/5"
    common.flush_redis(redis_url)
    sink_path = OUT_DIR / "sink-bench.txt"
    sink = common.smtp_sink(PORTS["smtp"], sink_path)
    env = common.service_env(database_url=database_url, redis_url=redis_url, smtp_port=PORTS["smtp"])
    worker = None
    try:
        worker = common.celery_worker("bench-worker", env, concurrency=2)
        sampler = common.RssSampler(lambda: worker.pid)
        sampler.start()
        if not common.python_module("bench.mailjob", "ping", env=env)["ok"]:
            raise RuntimeError(f"the Celery worker did not start: see {worker.log_path}")
        idle_rss = common.tree_rss_bytes(worker.pid)
        started = time.monotonic()
        queued = common.python_module(
            "bench.mailjob", "send", "--recipients", str(recipients), "--tag", f"run{int(time.time())}", env=env
        )
        recipients, tag = queued["recipients"], queued["tag"]
        finished = wait_for_lines(sink_path, recipients, timeout=max(300, recipients / 20))
        peak = sampler.stop()
        worker.stop()
        elapsed = finished - started
        log(f"worker: {recipients} messages in {elapsed:.1f}s, peak RSS {peak / 2**20:.0f} MB")
        raw = common.python_module("bench.mailjob", "raw", "--tag", tag, "--port", str(PORTS["smtp"]), env=env)
        wait_for_lines(sink_path, recipients + raw["sent"], timeout=60)
        raw_rate = raw["sent"] / raw["seconds"] if raw["seconds"] else None
        log(f"raw SMTP: {raw['sent']} messages in {raw['seconds']}s")
        counts = common.python_module("bench.mailjob", "status", "--tag", tag, env=env)
    finally:
        if worker:
            worker.stop()
        sink.stop()
    rate = recipients / elapsed
    return {
        "recipients": recipients,
        **queued,
        "seconds": round(elapsed, 1),
        "msgs_per_s": round(rate, 1),
        "worker_concurrency": 2,
        "worker_idle_mb": round(idle_rss / 2**20, 1),
        "worker_peak_mb": round(peak / 2**20, 1),
        "worker_peak_pss_mb": round(sampler.peak_pss / 2**20, 1),
        "raw_sample": raw["sent"],
        "raw_seconds": raw["seconds"],
        "raw_msgs_per_s": round(raw_rate, 1) if raw_rate else None,
        "ratio_to_raw": round(rate / raw_rate, 3) if raw_rate else None,
        "outbox_status": counts,
        "messages_in_sink": common.count_lines(sink_path),
    }


def report(rows: list[dict], mail: dict | None, baseline: float) -> str:
    columns = [
        ("label", "page"),
        ("path", "path"),
        ("rps", "req/s"),
        ("ratio", "× /livez"),
        ("p50_ms", "p50 ms"),
        ("p99_ms", "p99 ms"),
        ("queries_5", "q@5"),
        ("queries_5000", "q@5000"),
        ("queries_cached", "q cached"),
        ("non_2xx", "non-2xx"),
        ("meets_targets", "targets"),
    ]
    text = [common.table(rows, columns)]
    missing = [r for r in rows if r.get("missing")]
    if missing:
        text.append(
            "\nNot measured (not built yet or failing): " + "; ".join(f"{r['label']} ({r['missing']})" for r in missing)
        )
    if mail:
        text.append(
            f"\nNewsletter: {mail['recipients']} messages through a Celery worker (concurrency {mail['worker_concurrency']}) "
            f"in {mail['seconds']}s = {mail['msgs_per_s']} msg/s; worker peak {mail['worker_peak_pss_mb']} MB PSS, "
            f"{mail['worker_peak_mb']} MB as the sum of its processes' RSS "
            f"(idle {mail['worker_idle_mb']} MB); Django SMTP backend straight, on one connection: "
            f"{mail['raw_msgs_per_s']} msg/s (first {mail['raw_sample']} of the same messages); "
            f"ratio {mail['ratio_to_raw']}; outbox {mail['outbox_status']}"
        )
    text.append(
        f"\nTargets: public ≥ {TARGETS['public_ratio']:.0%} and signed-in ≥ {TARGETS['signed_in_ratio']:.0%} "
        f"of /livez ({baseline:.0f} req/s), p99 < {TARGETS['p99_ms']} ms, same queries at 5 and 5,000 rows; "
        f"newsletter ≥ {TARGETS['msgs_per_s']} msg/s and ≥ {TARGETS['mail_ratio']:.0%} of raw, worker < "
        f"{TARGETS['worker_mb']} MB."
    )
    return "\n".join(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per page (default 8)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--skip-mail", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--reuse-data", action="store_true", help="keep the databases of the previous run")
    args = parser.parse_args()
    started = time.monotonic()
    dbs = {"full": "portal_bench", "small": "portal_bench_small"}
    rows_generated = None
    if not args.reuse_data:
        log(f"preparing the databases (PostgreSQL at {PG_SERVER})")
        rows_generated = prepare(dbs)
    full_url, small_url = f"{PG_SERVER}/{dbs['full']}", f"{PG_SERVER}/{dbs['small']}"
    log("counting queries at 5 rows and at full scale")
    small, full = probe(small_url, sessions=False), probe(full_url, sessions=True)
    log(f"loading pages with wrk, {args.connections} connections, {args.duration}s each")
    results = (
        []
        if args.skip_pages
        else load_pages(full, database_url=full_url, duration=args.duration, connections=args.connections)
    )
    rows, baseline = combine(results, small, full)
    mail = None if args.skip_mail else newsletter(full_url, args.recipients)
    if mail:
        mail["meets_targets"] = (
            mail["msgs_per_s"] >= TARGETS["msgs_per_s"]
            and (mail["ratio_to_raw"] or 0) >= TARGETS["mail_ratio"]
            and mail["worker_peak_pss_mb"] < TARGETS["worker_mb"]
        )
    text = report(rows, mail, baseline)
    print("\n" + text)
    path = common.write_json(
        "bench",
        {
            "generated": rows_generated,
            "settings": vars(args),
            "baseline_rps": baseline,
            "pages": rows,
            "newsletter": mail,
            "targets": TARGETS,
            "seconds": round(time.monotonic() - started, 1),
            "table": text,
        },
    )
    log(f"written to {path} in {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
