#!/usr/bin/env python3
"""Index and cluster time per MB of text, per language, on corpora built alike.

  benchmarks/lang_speed.py [--reprint BIN] [--articles N] [--rounds N] [--work DIR]

Issue 12 asks that `index` and `cluster` time per MB of other languages stay
within 2x of English. To compare like with like, every language's corpus is
made the same way from that language's real pages (the git-ignored texts of
.realpages/ for English and .realpages-intl/ for the others, rebuilt as their
READMEs say; a language without texts is skipped with a message):

- sentences: the pages' sentences (cut at . ! ? and 。！？), the same number
  for every language (POOL, drawn at random);
- an article: 5 to 8 random sentences of that pool in paragraphs of 2 to 4,
  and a headline; two articles share a sentence now and then, as reports of
  one event do, so every corpus has about as many candidates per article;
- a third of the articles are copies of an earlier one (a paragraph dropped,
  a fragment changed), so that `cluster` verifies copies as well;
- the same number of articles (--articles, default 4000) for every
  language, so that each corpus has as many copies to verify; time
  is given per MB of UTF-8 article text (a Cyrillic or Arabic letter takes two
  bytes, a Chinese or Japanese character three).

Each round runs `reprint index -q -j2` into a fresh database and then
`reprint cluster -q -j2 --json`, languages interleaved, and the best user+sys
CPU of the rounds is reported per MB of article text, with the ratio to
English. Nothing is asserted; the figures go to benchmarks/RESULTS.md.
"""
import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANGS = ("en", "fr", "de", "es", "it", "ru", "ar", "ja", "zh")
NOSPACE = ("ja", "zh")
POOL = 180


def pages(lang):
    if lang == "en":
        base = os.path.join(ROOT, ".realpages")
        dirs = [d for d in os.listdir(base) if re.fullmatch(r"ev\d+", d)] if os.path.isdir(base) else []
    else:
        base = os.path.join(ROOT, ".realpages-intl")
        dirs = [d for d in os.listdir(base) if re.fullmatch(lang + r"\d+", d)] if os.path.isdir(base) else []
    out = []
    for d in sorted(dirs):
        for f in sorted(os.listdir(os.path.join(base, d))):
            with open(os.path.join(base, d, f), encoding="utf-8", errors="replace") as fh:
                out.append(fh.read())
    return out


def sentences(lang, texts, rnd):
    out = []
    for t in texts:
        for line in t.splitlines():
            for x in re.split(r"(?<=[.!?。！？])\s*", line.strip()):
                n = len(x) if lang in NOSPACE else len(x.split())
                if n >= (15 if lang in NOSPACE else 5):
                    out.append(x)
    rnd.shuffle(out)
    return out[:POOL]


def article(pool, rnd):
    sents = rnd.sample(pool, rnd.randint(5, 8))
    paras, i = [], 0
    while i < len(sents):
        k = rnd.randint(2, 4)
        paras.append(" ".join(sents[i:i + k]))
        i += k
    return paras


def corpus(lang, count, seed, path):
    rnd = random.Random(seed)
    texts = pages(lang)
    if not texts:
        return None
    pool = sentences(lang, texts, rnd)
    if len(pool) < POOL:
        return None
    arts, nbytes, i = [], 0, 0
    with open(path, "w", encoding="utf-8") as out:
        while i < count:
            if arts and rnd.random() < 1 / 3:
                src = rnd.choice(arts)
                paras = list(src)
                if len(paras) > 2:
                    del paras[rnd.randrange(1, len(paras))]
                k = rnd.randrange(len(paras))
                paras[k] = paras[k] + " " + rnd.choice(pool)
            else:
                paras = article(pool, rnd)
                arts.append(paras)
            text = "\n\n".join(paras)
            head = rnd.choice(pool)
            nbytes += len(text.encode("utf-8"))
            out.write(json.dumps({"id": f"{lang}-{i}", "url": f"https://site{i % 97}.example/{lang}/{i}",
                                  "title": head, "text": text},
                                 ensure_ascii=False) + "\n")
            i += 1
    return i, nbytes


def cpu_of(cmd, keep=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE if keep is not None else subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if keep is not None:
        keep.append(r.stdout + r.stderr)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"lang_speed: {' '.join(cmd)} failed: {r.stderr.strip()}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reprint", default=os.path.join(ROOT, "build", "reprint"))
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work")
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="reprint-lang-speed-")
    os.makedirs(work, exist_ok=True)
    made = {}
    for lang in LANGS:
        got = corpus(lang, a.articles, a.seed, os.path.join(work, f"{lang}.jsonl"))
        if got is None:
            print(f"SKIP {lang}: fewer than {POOL} sentences of page texts (rebuild them as the "
                  f"label folders' READMEs say)")
            continue
        made[lang] = got
    if "en" not in made:
        print("SKIP lang_speed: no English page texts in .realpages/ to compare with")
        return 0
    best, found = {}, {}
    for _ in range(a.rounds):
        for lang in made:
            db = os.path.join(work, f"{lang}.db")
            for ext in ("", "-wal", "-shm"):
                if os.path.exists(db + ext):
                    os.remove(db + ext)
            ic, iw = cpu_of([a.reprint, "index", "-q", "-j2", "-d", db, os.path.join(work, f"{lang}.jsonl")])
            said = []
            cc, cw = cpu_of([a.reprint, "cluster", "-j2", "-d", db], said)
            m = re.search(r"candidates (\d+), reuse pairs (\d+)", said[0])
            found[lang] = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
            b = best.setdefault(lang, [ic, iw, cc, cw])
            best[lang] = [min(b[0], ic), min(b[1], iw), min(b[2], cc), min(b[3], cw)]
    print(f"corpora of {a.articles} articles per language from {POOL} sentences of its real pages, "
          f"built alike (seed {a.seed}); best of {a.rounds} rounds; CPU = user + sys")
    print(f"{'lang':<5}{'articles':>9}{'MB':>7} | {'index CPU s/MB':>14}{'x en':>6} | "
          f"{'cluster CPU s/MB':>16}{'x en':>6} | {'candidates':>10}{'reuse':>7}{'us/cand.':>9} | "
          f"{'wall s':>7}")
    mb_en = made["en"][1] / 1e6
    ie, ce = best["en"][0] / mb_en, best["en"][2] / mb_en
    for lang in made:
        n, nb = made[lang]
        mb = nb / 1e6
        ic, iw, cc, cw = best[lang]
        print(f"{lang:<5}{n:>9}{mb:>7.2f} | {ic / mb:>14.3f}{ic / mb / ie:>6.2f} | "
              f"{cc / mb:>16.3f}{cc / mb / ce:>6.2f} | {found[lang][0]:>10}{found[lang][1]:>7}"
              f"{1e6 * cc / max(1, found[lang][0]):>9.1f} | "
              f"{iw + cw:>7.2f}")
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
