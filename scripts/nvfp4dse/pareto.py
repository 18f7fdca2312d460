"""Pareto fronts of rows under objectives given as (column, 'min' | 'max')."""
from __future__ import annotations


def dominates(a: dict, b: dict, objectives) -> bool:
    better = False
    for col, sense in objectives:
        x, y = (a[col], b[col]) if sense == "min" else (-a[col], -b[col])
        if x > y:
            return False
        better |= x < y
    return better


def pareto_front(rows: list[dict], objectives) -> list[dict]:
    rows = [r for r in rows if all(c in r for c, _ in objectives)]
    return [r for r in rows if not any(dominates(o, r, objectives) for o in rows if o is not r)]
