"""Results store: one SQLite file per sweep, one row per design point, written once.

The key of a point is the SHA-256 of its canonical JSON (sorted keys), so the same point always gets the same key
whatever the order it was generated in. Rows are inserted with INSERT OR IGNORE inside a transaction: a rerun skips
finished points, a point computed twice (a worker lost after finishing, a retried task) is stored once, and a killed
run leaves only whole rows (SQLite's journal rolls back a half-written transaction). Only the client process writes.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path

SCHEMA_VERSION = 1


def point_key(point: dict) -> str:
    return hashlib.sha256(json.dumps(point, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:24]


class StoreError(Exception):
    pass


def check_existing_store(path: str | Path) -> None:
    """For readers (`report`): the store must exist and be a results store; nothing is created or changed."""
    p = Path(path)
    if not p.is_file():
        raise StoreError(f"{p}: no such results store (run `nvfp4-dse run SWEEP.yaml --store {p}` first)")
    try:
        db = sqlite3.connect(f"file:{p}?mode=ro", uri=True, timeout=30)
        try:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            db.close()
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{p}: not a usable results store ({e})") from e
    if not {"meta", "results"} <= tables:
        raise StoreError(f"{p}: not a results store of nvfp4-dse (no meta/results tables)")


def _check_not_foreign(db: sqlite3.Connection, path: Path) -> None:
    """An SQLite file of some other program is refused, not written into."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if tables and not {"meta", "results"} <= tables:
        raise StoreError(f"{path}: an SQLite file that is not a results store of nvfp4-dse (tables: "
                         f"{', '.join(sorted(tables))}); use a new --store path")


class ResultStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(str(self.path), timeout=30)
            _check_not_foreign(self.db, self.path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            self.db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, point TEXT NOT NULL, "
                            "metrics TEXT NOT NULL, seconds REAL NOT NULL, finished REAL NOT NULL)")
            self.db.commit()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: not a usable results store ({e})") from e
        version = self.get_meta("schema_version")
        if version is None:
            self.set_meta("schema_version", str(SCHEMA_VERSION))
        elif int(version) != SCHEMA_VERSION:
            raise StoreError(f"{self.path}: results store schema {version}, this version reads {SCHEMA_VERSION}")

    def close(self):
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str):
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def bind_sweep(self, sweep_fingerprint: str):
        """A store belongs to one sweep definition; reusing it for another would mix incomparable rows."""
        have = self.get_meta("sweep")
        if have is None:
            self.set_meta("sweep", sweep_fingerprint)
        elif have != sweep_fingerprint:
            raise StoreError(f"{self.path} holds results of a different sweep definition; use a new --store path")

    def done_keys(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT key FROM results")}

    def insert(self, point: dict, metrics: dict, seconds: float) -> bool:
        """True when the row is new; False when the point was already stored (the first result is kept)."""
        with self.db:
            cur = self.db.execute("INSERT OR IGNORE INTO results VALUES (?, ?, ?, ?, ?)",
                                  (point_key(point), json.dumps(point, sort_keys=True),
                                   json.dumps(metrics, sort_keys=True), seconds, time.time()))
        return cur.rowcount == 1

    def rows(self) -> list[dict]:
        out = []
        for key, point, metrics in self.db.execute("SELECT key, point, metrics FROM results ORDER BY key"):
            out.append({"key": key, **json.loads(point), **json.loads(metrics)})
        return out

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
