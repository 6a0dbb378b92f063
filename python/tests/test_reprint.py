"""Tests of the reprint Python package: run by `make test` through
tests/cli/python.sh against a copy installed with pip, or by hand with
pytest after `pip install ./python`."""
import json
import os
import subprocess
import threading

import pytest

import reprint

BUDGET = ("The city council approved a new budget on Tuesday that raises spending on public "
          "transport by twelve percent, the largest increase in a decade. The mayor said the "
          "money would pay for more frequent buses, longer opening hours on the metro and a "
          "pilot of free fares for students.\n\nOpposition members argued that the plan relied "
          "on optimistic tax forecasts and warned of cuts to libraries and parks elsewhere in "
          "the city. The finance committee will publish a detailed breakdown of the spending "
          "next month, and residents can comment on it until the end of the year.\n")
COPY = ("On Tuesday the city council approved a new budget that raises spending on public "
        "transport by twelve percent, the largest increase in a decade. According to the mayor "
        "the money would pay for more frequent buses, longer opening hours on the metro and a "
        "pilot of free fares for students.\n\nOpposition members said the plan relied on "
        "optimistic tax forecasts and warned of cuts to libraries and parks elsewhere in the "
        "city. A detailed breakdown of the spending will follow next month.\n")
FLOOD = ("Heavy rain caused the river to burst its banks overnight, flooding dozens of homes in "
         "the low-lying eastern districts. Firefighters used boats to rescue an elderly couple "
         "from the upper floor of their house, and volunteers filled sandbags outside the town "
         "hall until dawn.\n\nForecasters expect the water level to fall slowly over the "
         "weekend, but warned that more storms could arrive from the west on Monday. Schools in "
         "the area will stay closed until the roads have been inspected.\n")


@pytest.fixture
def index(tmp_path):
    with reprint.Index(tmp_path / "t.db") as idx:
        yield idx


def test_add_get_len(index):
    assert index.add("budget", BUDGET, site="city.example", title="Budget",
                     published="2024-03-05T09:00:00Z", url="https://city.example/budget")
    assert not index.add("budget", BUDGET), "the same id again changes nothing"
    a = index.get("budget")
    assert a.text == BUDGET and a.site == "city.example" and a.title == "Budget"
    assert a.published.startswith("2024-03-05") and a.url == "https://city.example/budget"
    assert index.get("nope") is None
    assert "budget" in index and "nope" not in index and len(index) == 1
    with pytest.raises(KeyError):
        index["nope"]


def test_site_from_url_and_html(index):
    index.add("p", None, html="<html><head><title>Flood</title></head><body><article><p>"
              + FLOOD.replace("\n\n", "</p><p>") + "</p></article></body></html>",
              url="https://www.news.example/flood")
    a = index.get("p")
    assert a.site == "news.example", a
    assert "river to burst its banks" in a.text and "<p>" not in a.text


def test_query_finds_the_copy(index):
    r = index.add_many([{"id": "budget", "text": BUDGET}, ("flood", FLOOD)])
    assert (r.indexed, r.exact_duplicates, r.already, r.rejected) == (2, 0, 0, ())
    hits = index.query(COPY)
    assert [h.id for h in hits] == ["budget"], hits
    h = hits[0]
    assert 0.25 <= h.score <= 1 and 0 < h.jaccard < 1
    assert 0 < h.containment_input_in_match <= 1 and 0 < h.containment_match_in_input <= 1
    assert index.query(COPY, min_score=1.0) == []
    assert len(index.query(FLOOD, min_score=0.0, top=1)) == 1


def test_add_many_rejects_and_duplicates(index):
    r = index.add_many([{"id": "a", "text": BUDGET}, {"id": "empty", "text": "   "},
                        {"id": "b", "text": BUDGET}, {"text": FLOOD}, {"id": "a", "text": FLOOD}])
    assert r.indexed == 2 and r.exact_duplicates == 1 and r.already == 1, r
    assert [p for p, _ in r.rejected] == [1, 3], r.rejected
    assert "empty text" in r.rejected[0][1] and "no id" in r.rejected[1][1], r.rejected
    with pytest.raises(reprint.RejectedError, match="empty text"):
        index.add("blank", "")
    with pytest.raises(TypeError):
        index.add("x", BUDGET, colour="red")
    with pytest.raises(TypeError):
        index.add_many([{"id": "x", "text": 42}])


def test_clusters_follow_changes(index):
    index.add_many([("budget", BUDGET), ("copy", COPY), ("flood", FLOOD)])
    assert index.stale()
    cl = index.clusters()
    assert not index.stale()
    assert len(cl) == 1 and len(cl[0]) == 2, cl
    c = cl[0]
    assert c.original in ("budget", "copy")
    (copy,) = c.copies
    assert copy.source == c.original and copy.score >= 0.25 and copy.jaccard is not None
    # a new article makes the stored clusters stale; clusters() redoes them
    index.add("copy2", COPY.replace("Tuesday", "Tuesday morning"))
    assert index.stale()
    cl = index.clusters()
    assert len(cl) == 1 and len(cl[0]) == 3, cl
    # removing one drops its cluster until the next clustering
    index.remove("copy2")
    assert index.stale() and index.get("copy2") is None
    assert [len(c) for c in index.clusters()] == [2]
    with pytest.raises(reprint.NotFoundError) as e:
        index.remove("copy2")
    assert e.value.code == "NOTFOUND" and "copy2" in str(e.value)


