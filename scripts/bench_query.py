"""How fast the directives database answers at scale: fill it, then time the API.

    python scripts/bench_query.py --documents 1000000 --db sqlite:///build/q.db
    python scripts/bench_query.py --documents 1000000 --db postgresql+psycopg://… --fill-only

Fills the database (through the project's migrations, then bulk inserts of the store's own
rows and full-text index) up to N realistic synthetic documents (scripts/querygen.py: pages
of text, tasks, targets, citations), unless it holds them already. Then starts the real
``vanban serve`` on it and times HTTP requests from this process, after a warm-up of 20 of
each kind: full-text searches (1-3 consecutive words of a generated page, so common and
rare words come as often as in the text), filtered lists (type, issuer with the bodies
under it, signer, a year or a month, two filters together, a deep page, a number by its
digits or beginning), a document view,
and the tasks board's queries (overdue on a day, due in a month, by lead). Prints each
kind's median and p95 and a last line::

    bench_query: documents=N search_p95_ms=… list_p95_ms=… document_p95_ms=… tasks_p95_ms=…
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from models import Store, fulltext  # noqa: E402
from models.schema import Base  # noqa: E402
from scripts import querygen  # noqa: E402
from scripts.serving import serving  # noqa: E402

BATCH = 5_000  # documents per transaction
CHILDREN = ("pages", "recipients", "doc_references", "tasks", "targets", "field_provenance",
            "field_confidence")
REQUESTS = 200  # timed requests of each kind
WARM_UP = 20


def fill(store: Store, wanted: int, seed: int) -> None:
    engine = store.engine
    with engine.connect() as conn:
        have = conn.execute(text("SELECT count(*) FROM documents")).scalar_one()
        if have >= wanted:
            print(f"bench_query: the database holds {have} documents already", flush=True)
            return
        orgs = conn.execute(text("SELECT count(*) FROM organisations")).scalar_one()
    top = _top(engine, "documents")
    rng = random.Random(seed)
    found = querygen.bodies(rng)
    tables = Base.metadata.tables
    with engine.begin() as conn:
        if not orgs:
            conn.execute(tables["organisations"].insert(), querygen.organisation_rows(found))
            conn.execute(tables["indicators"].insert(), [
                {"id": i, "code": ind.code, "name": ind.name, "source": ind.source or None}
                for i, ind in enumerate(querygen.indicator_catalogue().values(), 1)])
    generator = querygen.Generator(seed + top, querygen.sentences(), found)
    insert_index = text(fulltext.insert_sql(engine.dialect.name))
    started, made = time.monotonic(), 0
    task_id = _top(engine, "tasks")
    while have + made < wanted:
        count = min(BATCH, wanted - have - made)
        rows: dict[str, list[dict]] = {name: [] for name in ("documents", *CHILDREN)}
        partners: list[dict] = []
        index: list[dict] = []
        for doc in generator.documents(top + made + 1, count):
            for name, values in doc.items():
                if name == "tasks":
                    for task in values:
                        task_id += 1
                        partners += [{"task_id": task_id, "position": i, "name": p}
                                     for i, p in enumerate(task.pop("partners"))]
                        rows["tasks"].append({"id": task_id, **task})
                else:
                    rows["doc_references" if name == "references" else name] += values
            d = doc["documents"][0]
            entry = fulltext.index_row(d["id"], d["issued_date"], d["signer_name"],
                                       [p["text"] for p in doc["pages"]])
            d["order_key"] = entry["key"]
            index.append(entry)
        with engine.begin() as conn:
            for name in ("documents", *CHILDREN):
                if rows[name]:
                    conn.execute(tables[name].insert(), rows[name])
            if partners:
                conn.execute(tables["task_partners"].insert(), partners)
            conn.execute(insert_index, index)
        made += count
        rate = made / (time.monotonic() - started)
        print(f"\rfilled {have + made}/{wanted} ({rate:.0f} documents/s)", end="", flush=True)
    print(flush=True)
    _settle(engine)
    print(f"bench_query: filled {made} documents in {time.monotonic() - started:.0f} s",
          flush=True)


def _top(engine, table: str) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()


def _settle(engine) -> None:  # noqa: ANN001
    """Statistics for the planner, sequences past the ids given, the index merged."""
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.execute(text(f"INSERT INTO {fulltext.TABLE} ({fulltext.TABLE}) "
                              "VALUES ('optimize')"))
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        return
    with engine.begin() as conn:
        for table in ("organisations", "indicators", "documents", "tasks", "task_partners",
                      *CHILDREN):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")


def requests(store: Store, seed: int) -> dict[str, list[str]]:
    """The timed requests of each kind, drawn from what is stored."""
    rng = random.Random(seed)
    with store.engine.connect() as conn:
        top = conn.execute(text("SELECT max(id) FROM documents")).scalar_one()
        bodies = [n for (n,) in conn.execute(text("SELECT name FROM organisations"))]
        texts = [t for (t,) in conn.execute(text(
            "SELECT text FROM pages WHERE document_id IN (" + ", ".join(
                str(rng.randint(1, top)) for _ in range(REQUESTS + WARM_UP)) + ")"))]
        signers = [n for (n,) in conn.execute(text(
            "SELECT signer_name FROM documents WHERE id IN (" + ", ".join(
                str(rng.randint(1, top)) for _ in range(300)) + ")")) if n]
    n = REQUESTS + WARM_UP

    def query(**params: object) -> str:
        return "/api/documents?" + urllib.parse.urlencode(params)

    searches = []
    for page in rng.choices(texts, k=n):
        words = page.split()
        at = rng.randrange(max(1, len(words) - 3))
        searches.append(query(q=" ".join(words[at:at + rng.choice((1, 2, 2, 3))]).strip(".,;:")))
    lists = []
    for _ in range(n):
        year = rng.randint(2015, 2026)
        choices = [
            lambda year: query(type=rng.choice(("Công văn", "kế hoạch", "QD", "TB", "bao cao"))),
            lambda year: query(issuer=rng.choice(bodies)),
            lambda year: query(signer=rng.choice(signers)),
            lambda year: query(signer=rng.choice(signers).split()[-1]),  # a given name alone
            lambda year: query(since=str(year), until=str(year)),
            lambda year: query(since=f"{year}-{rng.randint(1, 12):02d}",
                          until=f"{year}-{rng.randint(1, 12):02d}"),
            lambda year: query(type=rng.choice(("kế hoạch", "Quyết định")), issuer=rng.choice(bodies)),
            lambda year: query(issuer=rng.choice(bodies), since=str(year)),
            lambda year: query(offset=rng.randint(1000, 5000)),
            lambda year: query(number=str(rng.randint(1, 3000))),  # a number's digits
            lambda year: query(number=f"{rng.randint(1, 3000)}/qd"),  # its beginning
        ]
        lists.append(rng.choice(choices)(year))
    documents = [f"/api/documents/{rng.randint(1, top)}" for _ in range(n)]
    tasks = []
    for _ in range(n):
        day = f"{rng.randint(2015, 2027)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        month = f"{rng.randint(2015, 2027)}-{rng.randint(1, 12):02d}"
        tasks.append("/api/tasks?" + urllib.parse.urlencode(rng.choice((
            {"overdue": day}, {"since": month, "until": month}, {"lead": rng.choice(bodies)},
            {"lead": rng.choice(bodies), "overdue": day}))))
    return {"search": searches, "list": lists, "document": documents, "tasks": tasks}


def measure(db: str, plan: dict[str, list[str]]) -> dict[str, list[float]]:
    """Milliseconds per request of each kind, through HTTP to the real server."""
    times: dict[str, list[float]] = {}
    with serving(db) as base:
        for kind, paths in plan.items():
            times[kind] = []
            for i, path in enumerate(paths):
                began = time.perf_counter()
                with urllib.request.urlopen(base + path, timeout=120) as answer:
                    body = answer.read()
                took = (time.perf_counter() - began) * 1000
                json.loads(body)
                if i >= WARM_UP:
                    times[kind].append(took)
    return times


def check_estimates(store: Store, searches: list[str]) -> None:
    """How the totals a search gives compare with exact counts."""
    from models import lists

    ratios = []
    for path in searches:
        words = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["q"][0]
        total, _ = lists.find_documents(store.engine, lists.DocumentFilter(q=words), limit=1)
        if total.exact:
            continue
        with store.engine.connect() as conn:
            body = fulltext.words(words)
            where, params = fulltext.match(store.engine.dialect.name, body, [])
            real = conn.execute(text(f"SELECT count(*) FROM {fulltext.TABLE} s WHERE {where}"),
                                params).scalar_one()
        ratios.append(total / real)
    if ratios:
        ratios.sort()
        print(f"estimated totals: {len(ratios)} of {len(searches)} searches; estimate/exact "
              f"median {statistics.median(ratios):.3f}, range {ratios[0]:.3f}-{ratios[-1]:.3f}")
    else:
        print(f"estimated totals: none of {len(searches)} searches (every total exact)")


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, required=True)
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of the database to fill")
    parser.add_argument("--fill-only", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check-estimates", action="store_true", help="count every timed "
                        "search exactly too (slow on PostgreSQL) and say how far the totals "
                        "given as estimates were from the exact ones")
    args = parser.parse_args()
    os.environ.setdefault("VANBAN_DB_TIMEOUT", "120")
    store = Store(args.db)
    fill(store, args.documents, args.seed)
    if args.fill_only:
        return 0
    with store.engine.connect() as conn:
        have = conn.execute(text("SELECT count(*) FROM documents")).scalar_one()
    plan = requests(store, args.seed + 1)
    times = measure(args.db, plan)
    if args.check_estimates:
        check_estimates(store, plan["search"][WARM_UP:])
    for kind, values in times.items():
        print(f"{kind:9} median {statistics.median(values):7.1f} ms  p95 {p95(values):7.1f} ms"
              f"  max {max(values):7.1f} ms  ({len(values)} requests)")
    print(f"bench_query: documents={have} " + " ".join(
        f"{kind}_p95_ms={p95(values):.0f}" for kind, values in times.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
