"""Regenerate provinces.json and districts.tsv from the `vietnamadminunits` package (MIT).

    python corpora/knowledge/build_admin.py

The package ships the 63 provinces in force until mid-2025 (with Huế already a centrally-run
city, as it has been since 1 January 2025), their districts, the 34 units created by
Resolution 202/2025/QH15 and which old units each new one was formed from. Units that
predate the package's snapshot (Hà Tây, Thừa Thiên Huế) are added by hand below.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import vietnamadminunits

HERE = Path(__file__).resolve().parent
PKG = Path(vietnamadminunits.__file__).resolve().parent / "data"
MERGER_FROM = "2025-06-12"  # Resolution 202/2025/QH15 takes effect
MERGER_LAST_DAY = "2025-06-11"


def slug(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return "-".join("".join(c if c.isalnum() else " " for c in text).split())


def unit(full: str, short: str, code: str | None) -> dict:
    typ = "thành phố" if full.lower().startswith("thành phố") else "tỉnh"
    return {"id": "loc:" + slug(f"{typ} {short}"), "name": short, "full": f"{typ} {short}",
            "type": typ, "code": code, "valid_from": None, "valid_to": None,
            "successor": None, "formed_from": []}


def build() -> tuple[list[dict], list[list[str]]]:
    legacy = json.loads((PKG / "parser_legacy.json").read_text("utf-8"))
    new = json.loads((PKG / "parser_from_2025.json").read_text("utf-8"))["DICT_PROVINCE"]
    conv = json.loads((PKG / "converter_2025.json").read_text("utf-8"))["DICT_PROVINCE"]
    old = {k: unit(v["province"], v["provinceShort"], v["provinceCode"])
           for k, v in legacy["DICT_PROVINCE"].items()}
    out = list(old.values())
    for key, sources in conv.items():
        v = new[key]
        if sources == [key]:  # unchanged by the merger: the same unit carries on
            continue
        u = unit(v["province"], v["provinceShort"], v["provinceCode"])
        u["id"] += "-2025"
        u["valid_from"] = MERGER_FROM
        u["formed_from"] = [old[s]["id"] for s in sources]
        for s in sources:
            old[s]["valid_to"] = MERGER_LAST_DAY
            old[s]["successor"] = u["id"]
        out.append(u)
    hue = old["thanhphohue"]
    hue["valid_from"] = "2025-01-01"  # Resolution 1314/NQ-UBTVQH15
    out.append({"id": "loc:tinh-thua-thien-hue", "name": "Thừa Thiên Huế",
                "full": "tỉnh Thừa Thiên Huế", "type": "tỉnh", "code": "46", "valid_from": None,
                "valid_to": "2024-12-31", "successor": hue["id"], "formed_from": []})
    hanoi = old["thanhphohanoi"]
    out.append({"id": "loc:tinh-ha-tay", "name": "Hà Tây", "full": "tỉnh Hà Tây", "type": "tỉnh",
                "code": None, "valid_from": None, "valid_to": "2008-07-31",
                "successor": hanoi["id"], "formed_from": []})
    districts = []
    for pkey, ds in legacy["DICT_PROVINCE_DISTRICT"].items():
        for d in ds.values():
            typ, short = d["districtType"].lower(), d["districtShort"]
            if short.lower().startswith(typ + " "):  # numbered districts: "Quận 12" is "quận 12"
                short = short[len(typ) + 1:]
            full = typ + " " + short
            districts.append(["loc:" + slug(full + " " + old[pkey]["name"]), full,
                              short, typ, old[pkey]["id"],
                              d["districtCode"]])
    return out, districts


def main() -> None:
    provinces, districts = build()
    (HERE / "provinces.json").write_text(
        json.dumps(provinces, ensure_ascii=False, indent=1) + "\n", "utf-8")
    rows = ["id\tfull\tname\ttype\tprovince_id\tcode"] + ["\t".join(r) for r in districts]
    (HERE / "districts.tsv").write_text("\n".join(rows) + "\n", "utf-8")
    print(f"{len(provinces)} provinces, {len(districts)} districts")


if __name__ == "__main__":
    main()
