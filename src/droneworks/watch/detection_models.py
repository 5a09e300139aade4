"""Detection models of slant range and target signature (see :mod:`droneworks.watch.sensors`).

* :class:`RadarEquation` — SNR relative to a reference range, RCS and SNR; Swerling 1 Pd.
* :class:`RangeCurves` — a logistic Pd(R) per target class (RF, EO/IR, acoustic); an RF
  detector is blind to targets that emit no radio.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = [
    "RadarEquation",
    "RangeCurve",
    "RangeCurves",
    "Signature",
    "TargetClass",
    "TargetSignature",
]

FloatArray = npt.NDArray[np.float64]


class TargetClass(StrEnum):
    """What a range curve is given for: from the catalogue's drone kind."""

    MULTIROTOR = "multirotor"
    FIXED_WING = "fixed_wing"


class TargetSignature(Protocol):
    """What a sensor sees of a target (a wall :class:`~droneworks.watch.wall.Threat` is one)."""

    @property
    def rcs_dbsm(self) -> float: ...

    @property
    def target_class(self) -> TargetClass: ...

    @property
    def emits_rf(self) -> bool: ...


@dataclass(frozen=True)
class Signature:
    """A plain target signature (tests, ad-hoc queries)."""

    rcs_dbsm: float
    target_class: TargetClass = TargetClass.MULTIROTOR
    emits_rf: bool = True


@dataclass(frozen=True)
class RadarEquation:
    """Radar Pd: SNR from the radar equation relative to a reference, Swerling 1 Pd."""

    reference_range_m: float
    reference_rcs_dbsm: float
    reference_snr_db: float
    pfa: float

    def __post_init__(self) -> None:
        if self.reference_range_m <= 0:
            raise ValueError(f"reference_range_m must be positive, not {self.reference_range_m}")
        if not 0.0 < self.pfa < 1.0:
            raise ValueError(f"pfa must be in (0, 1), not {self.pfa}")

    def snr(self, range_m: FloatArray, rcs_dbsm: float) -> FloatArray:
        """Linear SNR at slant ``range_m`` for a target of ``rcs_dbsm``."""
        scale_db = self.reference_snr_db + rcs_dbsm - self.reference_rcs_dbsm
        ratio = self.reference_range_m / np.maximum(np.asarray(range_m, dtype=float), 1.0)
        result: FloatArray = 10.0 ** (scale_db / 10.0) * ratio**4
        return result

    def pd(self, range_m: FloatArray, target: TargetSignature) -> FloatArray:
        """Swerling 1 single-dwell Pd = Pfa^(1/(1+SNR))."""
        result: FloatArray = self.pfa ** (1.0 / (1.0 + self.snr(range_m, target.rcs_dbsm)))
        return result

    def range_for_pd(self, pd: float, target: TargetSignature) -> float:
        """Slant range at which Pd falls to ``pd`` (inverse of :meth:`pd`)."""
        if pd <= self.pfa:
            return math.inf
        snr_needed = math.log(self.pfa) / math.log(pd) - 1.0
        snr_ref = 10.0 ** ((self.reference_snr_db + target.rcs_dbsm - self.reference_rcs_dbsm) / 10)
        return float(self.reference_range_m * (snr_ref / snr_needed) ** 0.25)


@dataclass(frozen=True)
class RangeCurve:
    """Logistic Pd(R) = pd_close / (1 + exp((R − R½)/(w·R½)))."""

    range_half_m: float
    width_fraction: float = 0.15
    pd_close: float = 0.95

    def __post_init__(self) -> None:
        if self.range_half_m <= 0 or self.width_fraction <= 0:
            raise ValueError("range_half_m and width_fraction must be positive")
        if not 0.0 < self.pd_close <= 1.0:
            raise ValueError(f"pd_close must be in (0, 1], not {self.pd_close}")

    def pd(self, range_m: FloatArray) -> FloatArray:
        scaled = (np.asarray(range_m, dtype=float) - self.range_half_m) / (
            self.width_fraction * self.range_half_m
        )
        result: FloatArray = self.pd_close / (1.0 + np.exp(np.minimum(scaled, 700.0)))
        return result

    def range_for_pd(self, pd: float) -> float:
        if pd >= self.pd_close:
            return 0.0
        return self.range_half_m * (1.0 + self.width_fraction * math.log(self.pd_close / pd - 1))


@dataclass(frozen=True)
class RangeCurves:
    """One range curve per target class; optionally blind to targets that emit no RF."""

    curves: Mapping[TargetClass, RangeCurve]
    needs_rf_emission: bool = False

    def pd(self, range_m: FloatArray, target: TargetSignature) -> FloatArray:
        if self.needs_rf_emission and not target.emits_rf:
            return np.zeros(np.shape(range_m))
        return self.curve(target).pd(range_m)

    def curve(self, target: TargetSignature) -> RangeCurve:
        try:
            return self.curves[TargetClass(target.target_class)]
        except KeyError:
            raise ValueError(f"no range curve for target class {target.target_class}") from None

    def range_for_pd(self, pd: float, target: TargetSignature) -> float:
        if self.needs_rf_emission and not target.emits_rf:
            return 0.0
        return self.curve(target).range_for_pd(pd)
