#!/usr/bin/env python3
"""query_procs.py: `reprint query` latency with one fresh process per query.

    query_procs.py [--rounds N] [--sample N] [--seed S] --db DB --corpus CORPUS.jsonl
                   REPRINT [REPRINT...]

Writes the texts of --sample articles drawn (seeded) from the corpus to a
temporary folder, then runs `REPRINT query -d DB --json FILE` for each, every
given program in turn for each file (interleaved, so that the machine's load
falls on all of them alike), --rounds times. For each program it prints the
wall time, the CPU time of the child (user + system, from wait4) and its
minor page faults: p50, p99 and mean over all runs. A program may be given as
VAR=VALUE,...@PATH to run it with those environment variables; REPRINT_DB
among them names the database that program queries instead of --db (to
compare builds each on the index it wrote). Nothing is asserted; the figures
depend on the machine and its load.
"""
import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--db", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("programs", nargs="+")
    a = ap.parse_args()
    try:
        with open(a.corpus, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        sys.exit(f"query_procs.py: {a.corpus}: {e.strerror}")
    if not lines:
        sys.exit(f"query_procs.py: {a.corpus}: no articles")
    rng = random.Random(a.seed)
    picks = rng.sample(range(len(lines)), min(a.sample, len(lines)))
    progs = []
    for p in a.programs:
        env = dict(os.environ)
        exe = p
        if "@" in p:
            kv, exe = p.split("@", 1)
            for item in kv.split(","):
                k, _, v = item.partition("=")
                env[k] = v
        if not os.access(exe, os.X_OK):
            sys.exit(f"query_procs.py: {exe}: not an executable program")
        db = env.get("REPRINT_DB", a.db)
        if not os.path.exists(db):
            sys.exit(f"query_procs.py: {db}: no such database")
        progs.append((p, exe, env, db))
    res = {p: [] for p, _, _, _ in progs}
    devnull = os.open(os.devnull, os.O_WRONLY)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, k in enumerate(picks):
            try:
                text = json.loads(lines[k])["text"]
            except (ValueError, KeyError):
                sys.exit(f"query_procs.py: {a.corpus}: line {k + 1}: no JSON object with a text")
            path = os.path.join(tmp, f"q{i:03d}.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            files.append(path)
        for _ in range(a.rounds):
            for path in files:
                for p, exe, env, db in progs:
                    t0 = time.perf_counter()
                    # posix_spawn (glibc: clone with CLONE_VM, no copy of
                    # this process) so that the child's page faults and CPU
                    # time are the program's own
                    pid = os.posix_spawn(exe, [exe, "query", "-d", db, "--json", path], env,
                                         file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
                    _, status, ru = os.wait4(pid, 0)
                    wall = (time.perf_counter() - t0) * 1e3
                    code = os.waitstatus_to_exitcode(status)
                    if code not in (0, 1):
                        sys.exit(f"query_procs.py: {exe} query {path}: exit status {code}")
                    res[p].append((wall, (ru.ru_utime + ru.ru_stime) * 1e3, ru.ru_minflt))
    print(f"seed {a.seed}, {len(files)} articles of {a.corpus}, {a.rounds} rounds, "
          f"load {os.getloadavg()[0]:.1f}")
    for p, _, _, _ in progs:
        w = [x[0] for x in res[p]]
        c = [x[1] for x in res[p]]
        f = [x[2] for x in res[p]]
        print(f"{p}: {len(w)} runs; wall p50 {pct(w, .5):.1f} p99 {pct(w, .99):.1f} ms; "
              f"CPU p50 {pct(c, .5):.1f} p99 {pct(c, .99):.1f} mean {statistics.mean(c):.1f} ms; "
              f"minor faults p50 {pct(f, .5)} mean {statistics.mean(f):.0f}")


if __name__ == "__main__":
    main()
