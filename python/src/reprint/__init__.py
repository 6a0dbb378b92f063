"""reprint: find rewritten copies of news articles and trace them to their
originals, from Python.

A thin layer over libreprint (the C library of the reprint program): an
Index is a reprint database, the same file `reprint index` and `reprint
cluster` work on, so the command line and Python can share one index.

    import reprint
    with reprint.Index("news.db") as index:
        index.add("wire-1", "The city council approved ...", site="wire.example")
        for match in index.query("On Tuesday the council approved ..."):
            print(match.id, match.score)
        for cluster in index.clusters():
            print(cluster.original, [m.id for m in cluster.copies])
    print(reprint.compare(text_a, text_b).score)

Long calls (add_many, query, clusters, compare) release the GIL. Errors are
reprint.Error, carrying the library's message (and .code, the rp_err name);
an unknown id is reprint.NotFoundError, also a KeyError.
"""
from dataclasses import dataclass, field
from os import PathLike
from typing import Iterable, List, Mapping, Optional, Tuple, Union

from . import _reprint
from ._reprint import Error, NotFoundError, LIBRARY_VERSION

__all__ = ["Index", "compare", "Error", "NotFoundError", "RejectedError", "Match", "Member",
           "Cluster", "Article", "Passage", "Comparison", "AddResult", "LIBRARY_VERSION"]
__version__ = LIBRARY_VERSION


class RejectedError(Error):
    """An article the library would not index (empty text, binary content,
    no id ...); the message is the library's reason."""
    code = "REJECT"


_FIELDS = ("url", "site", "title", "published", "html")


@dataclass(frozen=True)
class Match:
    """An indexed article that a queried text shares text with."""
    id: str
    score: float
    jaccard: float
    containment_input_in_match: float
    containment_match_in_input: float


@dataclass(frozen=True)
class Member:
    """One article of a cluster; source is the member it was most likely
    taken from (None for the original)."""
    id: str
    role: str
    source: Optional[str]
    score: float
    jaccard: Optional[float] = None
    containment: Optional[float] = None


@dataclass(frozen=True)
class Cluster:
    """A cluster of two or more: its original and its copies."""
    id: int
    original: str
    members: Tuple[Member, ...]

    @property
    def copies(self) -> Tuple[Member, ...]:
        return tuple(m for m in self.members if m.role == "copy")

    def __len__(self) -> int:
        return len(self.members)

    def __iter__(self):
        return iter(self.members)


@dataclass(frozen=True)
class Article:
    """An article as stored (its text as extracted)."""
    id: str
    text: str
    url: Optional[str] = None
    site: Optional[str] = None
    title: Optional[str] = None
    published: Optional[str] = None
    author: Optional[str] = None
    indexed_at: int = 0


@dataclass(frozen=True)
class Passage:
    """A passage two texts share: [a_start, a_end) of a, [b_start, b_end)
    of b, as str indices."""
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    quoted: bool


