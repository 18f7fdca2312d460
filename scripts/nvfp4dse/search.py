"""Multi-objective search with Optuna (NSGA-II, seeded): minimise energy and area, maximise accuracy.

Trials are asked in batches of the worker count and evaluated on the run's workers (runner.workers_pool); each finished
trial lands in the results store like any other point. A rerun first replays the stored points into the study (so an
interrupted search resumes with what it had learnt) and then asks for the remaining trials; a proposed point that is
already stored is told its stored values without being evaluated again.
"""
from __future__ import annotations

import json

from .progress import Progress
from .runner import RunSummary, evaluate_point, workers_pool
from .space import Sweep
from .store import ResultStore, point_key

OBJECTIVES = [("energy_uj", "minimize"), ("area_mm2", "minimize"), ("accuracy", "maximize")]


def _values(metrics: dict, with_accuracy: bool) -> list[float]:
    objs = OBJECTIVES if with_accuracy else OBJECTIVES[:2]
    return [float(metrics[k]) for k, _ in objs]


def run_optuna(sweep: Sweep, store: ResultStore, scheduler, workers, show_progress) -> RunSummary:
    import concurrent.futures
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with_acc = sweep.accuracy != "none"
    directions = [d for _, d in (OBJECTIVES if with_acc else OBJECTIVES[:2])]
    dists = {k: optuna.distributions.CategoricalDistribution(v) for k, v in sweep.space.items()}
    study = optuna.create_study(directions=directions, sampler=optuna.samplers.NSGAIISampler(seed=sweep.seed))
    stored = {}
    for row in store.db.execute("SELECT key, point, metrics FROM results"):
        stored[row[0]] = (json.loads(row[1]), json.loads(row[2]))
    for point, metrics in stored.values():
        study.add_trial(optuna.trial.create_trial(params={k: point[k] for k in sweep.space}, distributions=dists,
                                                  values=_values(metrics, with_acc)))
    # `samples` counts distinct stored points, so a rerun of a finished search computes nothing. The space may be
    # smaller than that: stop after 20 asks per wanted point.
    total = min(sweep.samples, _space_size(sweep))
    progress = Progress(total, min(len(stored), total), show_progress)
    computed, failed, asks = 0, [], 0
    remaining = total - len(stored)
    with workers_pool(scheduler, workers) if remaining > 0 else _null() as (executor, batch):
        while remaining > 0 and asks < 20 * total:
            trials, todo = [], []
            for _ in range(min(batch, remaining)):
                asks += 1
                trial = study.ask(dists)
                point = sweep.make_point(trial.params)
                trials.append((trial, point))
            for trial, point in trials:
                key = point_key(point)
                if key in stored:
                    study.tell(trial, _values(stored[key][1], with_acc))
                else:
                    todo.append((trial, point))
            futures = [executor.submit(evaluate_point, p) for _, p in todo]
            concurrent.futures.wait(futures)
            for (trial, point), fut in zip(todo, futures):
                try:
                    metrics, seconds = fut.result()
                except Exception as e:
                    study.tell(trial, state=optuna.trial.TrialState.FAIL)
                    failed.append((point, f"{type(e).__name__}: {e}"))
                    continue
                study.tell(trial, _values(metrics, with_acc))
                if store.insert(point, metrics, seconds):
                    computed += 1
                    progress.step()
                stored[point_key(point)] = (point, metrics)
            remaining = total - len(stored)
    progress.close()
    return RunSummary(total, total - computed - len(failed), computed, failed)


def _space_size(sweep: Sweep) -> int:
    n = 1
    for values in sweep.space.values():
        n *= len(values)
    return n


class _null:
    def __enter__(self):
        return None, 1

    def __exit__(self, *exc):
        return False
