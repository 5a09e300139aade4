"""Payload-dependent power, endurance and range of a drone type.

Multirotors (momentum theory)
    Hover power grows with the total mass as ``P_hover = k · m^1.5`` (ideal induced power
    ``T^1.5 / sqrt(2 ρ A)`` with thrust ``T = m g``). ``k`` is calibrated so that the usable
    battery energy lasts exactly the catalogue's ``endurance_loaded`` at max take-off mass.
    This reproduces the vendor figures of REFERENCE.md §4: the T50's 7.5 min at 92 kg
    predicts 17.6 min empty (spec: 18 min).

    Forward flight at airspeed ``v`` (a simple documented model, all parameters estimates):

    ``P(v) = P_hover · (f_profile + (1 − f_profile) · x(v)) + ½ ρ C_dA v³``

    * ``x(v) = v_i / v_h`` is the induced-velocity ratio of momentum theory in level flight,
      the root of ``x⁴ + (v / v_h)² x² = 1`` (Glauert's high-speed approximation without
      the tilt correction), with ``v_h = sqrt(m g / (2 ρ A))`` and the disc area ``A`` taken
      from a disc loading of :attr:`EnergyParams.disc_loading_npm2` at max take-off mass;
    * ``f_profile`` is the share of hover power that does not fall with speed (blade profile
      drag, motor and ESC losses, avionics; a figure of merit ≈ 0.7 gives ≈ 0.3);
    * ``C_dA`` (drag area) scales as ``mass^(2/3)`` (frontal area of similar shapes).

    At the T40's 7 m/s work speed this gives ≈ 80 % of hover power, in line with published
    multirotor measurements that show a shallow bucket, not a large forward-flight saving.

    Vertical climb at ``v_c`` (:meth:`EnergyModel.climb_power_w`): the induced part grows by
    ``λ + sqrt(λ² + 1)`` with ``λ = v_c / (2 v_h)`` (momentum theory in axial climb); a
    descent costs hover power (nothing is recovered; conservative).

Fixed wings
    A fixed wing flies at its cruise speed whatever is asked; its power is taken as constant
    in speed and scaled with mass as ``m^α``, ``α`` fitted to the catalogue's loaded and
    empty endurance (``α = ln(E_empty / E_loaded) / ln(MTOW / m_empty)``). A VTOL fixed wing
    hovers (speed 0) at :attr:`EnergyParams.vtol_hover_factor` × cruise power (estimate).

Energy budget
    ``usable_wh`` = battery energy × usable fraction (packs are not run flat); planning keeps
    a reserve fraction of it for landing and contingencies: ``budget_wh``. Endurance figures
    (:meth:`EnergyModel.endurance_min`) use the whole usable energy, like vendor hover
    times; ranges (:meth:`EnergyModel.range_m`) use the budget after the reserve.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from droneworks.catalogue import DroneKind, DroneType

__all__ = ["AIR_DENSITY_KGPM3", "GRAVITY_MPS2", "EnergyModel", "EnergyParams"]

GRAVITY_MPS2 = 9.80665
AIR_DENSITY_KGPM3 = 1.225  # ISA sea level


@dataclass(frozen=True)
class EnergyParams:
    """Tunables of the energy model; every default is an estimate (no public source)."""

    usable_fraction: float = 0.9
    reserve_fraction: float = 0.2
    disc_loading_npm2: float = 70.0
    profile_fraction: float = 0.3
    drag_area_m2_per_kg23: float = 0.05
    vtol_hover_factor: float = 3.0

    def __post_init__(self) -> None:
        for name in ("disc_loading_npm2", "vtol_hover_factor"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, not {getattr(self, name)}")
        if not 0 < self.usable_fraction <= 1:
            raise ValueError(f"usable_fraction must be in (0, 1], not {self.usable_fraction}")
        for name in ("reserve_fraction", "profile_fraction"):
            if not 0 <= getattr(self, name) < 1:
                raise ValueError(f"{name} must be in [0, 1), not {getattr(self, name)}")
        if self.drag_area_m2_per_kg23 < 0:
            raise ValueError("drag_area_m2_per_kg23 must not be negative")


def induced_ratio(speed_ratio: float) -> float:
    """``v_i / v_h`` in level flight at ``speed_ratio = v / v_h`` (momentum theory)."""
    s2 = speed_ratio * speed_ratio
    return math.sqrt((-s2 + math.sqrt(s2 * s2 + 4.0)) / 2.0)


@dataclass(frozen=True)
class EnergyModel:
    """Power and endurance of one drone type as functions of payload and airspeed.

    Build it with :meth:`from_drone`. Masses kg, speeds m/s, power W, energy Wh, times min.
    """

    drone_id: str
    kind: DroneKind
    empty_mass_kg: float
    max_takeoff_mass_kg: float
    battery_wh: float
    cruise_speed_mps: float
    power_coefficient: float  # W / kg^exponent
    mass_exponent: float
    disc_area_m2: float
    params: EnergyParams

    @classmethod
    def from_drone(cls, drone: DroneType, params: EnergyParams | None = None) -> EnergyModel:
        """Calibrate on the catalogue's ``endurance_loaded`` at max take-off mass."""
        params = params or EnergyParams()
        usable_wh = drone.battery_energy * params.usable_fraction
        loaded_power_w = usable_wh / (drone.endurance_loaded / 60.0)
        if drone.kind is DroneKind.MULTIROTOR:
            exponent = 1.5
        else:
            exponent = math.log(drone.endurance_empty / drone.endurance_loaded) / math.log(
                drone.max_takeoff_mass / drone.empty_mass
            )
        coefficient = loaded_power_w / float(drone.max_takeoff_mass**exponent)
        disc_area_m2 = drone.max_takeoff_mass * GRAVITY_MPS2 / params.disc_loading_npm2
        return cls(
            drone_id=drone.id,
            kind=drone.kind,
            empty_mass_kg=drone.empty_mass,
            max_takeoff_mass_kg=drone.max_takeoff_mass,
            battery_wh=drone.battery_energy,
            cruise_speed_mps=drone.cruise_speed,
            power_coefficient=coefficient,
            mass_exponent=exponent,
            disc_area_m2=disc_area_m2,
            params=params,
        )

    @property
    def usable_wh(self) -> float:
        """Battery energy the pack delivers before the autopilot must land."""
        return self.battery_wh * self.params.usable_fraction

    @property
    def reserve_wh(self) -> float:
        return self.usable_wh * self.params.reserve_fraction

    @property
    def budget_wh(self) -> float:
        """Usable energy minus the reserve: what a plan may spend."""
        return self.usable_wh - self.reserve_wh

    def mass_kg(self, payload_kg: float) -> float:
        """Total mass with ``payload_kg`` aboard (checked against max take-off mass)."""
        if payload_kg < 0:
            raise ValueError(f"payload_kg must not be negative, not {payload_kg}")
        mass = self.empty_mass_kg + payload_kg
        if mass > self.max_takeoff_mass_kg * (1 + 1e-9):
            raise ValueError(
                f"payload {payload_kg:g} kg exceeds {self.drone_id}'s useful load "
                f"({self.max_takeoff_mass_kg - self.empty_mass_kg:g} kg)"
            )
        return mass

    def hover_power_w(self, mass_kg: float) -> float:
        """Power at zero airspeed (multirotor hover; VTOL hover; fixed-wing loiter)."""
        base = self.power_coefficient * float(mass_kg**self.mass_exponent)
        if self.kind is DroneKind.FIXED_WING_VTOL:
            return base * self.params.vtol_hover_factor
        return base

    def power_w(self, mass_kg: float, speed_mps: float = 0.0) -> float:
        """Electrical power at total mass ``mass_kg`` and airspeed ``speed_mps``."""
        if mass_kg <= 0:
            raise ValueError(f"mass_kg must be positive, not {mass_kg}")
        if speed_mps < 0:
            raise ValueError(f"speed_mps must not be negative, not {speed_mps}")
        if self.kind is not DroneKind.MULTIROTOR:
            if speed_mps == 0.0:
                return self.hover_power_w(mass_kg)
            return self.power_coefficient * float(mass_kg**self.mass_exponent)
        hover_w = self.hover_power_w(mass_kg)
        if speed_mps == 0.0:
            return hover_w
        v_h = math.sqrt(mass_kg * GRAVITY_MPS2 / (2 * AIR_DENSITY_KGPM3 * self.disc_area_m2))
        profile = self.params.profile_fraction
        rotor_w = hover_w * (profile + (1 - profile) * induced_ratio(speed_mps / v_h))
        drag_area_m2 = self.params.drag_area_m2_per_kg23 * float(mass_kg ** (2 / 3))
        return rotor_w + 0.5 * AIR_DENSITY_KGPM3 * drag_area_m2 * speed_mps * speed_mps * speed_mps

    def climb_power_w(self, mass_kg: float, climb_mps: float) -> float:
        """Power in a vertical climb at ``climb_mps`` (momentum theory: the induced part of
        hover power grows by ``λ + sqrt(λ² + 1)``, ``λ = v_c / (2 v_h)``); a descent is
        taken at hover power (no energy is recovered; conservative)."""
        hover_w = self.hover_power_w(mass_kg)
        if climb_mps <= 0.0:
            return hover_w
        v_h = math.sqrt(mass_kg * GRAVITY_MPS2 / (2 * AIR_DENSITY_KGPM3 * self.disc_area_m2))
        ratio = climb_mps / (2 * v_h)
        induced = ratio + math.sqrt(ratio * ratio + 1.0)
        profile = self.params.profile_fraction
        return hover_w * (profile + (1 - profile) * induced)

    def payload_power_w(self, payload_kg: float, speed_mps: float = 0.0) -> float:
        """:meth:`power_w` with the mass given as payload above empty mass."""
        return self.power_w(self.mass_kg(payload_kg), speed_mps)

    def endurance_min(self, payload_kg: float, speed_mps: float = 0.0) -> float:
        """Minutes the usable energy lasts (no reserve, like vendor hover times)."""
        return self.usable_wh / self.payload_power_w(payload_kg, speed_mps) * 60.0

    def range_m(self, payload_kg: float, speed_mps: float | None = None) -> float:
        """Still-air distance on the budget after the reserve, at ``speed_mps`` (default:
        cruise speed; a fixed wing always flies at cruise speed)."""
        speed = self.cruise_speed_mps if speed_mps is None else speed_mps
        if self.kind is not DroneKind.MULTIROTOR:
            speed = self.cruise_speed_mps
        if speed <= 0:
            raise ValueError(f"speed_mps must be positive for a range, not {speed}")
        hours = self.budget_wh / self.payload_power_w(payload_kg, speed)
        return hours * 3600.0 * speed

    def energy_wh(
        self,
        distance_m: float,
        duration_min: float,
        payload_kg: float,
        airspeed_mps: float | None = None,
    ) -> float:
        """Energy of a leg of ``distance_m`` flown in ``duration_min`` with ``payload_kg``.

        The airspeed is ``distance / duration`` (still air) unless given (with wind the
        airspeed differs from the ground speed that sets the duration). ``distance_m = 0``
        is a hover of ``duration_min``.
        """
        if distance_m < 0 or duration_min < 0:
            raise ValueError("distance_m and duration_min must not be negative")
        if duration_min == 0:
            if distance_m > 0:
                raise ValueError("a leg of positive length needs a positive duration")
            return 0.0
        speed = distance_m / (duration_min * 60.0) if airspeed_mps is None else airspeed_mps
        return self.payload_power_w(payload_kg, speed) * duration_min / 60.0
