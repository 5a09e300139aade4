# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Where a job is in its routing: the current operation, tests, rework and scrap."""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine import tables
from droneworks.factory.engine.core import (
    JIT,
    draw,
    log_row,
)  # fmt: skip
from droneworks.factory.engine.spec import (
    G_WARM,
    L_TEST_FAIL,
)  # fmt: skip

DONE = -1
SCRAPPED = -2


@nb.njit(inline="always", **JIT)
def job_op(I, F, j):
    """The operation job ``j`` is at (its routing step or a step of a rework routing)."""
    return tables.jobs(I, F).op[j]


@nb.njit(inline="always", **JIT)
def locate(I, F, j):
    """Set the operation of job ``j`` from its routing position (after it changed)."""
    job_types = tables.job_types(I, F)
    jobs = tables.jobs(I, F)
    ops = tables.ops(I, F)
    op = tables.route(I, F).op[job_types.route_start[jobs.type[j]] + jobs.pos[j]]
    if jobs.rework[j] >= 0:
        op = tables.rework_route(I, F).op[ops.rework_start[op] + jobs.rework[j]]
    jobs.op[j] = op


@nb.njit(**JIT)
def _test_passes(I, F, o, j):
    jobs = tables.jobs(I, F)
    ops = tables.ops(I, F)
    tested = ops.tested[o]
    ops.tested[o] = tested + 1
    quality = ops.yield0[o]
    if ops.yield_half[o] > 0.0:
        gap = ops.yield1[o] - ops.yield0[o]
        quality = ops.yield1[o] - gap * 2.0 ** (-tested / ops.yield_half[o])
    retest = ops.yield_retest[o]
    if retest >= 0.0 and jobs.reworks[j] > 0:
        quality = retest
    return draw(I, F, ops.test_stream[o]) < quality


@nb.njit(inline="always", **JIT)
def advance(I, F, j, o, now):
    """Move job ``j`` past operation ``o`` (test outcome, rework, scrap, end of routing)."""
    centres = tables.centres(I, F)
    job_types = tables.job_types(I, F)
    jobs = tables.jobs(I, F)
    ops = tables.ops(I, F)
    route = tables.route(I, F)
    jt = jobs.type[j]
    if jobs.rework[j] >= 0:  # a step of a rework routing: next step, or back to the test
        test_op = route.op[job_types.route_start[jt] + jobs.pos[j]]
        jobs.rework[j] += 1
        if jobs.rework[j] >= ops.rework_len[test_op]:
            jobs.rework[j] = -1
        locate(I, F, j)
        return
    if ops.test_stream[o] >= 0:
        w = ops.wc[o]
        centres.tests[w] += 1
        if not _test_passes(I, F, o, j):
            centres.fails[w] += 1
            log_row(I, F, now, L_TEST_FAIL, jt, j, w, -1)
            jobs.first_pass[j] = 0
            jobs.reworks[j] += 1
            if jobs.reworks[j] > ops.max_reworks[o] or ops.rework_len[o] == 0:
                jobs.pos[j] = SCRAPPED
            else:
                jobs.rework[j] = 0
                locate(I, F, j)
                if I[G_WARM] == 1:
                    job_types.reworks[jt] += 1
            return
    jobs.pos[j] += 1
    if jobs.pos[j] >= job_types.route_len[jt]:
        jobs.pos[j] = DONE
    else:
        locate(I, F, j)
