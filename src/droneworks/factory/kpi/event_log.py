"""The full event log, streamed to Parquet in row groups (only when asked for).

The file is written under a temporary name and renamed when complete
(:func:`droneworks.core.outputs.atomic_target`): a run that fails or is killed leaves no
Parquet file without its footer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from droneworks.core.extras import require
from droneworks.core.outputs import atomic_target
from droneworks.factory.engine.spec import LOG_CODES
from droneworks.factory.problem import Problem

__all__ = ["EventLogWriter"]


class EventLogWriter:
    """Appends kernel log rows to one Parquet file; call :meth:`close` at the end.

    Columns: ``time_min``, ``event`` (release, start, end, complete, scrap, down, up,
    delivery, test_fail), ``job_type``, ``job`` (a job slot, reused after the job leaves;
    for deliveries: the quantity delivered), ``work_centre``, ``station`` (for deliveries:
    the part index).
    """

    def __init__(self, path: str | Path, problem: Problem) -> None:
        pa = require("pyarrow", "eventlog", "--event-log (a Parquet file)")
        pq = require("pyarrow.parquet", "eventlog", "--event-log (a Parquet file)")

        self.path = Path(path)
        self._target = atomic_target(self.path)
        temporary = self._target.__enter__()
        self._pa = pa
        self._job_types = np.array(("", *problem.job_types), dtype=object)
        self._work_centres = np.array(("", *problem.work_centres), dtype=object)
        self._codes = np.array(LOG_CODES, dtype=object)
        self._schema = pa.schema(
            [
                ("time_min", pa.float64()),
                ("event", pa.string()),
                ("job_type", pa.string()),
                ("job", pa.int64()),
                ("work_centre", pa.string()),
                ("station", pa.int64()),
            ]
        )
        self._writer = pq.ParquetWriter(str(temporary), self._schema, compression="zstd")
        self.rows = 0

    def write(self, times: np.ndarray, rows: np.ndarray) -> None:
        """Append ``len(times)`` rows (kernel columns: code, job type, job, wc, station)."""
        if len(times) == 0:
            return
        pa = self._pa
        table = pa.table(
            {
                "time_min": times,
                "event": self._codes[rows[:, 0]],
                "job_type": self._job_types[rows[:, 1] + 1],
                "job": rows[:, 2],
                "work_centre": self._work_centres[rows[:, 3] + 1],
                "station": rows[:, 4],
            },
            schema=self._schema,
        )
        self._writer.write_table(table)
        self.rows += len(times)

    def close(self) -> None:
        """Finish the file; called from a ``finally`` while an error propagates, discard it."""
        self._writer.close()
        self._target.__exit__(*sys.exc_info())
