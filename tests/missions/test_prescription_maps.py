"""The prescription as operators use it: a zone table that adds up, GeoJSON and GeoTIFF maps."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import rasterio
import shapely
from shapely.geometry import shape

from droneworks.catalogue import default_catalogue
from droneworks.core.errors import OutputError
from droneworks.core.outputs import output_session
from droneworks.missions.field import Field
from droneworks.missions.prescription import Prescription, read_ndvi_geotiff
from droneworks.missions.prescription_maps import write_prescription_maps, zone_table
from droneworks.missions.spray import SprayParams, SprayPlan, plan_spray
from tests.cli.conftest import Run

FIELDS = Path(__file__).resolve().parents[2] / "examples" / "fields"
TIF = FIELDS / "field_20ha_multispectral.tif"


@pytest.fixture(scope="module")
def vrt_plan(field_20ha: Field) -> SprayPlan:
    prescription = Prescription.from_ndvi(read_ndvi_geotiff(TIF), 15.0, 3, (20.0, 14.0, 9.0))
    params = SprayParams(15.0, prescription=prescription)
    return plan_spray(field_20ha, default_catalogue()["agras-t40-class"], params)


def test_zone_table_adds_up_to_the_plan(vrt_plan: SprayPlan) -> None:
    rows = zone_table(vrt_plan)
    assert [row.rate_lpha for row in rows if row.zone > 0] == [20.0, 14.0, 9.0]
    assert math.isclose(
        sum(r.planned_l for r in rows), vrt_plan.summary()["volume_l"], rel_tol=1e-9
    )
    assert math.isclose(sum(r.area_ha for r in rows) * 1e4, vrt_plan.sprayable_m2, rel_tol=5e-3)
    for row in rows:
        assert math.isclose(row.nominal_l, row.area_ha * row.rate_lpha)
        assert row.planned_l == pytest.approx(row.nominal_l, rel=0.1)  # strips overlap a little


def test_prescription_maps_match_the_zones(vrt_plan: SprayPlan, tmp_path: Path) -> None:
    geojson, tif = write_prescription_maps(vrt_plan, tmp_path, "spray")
    features = json.loads(geojson.read_text())["features"]
    rates = vrt_plan.params.prescription.rates_lpha  # type: ignore[union-attr]
    assert {f["properties"]["zone"] for f in features} == {1, 2, 3}
    for feature in features:
        assert feature["properties"]["rate_lpha"] == rates[feature["properties"]["zone"] - 1]
    field_wgs = vrt_plan.field.to_wgs84(shapely.Polygon(vrt_plan.field.boundary.exterior))
    union = shapely.union_all([shape(f["geometry"]) for f in features])
    assert union.area == pytest.approx(field_wgs.area, rel=0.01)
    with rasterio.open(tif) as source, rasterio.open(TIF) as ndvi:
        values = source.read(1)
        assert source.crs == ndvi.crs and source.transform == ndvi.transform
        assert source.nodata == -1.0
        assert set(np.unique(values)) <= {-1.0, *rates}
        zones = vrt_plan.params.prescription.zone_of_pixel  # type: ignore[union-attr]
        assert np.all(values[zones == 0] == rates[0]) and np.all(values[zones < 0] == -1.0)


def test_spray_cli_prints_zones_and_writes_the_maps(run: Run, tmp_path: Path) -> None:
    args = ("mission", "spray", str(FIELDS / "field_20ha.geojson"), "--ndvi", str(TIF))
    outcome = run(*args, "--out", str(tmp_path), "--json")
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert math.isclose(sum(z["planned_l"] for z in data["zones"]), data["volume_l"], rel_tol=1e-9)
    assert {Path(f).name for f in data["files"]} >= {
        "spray-prescription.geojson",
        "spray-prescription.tif",
    }
    table = run(*args)
    words = table.out.split()  # titles and labels wrap at 80 columns
    assert {"Prescription", "zones", "planned", "nominal"} <= set(words)
    plain = json.loads(run("mission", "spray", str(FIELDS / "convex.geojson"), "--json").out)
    assert plain["zones"] == []


def test_the_geotiff_is_written_with_the_other_files_or_not_at_all(
    vrt_plan: SprayPlan, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    tif = out / "spray-prescription.tif"
    with pytest.raises(RuntimeError), output_session():
        write_prescription_maps(vrt_plan, out, "spray")
        assert not tif.exists()  # staged under a temporary name until the command succeeds
        raise RuntimeError("a later file of the same command fails")
    assert not out.exists() or list(out.iterdir()) == []  # no map, no temporary file
    with output_session():
        written = write_prescription_maps(vrt_plan, out, "spray")
    assert tif in written and sorted(out.iterdir()) == sorted(written)
    with rasterio.open(tif) as source:
        assert source.tags(1)["unit"] == "L/ha"
    with pytest.raises(OutputError, match="spray-prescription"), output_session():
        write_prescription_maps(vrt_plan, out, "spray")  # never replaced without --force