@dataclass(frozen=True)
class Comparison:
    score: float
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float
    coverage_a: float
    coverage_b: float
    passages: Tuple[Passage, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class AddResult:
    """What add_many did: articles stored (exact duplicates included),
    exact duplicates, ids that were already indexed, and the rejected
    records as (position in the input, reason)."""
    indexed: int
    exact_duplicates: int
    already: int
    rejected: Tuple[Tuple[int, str], ...]


def _opt_str(name, v):
    if v is None or isinstance(v, str):
        return v
    raise TypeError(f"{name} must be a str, not {type(v).__name__}")


def _record(rec) -> tuple:
    """A record (a mapping with id and text or html, and optionally url,
    site, title, published; or an (id, text) pair) as the extension's
    7-tuple."""
    if isinstance(rec, Mapping):
        unknown = set(rec) - {"id", "text"} - set(_FIELDS)
        if unknown:
            raise TypeError(f"unknown record fields: {', '.join(sorted(map(str, unknown)))}")
        rid = rec.get("id")
        if rid is not None and not isinstance(rid, str):
            rid = str(rid)
        vals = [rid, rec.get("text"), rec.get("html"), rec.get("url"), rec.get("site"),
                rec.get("title"), rec.get("published")]
    elif isinstance(rec, (tuple, list)) and len(rec) == 2:
        vals = [rec[0], rec[1], None, None, None, None, None]
    else:
        raise TypeError("a record is a mapping (id, text, url, site, title, published) "
                        "or an (id, text) pair")
    names = ("id", "text", "html", "url", "site", "title", "published")
    return tuple(_opt_str(n, v) for n, v in zip(names, vals))


class Index:
    """A reprint index: a SQLite file, created when missing.

    shingle_size, permutations and threshold choose the parameters of a new
    index (words per shingle, MinHash permutations, decision threshold on
    the reuse score); for an existing index they must match what it was
    made with (ValueError otherwise). readonly opens an existing index for
    reading only.
    """

    def __init__(self, path: Union[str, PathLike], *, readonly: bool = False,
                 shingle_size: Optional[int] = None, permutations: Optional[int] = None,
                 threshold: Optional[float] = None):
        self.path = path
        self._h = _reprint._Index(path, readonly, shingle_size or 0, permutations or 0,
                                  -1.0 if threshold is None else float(threshold))

    # -- writing --

    def add(self, id: str, text: str, **metadata) -> bool:
        """Index one article. metadata: url, site, title, published (ISO
        8601), or html= instead of text (then text may be None). Returns
        True when stored, False when the id was already indexed (nothing
        changes). Raises RejectedError with the library's reason."""
        if not isinstance(id, str) or not id:
            raise TypeError("id must be a non-empty str")
        unknown = set(metadata) - set(_FIELDS)
        if unknown:
            raise TypeError(f"unknown metadata: {', '.join(sorted(unknown))}")
        rec = dict(metadata, id=id, text=text)
        res = self.add_many([rec])
        if res.rejected:
            raise RejectedError(f"{id}: {res.rejected[0][1]}")
        return res.indexed == 1

    def add_many(self, records: Iterable, *, site: Optional[str] = None,
                 jobs: int = 0) -> AddResult:
        """Index many records (mappings with id, text or html, url, site,
        title, published; or (id, text) pairs) in large transactions, their
        features computed on `jobs` threads (0: one per core). Bad records
        are skipped and listed in the result, not raised. site overrides
        every record's site."""
        recs = [_record(r) for r in records]
        indexed, dups, already, rejected = self._h.add_records(recs, site, jobs)
        return AddResult(indexed, dups, already, tuple(rejected))

    def remove(self, id: str) -> None:
        """Remove an article (text, bands, links; its stored cluster is
        dropped and rebuilt by the next clusters()). NotFoundError if the
        id is not indexed."""
        self._h.remove(id)

    # -- reading --

    def query(self, text: str, *, min_score: Optional[float] = None,
              top: int = 0) -> List[Match]:
        """Indexed articles the text shares text with, best first, with a
        reuse score >= min_score (default: the index's threshold), at most
        top of them (0: all)."""
        hits = self._h.query(text, -1.0 if min_score is None else float(min_score), top)
        return [Match(*h) for h in hits]

    def clusters(self, *, min_score: Optional[float] = None, recluster: bool = False,
                 jobs: int = 0) -> List[Cluster]:
        """The clusters of two or more articles. The index is clustered
        first when it changed since the stored clusters were made (or when
        min_score is given, or recluster is true), as `reprint cluster`
        does, and the clusters are stored for the command line too."""
        if recluster or min_score is not None or self._h.stale():
            self._h.cluster(-1.0 if min_score is None else float(min_score), jobs)
        out = []
        for cid, members in self._h.stored_clusters():
            ms = tuple(Member(mid, "original" if orig else "copy", src, score,
                              None if orig else jac, None if orig else cont)
                       for mid, orig, src, score, jac, cont in members)
            original = next(m.id for m in ms if m.role == "original")
            out.append(Cluster(cid, original, ms))
        return out

    def stale(self) -> bool:
        """True when the index changed since its clusters were stored."""
        return self._h.stale()

    def get(self, id: str) -> Optional[Article]:
        """The stored article with this id, or None."""
        d = self._h.get(id)
        return Article(**d) if d is not None else None

    def __getitem__(self, id: str) -> Article:
        a = self.get(id)
        if a is None:
            raise NotFoundError(f"{self.path}: no article with id {id}")
        return a

    def __contains__(self, id) -> bool:
        return isinstance(id, str) and self._h.get(id) is not None

    def __len__(self) -> int:
        return self._h.stats()["articles"]

    def stats(self) -> dict:
        """Counts (articles, exact_duplicates, clusters, clustered_articles)
        and parameters (shingle_size, permutations, threshold)."""
        return self._h.stats()

    # -- lifetime --

    def close(self) -> None:
        self._h.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def compare(a: str, b: str) -> Comparison:
    """Compare two texts directly (no index): the reuse score, exact
    Jaccard and containments, coverages, and the shared passages (offsets
    are str indices into a and b)."""
    score, jac, cab, cba, cova, covb, ps = _reprint.compare(a, b)
    return Comparison(score, jac, cab, cba, cova, covb, tuple(Passage(*p) for p in ps))
