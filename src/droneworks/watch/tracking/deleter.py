"""Track deletion after a number of consecutive missed scans."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from droneworks.watch.tracking.tracks import TrackArrays

__all__ = ["UpdateTimeStepsDeleter"]


@dataclass(frozen=True)
class UpdateTimeStepsDeleter:
    """Deletes a track once its last ``time_steps_since_update`` scans were all misses.

    Same rule as Stone Soup's ``UpdateTimeStepsDeleter(time_steps_since_update=k)``: a track
    whose last ``k`` states are predictions is deleted.
    """

    time_steps_since_update: int

    def __post_init__(self) -> None:
        if self.time_steps_since_update < 1:
            raise ValueError(
                f"time_steps_since_update must be >= 1, not {self.time_steps_since_update!r}"
            )

    def deletion_mask(self, tracks: TrackArrays) -> NDArray[np.bool_]:
        """True for each track to delete."""
        return np.asarray(tracks.misses >= self.time_steps_since_update)
