"""Summaries of a load-test run: percentiles, memory and CPU per learner, failures."""

from __future__ import annotations

from typing import Any

import numpy as np
import psutil

MIB = 1024 * 1024


def percentiles(values: list[float]) -> dict[str, float | None]:
    """p50, p95 and max of a list of seconds, in milliseconds (None when empty)."""
    if not values:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "max_ms": None}
    arr = np.asarray(values) * 1000
    return {"n": int(arr.size), "p50_ms": round(float(np.percentile(arr, 50)), 1),
            "p95_ms": round(float(np.percentile(arr, 95)), 1), "max_ms": round(float(arr.max()), 1)}


def machine_busy(cpu_before: Any, cpu_after: Any) -> float:
    """Cores busy on the whole machine between two ``psutil.cpu_times()`` readings."""
    idle = (cpu_after.idle + getattr(cpu_after, "iowait", 0)) - (cpu_before.idle + getattr(cpu_before, "iowait", 0))
    total = sum(cpu_after) - sum(cpu_before)
    return psutil.cpu_count() * (1 - idle / total) if total > 0 else 0.0


def summarize(records: list[Any], usage: dict[str, Any], wall: float, learners: list[str],
              failures: list[str], faults: dict[str, Any], hub_start: float,
              machine: dict[str, Any]) -> dict[str, Any]:
    """The run's report as a JSON-ready dict."""
    peaks = [usage[name].peak_rss / MIB for name in learners if name in usage]
    cpu = [usage[name].cpu_seconds for name in learners if name in usage]
    total_cpu = sum(u.cpu_seconds for u in usage.values())
    spawn = [r.spawn for r in records if r.spawn]
    lesson = [r.lesson for r in records if r.lesson]
    return {
        "learners": len(learners),
        "wall_s": round(wall, 1),
        "hub_start_s": round(hub_start, 2),
        "spawn_s": _stats_s(spawn),
        "lesson_s": _stats_s(lesson),
        "cell_latency": percentiles([c for r in records for c in r.cells]),
        "slider_round_trip": percentiles([s for r in records for s in r.slider]),
        "slider_cpu_ms_per_move": _round(1000 * np.mean([r.slider_cpu for r in records if r.slider_cpu]))
        if any(r.slider_cpu for r in records) else None,
        "exercise_open_s": _stats_s([r.exercises for r in records if r.exercises]),
        "memory_mib_per_learner": {"mean": _round(np.mean(peaks)) if peaks else None,
                                   "max": _round(max(peaks)) if peaks else None},
        "memory_mib_hub": _round(usage["hub"].peak_rss / MIB) if "hub" in usage else None,
        "memory_mib_proxy": _round(usage["proxy"].peak_rss / MIB) if "proxy" in usage else None,
        "cpu_s_per_learner": {"mean": _round(np.mean(cpu)) if cpu else None,
                              "max": _round(max(cpu)) if cpu else None},
        "cores_busy_mean": round(total_cpu / wall, 2) if wall else None,
        "machine": machine,
        "faults": faults,
        "failures": failures + [f"{r.name}: {f}" for r in records for f in r.failures],
        "notes": [f"{r.name}: {n}" for r in records for n in r.notes],
    }


def _stats_s(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"mean": None, "max": None}
    return {"mean": round(float(np.mean(values)), 2), "max": round(float(max(values)), 2)}


def _round(value: float) -> float:
    return round(float(value), 1)


def text(report: dict[str, Any]) -> str:
    """The report as lines for a terminal."""
    def ms(block: dict[str, Any]) -> str:
        if not block["n"]:
            return "none measured"
        return f"p50 {block['p50_ms']:.0f} ms, p95 {block['p95_ms']:.0f} ms, max {block['max_ms']:.0f} ms (n={block['n']})"

    mem, cpu = report["memory_mib_per_learner"], report["cpu_s_per_learner"]
    lines = [
        f"learners: {report['learners']}   wall time: {report['wall_s']} s   hub start: {report['hub_start_s']} s",
        f"spawn time: mean {report['spawn_s']['mean']} s, max {report['spawn_s']['max']} s",
        f"lesson 03 run time: mean {report['lesson_s']['mean']} s, max {report['lesson_s']['max']} s",
        f"cell latency: {ms(report['cell_latency'])}",
        f"slider round trip: {ms(report['slider_round_trip'])}",
        f"CPU per slider move (server + kernel): {report['slider_cpu_ms_per_move']} ms",
        f"exercise notebook open + first cell: mean {report['exercise_open_s']['mean']} s",
        f"peak memory per learner (server + kernel, RSS): mean {mem['mean']} MiB, max {mem['max']} MiB;"
        f" hub {report['memory_mib_hub']} MiB, proxy {report['memory_mib_proxy']} MiB",
        f"CPU per learner: mean {cpu['mean']} s, max {cpu['max']} s; cores busy on average: {report['cores_busy_mean']}",
        "machine: {cores} cores, {memory_gib} GiB; load average {load_before} before, {load_after} after; "
        "all processes kept {busy_cores} cores busy on average (this run: {ours})".format(
            ours=report["cores_busy_mean"], **report["machine"]),
    ]
    for name, outcome in report["faults"].items():
        lines.append(f"fault check '{name}': {outcome}")
    lines += [f"note: {n}" for n in report["notes"]]
    lines += [f"FAILURE: {f}" for f in report["failures"]] or ["failures: none"]
    return "\n".join(lines)
