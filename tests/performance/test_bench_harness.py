"""The pieces of `make bench` and `make faults` that can be checked without serving anything."""

import os

import pytest

from bench import common, generate, pages, probe
from bench.run import parse_wrk

WRK_OUTPUT = """Running 8s test @ http://127.0.0.1:8105/groups/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.12ms    2.01ms  30.00ms   80.00%
    Req/Sec     1.58k   120.00     1.80k    70.00%
  Latency Distribution
     50%  850.00us
     75%    5.90ms
     90%    7.20ms
     99%    1.20s
  25300 requests in 8.00s, 5.00MB read
  Non-2xx or 3xx responses: 12
Requests/sec:   3162.50
Transfer/sec:    640.00KB
"""


def test_parse_wrk_reads_rate_percentiles_in_ms_and_errors():
    assert parse_wrk(WRK_OUTPUT) == {
        "rps": 3162.5,
        "p50_ms": 0.85,
        "p99_ms": 1200.0,
        "non_2xx": 12,
        "socket_errors": "",
    }


def test_table_aligns_columns_and_shows_missing_values_as_a_dash():
    text = common.table([{"a": "x", "b": 1.234}, {"a": "longer"}], [("a", "A"), ("b", "B")])
    assert text.splitlines() == ["A       B   ", "------  ----", "x       1.23", "longer  -   "]


def test_memory_of_this_process_tree_is_read_from_proc():
    rss, pss = common.tree_rss_bytes(os.getpid()), common.tree_pss_bytes(os.getpid())
    assert rss > 10 * 2**20
    assert 0 < pss <= rss


@pytest.mark.django_db
def test_small_workshop_has_five_of_everything_and_the_known_accounts():
    from accounts.models import User
    from events.models import Event, Registration
    from working_groups.models import WorkingGroup

    counts = generate.Generator(generate.SCALES["small"]).run()
    assert counts["working groups"] == WorkingGroup.objects.count() == 5
    assert counts["events"] == Event.objects.count() == 5
    assert Registration.objects.count() == counts["registrations"]
    assert set(generate.KNOWN.values()) <= set(User.objects.values_list("email", flat=True))


@pytest.mark.django_db
def test_every_key_page_resolves_to_an_address_on_the_small_workshop():
    generate.Generator(generate.SCALES["small"]).run()
    objs = probe.objects()
    unresolved = [
        page.label for page in pages.PAGES if not any(probe.candidate_path(c, page, objs) for c in page.candidates)
    ]
    assert unresolved == []
