# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Jobs leaving: a completed product or sub-assembly, or scrap, and their statistics."""

from __future__ import annotations

import math

import numba as nb

from droneworks.factory.engine import tables
from droneworks.factory.engine.core import (
    JIT,
    log_row,
    material_touch,
    todo_push,
    wip_change,
)  # fmt: skip
from droneworks.factory.engine.spec import (
    A_MATERIAL,
    A_RELEASE,
    G_FREE_HEAD,
    G_FREE_N,
    G_PERIOD,
    G_WARM,
    HIST_BINS,
    L_COMPLETE,
    L_SCRAP,
)  # fmt: skip


@nb.njit(**JIT)
def _free_job(I, F, j):
    jobs = tables.jobs(I, F)
    jobs.type[j] = -1
    jobs.next[j] = I[G_FREE_HEAD]
    I[G_FREE_HEAD] = j
    I[G_FREE_N] += 1


@nb.njit(**JIT)
def _departure(I, F, j, now, done):
    """Statistics of a product leaving the system (completed or scrapped)."""
    job_types = tables.job_types(I, F)
    jobs = tables.jobs(I, F)
    lead_hist = tables.lead_hist(I, F)
    output_by_period = tables.output_by_period(I, F)
    params = tables.params(I, F)
    jt = jobs.type[j]
    wip_change(I, F, -1, now)
    if params.conwip >= 0:
        for product in range(int(params.n_products)):
            todo_push(I, F, A_RELEASE, job_types.first_wc[product])
    if done:  # per-period output covers the warm-up too
        output_by_period[I[G_PERIOD], jt] += 1
    if I[G_WARM] == 0:
        return
    released = jobs.released[j]
    job_types.sojourn[jt] += now - max(released, params.warmup)
    if not done:
        job_types.scrap[jt] += 1
        return
    lead = now - released
    job_types.done[jt] += 1
    job_types.first_pass[jt] += jobs.first_pass[j]
    job_types.lead_sum[jt] += lead
    job_types.lead_sq[jt] += lead * lead
    late = now - jobs.due[j]
    if late > 0.0:  # never with no due date (due = inf)
        job_types.late[jt] += 1
        job_types.tardiness[jt] += late
    job_types.wait_sum[jt] += released - jobs.ordered[j]
    lead_bin = _hist_bin(params, lead)
    lead_hist[lead_bin] += 1
    since_order = now - jobs.ordered[j]  # the lead time when the order did not wait
    order_bin = lead_bin if since_order == lead else _hist_bin(params, since_order)
    tables.order_hist(I, F)[order_bin] += 1


@nb.njit(**JIT)
def _hist_bin(params, minutes):
    """Bin of ``minutes`` in the log-spaced lead-time histograms."""
    position = (math.log10(max(minutes, 1e-300)) - params.hist_lo) * params.hist_per_decade
    return min(max(int(position), 0), HIST_BINS - 1)


@nb.njit(**JIT)
def complete(I, F, j, now):
    """Job ``j`` finished its routing: a product leaves, a sub-assembly goes to stock."""
    job_types = tables.job_types(I, F)
    jobs = tables.jobs(I, F)
    materials = tables.materials(I, F)
    params = tables.params(I, F)
    jt = jobs.type[j]
    n_products = int(params.n_products)
    log_row(I, F, now, L_COMPLETE, jt, j, -1, -1)
    if jt < n_products:
        _departure(I, F, j, now, True)
    else:
        if I[G_WARM] == 1:
            job_types.done[jt] += 1
        m = int(params.n_parts) + jt - n_products
        material_touch(I, F, m, now)
        materials.stock[m] += 1
        todo_push(I, F, A_MATERIAL, m)
    _free_job(I, F, j)


@nb.njit(**JIT)
def scrap(I, F, j, now):
    """Job ``j`` failed its test too often; a scrapped sub-assembly is made again."""
    job_types = tables.job_types(I, F)
    jobs = tables.jobs(I, F)
    params = tables.params(I, F)
    jt = jobs.type[j]
    log_row(I, F, now, L_SCRAP, jt, j, -1, -1)
    if jt < int(params.n_products):
        _departure(I, F, j, now, False)
    else:
        if I[G_WARM] == 1:
            job_types.scrap[jt] += 1
        job_types.backlog[jt] += 1
        todo_push(I, F, A_RELEASE, job_types.first_wc[jt])
    _free_job(I, F, j)
