"""What the benchmark and the fault script share: ports, environments, processes, databases, memory."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
BIN = Path(PYTHON).parent
OUT_DIR = ROOT / "var" / "bench"
LOG_DIR = OUT_DIR / "logs"

# Engineer E's range: nothing here touches another engineer's port, database or Redis db.
PORTS = {"web": 8105, "smtp": 8106}
# The fault script's own services: clear of the engineers' servers (8101-8108) and Redis (6379-6388).
PORTS.update(faults_smtp=8136, faults_web=8137, faults_pg=8138, faults_redis=8139)
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
REDIS_SERVER = os.environ.get("BENCH_REDIS_SERVER", "redis://127.0.0.1:6379")
SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105
PROTO_HEADER = ("X-Forwarded-Proto", "https")  # what the TLS proxy in front of gunicorn would set


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def service_env(*, database_url: str, redis_url: str = "", smtp_port: int | None = None, site_port: int = 8105) -> dict:
    """The environment of a production process (debug off), pointed at the bench's own services."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"))
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SITE_URL=f"http://127.0.0.1:{site_port}",
        DATABASE_URL=database_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}" if smtp_port else "dummymail://",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(ROOT),
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


class Proc:
    """A child process in its own process group, logged to var/bench/logs, stopped with its children."""

    def __init__(self, name: str, args: list[str], env: dict):
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.log_path = LOG_DIR / f"{name}.log"
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill_hard(self) -> None:
        """SIGKILL the whole group at once: what the OOM killer or a pulled plug does."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait()

    def stop(self, timeout: float = 15) -> None:
        if self.alive():
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
                self.popen.wait(timeout)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                self.kill_hard()
        self._log.close()


def run(args: list[str], env: dict, *, timeout: float = 900, capture: bool = False) -> str:
    """Run a command to completion; its output goes to the log unless captured. Raises on failure."""
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args[:4])}… failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout if capture else ""


def manage(*args: str, env: dict, capture: bool = False, timeout: float = 900) -> str:
    return run([PYTHON, "manage.py", *args], env, capture=capture, timeout=timeout)


def python_module(module: str, *args: str, env: dict, timeout: float = 900) -> dict:
    """Run ``python -m module ...`` whose last line of output is JSON; return that JSON."""
    out = run([PYTHON, "-m", module, *args], env, capture=True, timeout=timeout)
    return json.loads(out.strip().splitlines()[-1])


def wait_port(port: int, timeout: float = 30, host: str = "127.0.0.1") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing answered on port {port} after {timeout}s")


def http_get(url: str, *, timeout: float = 10, headers: dict | None = None) -> tuple[int, bytes]:
    """GET a URL as if through the TLS proxy; return (status, body), 0 when the connection failed."""
    request = urllib.request.Request(url, headers={PROTO_HEADER[0]: PROTO_HEADER[1], **(headers or {})})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError):
        return 0, b""


def http_post_json(url: str, body: dict, *, timeout: float = 15, headers: dict | None = None) -> tuple[int, bytes]:
    """POST JSON as if through the TLS proxy; return (status, body), 0 when the connection failed."""
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={PROTO_HEADER[0]: PROTO_HEADER[1], "Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError):
        return 0, b""


def wait_http(url: str, timeout: float = 60, ok=(200,)) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if http_get(url, timeout=2)[0] in ok:
            return
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer {ok} within {timeout}s")


def pg_execute(sql: str, *, server: str = PG_SERVER) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{server}/postgres", connect_timeout=5)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def recreate_database(name: str, *, server: str = PG_SERVER, template: str | None = None) -> str:
    pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', server=server)
    pg_execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""), server=server)
    return f"{server}/{name}"


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


def gunicorn(name: str, env: dict, port: int, *, workers: int = 3) -> Proc:
    """The web process exactly as the Procfile starts it (sync workers), minus the access log."""
    proc = Proc(
        name,
        [str(BIN / "gunicorn"), "bigscience_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env,
    )
    wait_http(f"http://127.0.0.1:{port}/livez", timeout=60)
    return proc


def celery_worker(name: str, env: dict, *, concurrency: int = 2) -> Proc:
    return Proc(
        name,
        [
            str(BIN / "celery"),
            "-A",
            "bigscience_portal",
            "worker",
            "--loglevel=WARNING",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"{name}@%h",
        ],
        env,
    )


def celery_beat(name: str, env: dict, schedule: Path) -> Proc:
    return Proc(
        name,
        [str(BIN / "celery"), "-A", "bigscience_portal", "beat", "--loglevel=WARNING", f"--schedule={schedule}"],
        env,
    )


def smtp_sink(port: int, path: Path) -> Proc:
    """The local SMTP server every message of a run goes to: one line per delivered recipient."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    proc = Proc(
        f"smtp-sink-{port}",
        [PYTHON, "-m", "bench.smtp_sink", "--port", str(port), "--log", str(path)],
        os.environ.copy(),
    )
    wait_port(port)
    return proc


def count_lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo.extend(int(child) for child in (task / "children").read_text().split())
            except OSError:
                pass
    return found


def _proc_kb(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its children, from /proc (no psutil needed).

    Forked children share most of their pages with the parent, so this sum counts shared pages
    once per process: an upper bound. ``tree_pss_bytes`` splits shared pages between the sharers.
    """
    return sum(_proc_kb(f"/proc/{each}/status", "VmRSS:") for each in _descendants(pid))


def tree_pss_bytes(pid: int) -> int:
    """Proportional memory of the tree: what the machine actually gives it."""
    return sum(_proc_kb(f"/proc/{each}/smaps_rollup", "Pss:") for each in _descendants(pid))


class RssSampler(threading.Thread):
    """Samples a process tree's memory every 200 ms and keeps the peaks (RSS sum and PSS)."""

    def __init__(self, get_pid):
        super().__init__(daemon=True)
        self.get_pid = get_pid
        self.peak = 0
        self.peak_pss = 0
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            pid = self.get_pid()
            if pid:
                self.peak = max(self.peak, tree_rss_bytes(pid))
                self.peak_pss = max(self.peak_pss, tree_pss_bytes(pid))
            self._halt.wait(0.2)

    def stop(self) -> int:
        self._halt.set()
        self.join(2)
        return self.peak


def write_json(name: str, data: dict) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = OUT_DIR / f"{name}-{stamp}.json"
    text = json.dumps(data, indent=2, default=str)
    path.write_text(text)
    (OUT_DIR / f"{name}-latest.json").write_text(text)
    return path


def table(rows: list[dict], columns: list[tuple[str, str]]) -> str:
    """A plain-text table: columns are (key, heading)."""
    cells = [[heading for _, heading in columns]] + [[_fmt(row.get(key)) for key, _ in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)) for line in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return str(value)
