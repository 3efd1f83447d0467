"""Build `static/world.json`, the offline world map the web page draws (run by hand, not at run time).

    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz     # Natural Earth as TopoJSON (ISC licence)
    pip install pycountry                                        # ISO 3166 numeric -> alpha-3
    python -m accords.api.build_map package/countries-110m.json package/countries-50m.json

Shapes come from the 110m file; states too small to appear there (Bahrain, Singapore,
small islands) are taken from the 50m file. Every shape is projected
(equirectangular, Antarctica left out) onto a WIDTH x HEIGHT view box and written
as an SVG path; a state smaller than a few pixels also gets a `dot` so it can be
seen and clicked. Ids are ISO 3166-1 alpha-3, as in the gazetteer (Kosovo: XKX).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

WIDTH, HEIGHT = 1000.0, 470.0
NORTH, SOUTH = 84.0, -57.0  # Antarctica is left out
DOT_BELOW = 4.0  # a state whose box is smaller than this (pixels) gets a dot
BY_NAME = {"Kosovo": "XKX"}  # shapes without an ISO numeric code
OUT = Path(__file__).with_name("static") / "world.json"


def _alpha3(numeric: str | None, name: str) -> str | None:
    import pycountry

    if numeric is None:
        return BY_NAME.get(name)
    found = pycountry.countries.get(numeric=numeric.zfill(3))
    return found.alpha_3 if found else None


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Decode the delta-encoded, quantized arcs into longitude/latitude points."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(arc[1:] if pts else arc)
    return pts


def _project(lon: float, lat: float) -> tuple[float, float]:
    lat = max(SOUTH, min(NORTH, lat))
    return (lon + 180.0) / 360.0 * WIDTH, (NORTH - lat) / (NORTH - SOUTH) * HEIGHT


def _path(polygons: list[list[list[tuple[float, float]]]]) -> tuple[str, list[float]]:
    parts, xs, ys = [], [], []
    for polygon in polygons:
        for ring in polygon:
            pts = []
            for lon, lat in ring:
                x, y = _project(lon, lat)
                p = (round(x, 1), round(y, 1))
                if not pts or pts[-1] != p:
                    pts.append(p)
            if len(pts) < 3:
                continue
            xs += [p[0] for p in pts]
            ys += [p[1] for p in pts]
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in pts) + "Z")
    box = [min(xs), min(ys), max(xs), max(ys)] if xs else []
    return "".join(parts), box


def _shapes(path: Path) -> dict[str, dict]:
    topo = json.loads(path.read_text(encoding="utf-8"))
    arcs = _arcs(topo)
    out = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom.get("properties", {}).get("name", "")
        code = _alpha3(geom.get("id"), name)
        if not code or geom.get("type") not in ("Polygon", "MultiPolygon") or code == "ATA":
            continue
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        rings = [[_ring(arcs, ring) for ring in poly] for poly in polys]
        d, box = _path(rings)
        if d:
            out[code] = {"id": code, "name": name, "d": d, "box": box}
    return out


def build(small: Path, detailed: Path) -> dict:
    shapes = _shapes(small)
    for code, shape in _shapes(detailed).items():
        shapes.setdefault(code, shape)
    countries = []
    for code in sorted(shapes):
        s = shapes[code]
        x0, y0, x1, y1 = s.pop("box")
        if x1 - x0 < DOT_BELOW and y1 - y0 < DOT_BELOW:
            s["dot"] = [round((x0 + x1) / 2, 1), round((y0 + y1) / 2, 1)]
        countries.append(s)
    return {"width": WIDTH, "height": HEIGHT, "source": "Natural Earth via world-atlas 2.0.2",
            "countries": countries}


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        sys.exit("usage: python -m accords.api.build_map countries-110m.json countries-50m.json")
    data = build(Path(argv[0]), Path(argv[1]))
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {len(data['countries'])} shapes to {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main(sys.argv[1:])