def test_clusters_dated_original(index):
    index.add("late", COPY, published="2024-03-06T09:00:00Z")
    index.add("early", BUDGET, published="2024-03-05T09:00:00Z")
    (c,) = index.clusters()
    assert c.original == "early", c


def test_compare_offsets_are_str_indices():
    a = "Zürich — " + BUDGET
    b = "Café news: " + COPY
    c = reprint.compare(a, b)
    assert 0.25 <= c.score <= 1 and 0 < c.coverage_a <= 1 and c.passages
    for p in c.passages:
        assert 0 <= p.a_start < p.a_end <= len(a) and 0 <= p.b_start < p.b_end <= len(b)
    first = min(c.passages, key=lambda p: p.a_start)
    # offsets count characters: the passage starts on a word of the text
    assert a[first.a_start:first.a_end].split()[0] in BUDGET.split(), a[first.a_start:]
    assert reprint.compare(BUDGET, FLOOD).score < 0.1


def test_errors_carry_library_messages(tmp_path):
    with pytest.raises(reprint.Error) as e:
        reprint.Index(tmp_path / "missing.db", readonly=True)
    assert "missing.db" in str(e.value) and e.value.code
    bad = tmp_path / "other.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(reprint.Error) as e:
        reprint.Index(bad)
    assert "other.db" in str(e.value)
    idx = reprint.Index(tmp_path / "c.db")
    idx.close()
    with pytest.raises(reprint.Error, match="closed"):
        idx.query(BUDGET)


def test_index_parameters(tmp_path):
    p = tmp_path / "p.db"
    with reprint.Index(p, shingle_size=4, permutations=64, threshold=0.4) as idx:
        idx.add("budget", BUDGET)
        s = idx.stats()
        assert (s["shingle_size"], s["permutations"], s["threshold"]) == (4, 64, 0.4), s
        assert [h.id for h in idx.query(COPY, min_score=0.0)] == ["budget"]
    with reprint.Index(p, shingle_size=4):
        pass
    with pytest.raises(ValueError, match="shingle size 4, not 3"):
        reprint.Index(p, shingle_size=3)
    with pytest.raises(ValueError, match="permutations"):
        reprint.Index(tmp_path / "q.db", permutations=3)


def test_threads_share_an_index(index):
    """Calls from several threads take turns on the handle (the GIL is
    released inside them); results are the same as from one thread."""
    index.add_many([("budget", BUDGET), ("flood", FLOOD)])
    want = [h.id for h in index.query(COPY)]
    got, errors = [], []

    def work(i):
        try:
            index.add(f"extra{i}", FLOOD.replace("Monday", f"day {i}"))
            got.append([h.id for h in index.query(COPY)])
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors, errors
    assert got == [want] * 4 and len(index) == 6


def test_shared_with_the_command_line(tmp_path):
    """An index written from Python is the command line's database."""
    reprint_bin = os.environ.get("REPRINT")
    if not reprint_bin:
        pytest.skip("REPRINT (the reprint program) not set")
    db = tmp_path / "s.db"
    with reprint.Index(db) as idx:
        idx.add_many([("budget", BUDGET), ("copy", COPY), ("flood", FLOOD)])
        idx.clusters()
    out = subprocess.run([reprint_bin, "export", "-d", str(db), "--dedup"], check=True,
                         capture_output=True, text=True).stdout
    ids = sorted(json.loads(line)["id"] for line in out.splitlines())
    assert len(ids) == 2 and "flood" in ids, ids


def test_compare_releases_the_gil():
    """While one thread compares two long texts, another keeps running: the
    longest pause it sees is far below the comparison's time, which it
    would be at least if the GIL were held."""
    import random
    import time
    rnd = random.Random(1)
    words = ["".join(rnd.choice("abcdefghijklmnop") for _ in range(rnd.randint(3, 9)))
             for _ in range(5000)]
    # Texts long enough that one comparison takes a fifth of a second or
    # more on this machine: doubled until it does.
    n = 150000
    while True:
        a = " ".join(rnd.choice(words) for _ in range(n))
        b = a[: len(a) // 2] + " ".join(rnd.choice(words) for _ in range(n // 2))
        t0 = time.perf_counter()
        reprint.compare(a, b)
        took = time.perf_counter() - t0
        if took > 0.2 or n >= 1200000:
            break
        n *= 2
    assert took > 0.2, f"the comparison is too quick to tell ({took:.3f} s at {n} words)"
    done = threading.Event()
    worker = threading.Thread(target=lambda: (reprint.compare(a, b), done.set()))
    last = time.perf_counter()
    gap = 0.0
    worker.start()
    while not done.is_set():
        now = time.perf_counter()
        gap = max(gap, now - last)
        last = now
        time.sleep(0.001)
    worker.join()
    assert gap < took / 2, f"paused {gap:.3f} s during a {took:.3f} s comparison"
