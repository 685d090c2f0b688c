#!/usr/bin/env python3
# Copied verbatim from the evaluation kit's score.py (../shared/eval/score.py beside the
# repository), which CI and users cannot reach. Keep this file IDENTICAL to that scorer apart
# from this comment: tests/test_extraction_quality.py reports the same figures as the official
# evaluation only while the two match. Update it by copying, never by editing here.
"""Score a published release against gold annotations.

Usage:
    python score.py --release DIR --gold DIR [--json] [--details]

Reads the Parquet files listed in README.md beside this file; needs pyarrow.
The last line printed is the summary: macro F1 over the five record types,
attribute accuracy and the share of valid evidence.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

TYPES = ["programmes", "objectives", "territories", "projects", "organisations"]


def norm(text) -> str:
    if text is None:
        return ""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w]+", " ", text).strip()
    text = re.sub(r"\s+", " ", text)
    if text.startswith("the "):
        text = text[4:]
    return text


def norm_code(code) -> str:
    if code is None:
        return ""
    return re.sub(r"\s+", "", str(code)).upper().rstrip(".")


def words(text) -> set[str]:
    return set(norm(text).split())


def read_table(release: Path, name: str) -> list[dict]:
    import pyarrow.parquet as pq

    path = release / f"{name}.parquet"
    if not path.exists():
        return []
    return pq.read_table(path).to_pylist()


# ---------------------------------------------------------------- gold


def load_gold(gold_dir: Path) -> dict[str, list[dict]]:
    """Merge the per-document gold files into one list per record type."""
    merged: dict[str, dict] = {t: {} for t in TYPES}
    for path in sorted(gold_dir.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for rtype in TYPES:
            for item in doc.get(rtype, []):
                item = dict(item)
                item.setdefault("aliases", [])
                item["optional"] = bool(item.get("optional", False))
                key = gold_key(rtype, item)
                if key in merged[rtype]:
                    merge_item(merged[rtype][key], item)
                else:
                    merged[rtype][key] = item
    return {t: list(v.values()) for t, v in merged.items()}


def gold_key(rtype: str, item: dict) -> tuple:
    if rtype == "objectives":
        if item.get("code"):
            return (norm(item.get("programme")), norm_code(item["code"]))
        return (norm(item.get("programme")), norm(item.get("title")))
    if rtype == "territories":
        return (norm(item["name"]), item.get("type"))
    return (norm(item["name"]),)


def merge_item(into: dict, item: dict) -> None:
    into["aliases"] = sorted(set(into["aliases"]) | set(item["aliases"]))
    into["optional"] = into["optional"] and item["optional"]
    for field, value in item.items():
        if into.get(field) is None and value is not None:
            into[field] = value


def gold_names(item: dict) -> set[str]:
    return {norm(n) for n in [item.get("name"), *item.get("aliases", [])] if n}


# ---------------------------------------------------------------- matching


class TypeScore:
    def __init__(self, rtype: str):
        self.rtype = rtype
        self.matched: dict[int, int] = {}  # gold index -> first record index
        self.extras: list[dict] = []  # records matching nothing, or a duplicate
        self.ignored = 0  # records matching an optional gold item
        self.attr_ok: dict[str, int] = {}
        self.attr_n: dict[str, int] = {}

    def attr(self, name: str, ok: bool) -> None:
        self.attr_n[name] = self.attr_n.get(name, 0) + 1
        self.attr_ok[name] = self.attr_ok.get(name, 0) + int(ok)


def match_by_name(rtype, gold, records, name_fields, record_key):
    """Greedy one-to-one matching on normalised names.

    Returns (score, mapping record_key -> gold index)."""
    score = TypeScore(rtype)
    index: dict[str, list[int]] = {}
    for gi, item in enumerate(gold):
        for n in gold_names(item):
            index.setdefault(n, []).append(gi)
    mapping = {}
    for rec in records:
        names = {norm(rec.get(f)) for f in name_fields if rec.get(f)}
        cands = sorted({gi for n in names for gi in index.get(n, [])})
        if rtype == "territories" and len(cands) > 1:
            same_type = [gi for gi in cands if gold[gi].get("type") == rec.get("type")]
            cands = same_type + [gi for gi in cands if gi not in same_type]
        take = next((gi for gi in cands if gi not in score.matched), None)
        if take is None:
            if cands and all(gold[gi]["optional"] for gi in cands):
                score.ignored += 1
            else:
                score.extras.append(rec)
            continue
        mapping[rec[record_key]] = take
        if gold[take]["optional"]:
            score.ignored += 1
        score.matched[take] = len(mapping) - 1
    return score, mapping


def match_objectives(gold, records, prog_map, gold_programmes):
    score = TypeScore("objectives")
    mapping = {}
    prog_name = {gi: norm(p["name"]) for gi, p in enumerate(gold_programmes)}
    for rec in records:
        rec_prog = prog_name.get(prog_map.get(rec.get("programme_id")), None)
        code = norm_code(rec.get("code"))
        cands = []
        for gi, item in enumerate(gold):
            if item.get("code"):
                if code and code == norm_code(item["code"]):
                    cands.append(gi)
            else:
                g, e = words(item.get("title")), words(rec.get("title"))
                if g and e and len(g & e) / len(g) >= 0.8 and len(g & e) / len(e) >= 0.5:
                    cands.append(gi)
        if len(cands) > 1 and rec_prog:
            same = [gi for gi in cands if norm(gold[gi].get("programme")) == rec_prog]
            cands = same + [gi for gi in cands if gi not in same]
        take = next((gi for gi in cands if gi not in score.matched), None)
        if take is None:
            if cands and all(gold[gi]["optional"] for gi in cands):
                score.ignored += 1
            else:
                score.extras.append(rec)
            continue
        mapping[rec["objective_id"]] = take
        if gold[take]["optional"]:
            score.ignored += 1
        score.matched[take] = len(mapping) - 1
    return score, mapping


def prf(score: TypeScore, gold: list[dict], n_records: int) -> dict:
    required = [gi for gi, g in enumerate(gold) if not g["optional"]]
    tp = sum(1 for gi in required if gi in score.matched)
    counted = n_records - score.ignored
    p = (counted - len(score.extras)) / counted if counted else (1.0 if not required else 0.0)
    r = tp / len(required) if required else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "gold": len(required),
        "records": n_records,
        "found": tp,
        "extras": len(score.extras),
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f, 3),
    }


# ---------------------------------------------------------------- main


def score_release(release: Path, gold_dir: Path) -> dict:
    gold = load_gold(gold_dir)
    t = {name: read_table(release, name) for name in [
        "documents", "programmes", "objectives", "objective_actions", "territories",
        "programme_territories", "projects", "organisations", "evidence"]}

    results, scores, maps = {}, {}, {}
    scores["programmes"], maps["programmes"] = match_by_name(
        "programmes", gold["programmes"], t["programmes"], ["name", "short_name"], "programme_id")
    scores["territories"], maps["territories"] = match_by_name(
        "territories", gold["territories"], t["territories"], ["name"], "territory_id")
    scores["projects"], maps["projects"] = match_by_name(
        "projects", gold["projects"], t["projects"], ["name"], "project_id")
    scores["organisations"], maps["organisations"] = match_by_name(
        "organisations", gold["organisations"], t["organisations"], ["name", "acronym"],
        "organisation_id")
    scores["objectives"], maps["objectives"] = match_objectives(
        gold["objectives"], t["objectives"], maps["programmes"], gold["programmes"])

    gp = gold["programmes"]
    prog_of = {pid: norm(gp[gi]["name"]) for pid, gi in maps["programmes"].items()}

    # attributes of matched records
    for rec in t["programmes"]:
        gi = maps["programmes"].get(rec["programme_id"])
        if gi is None:
            continue
        g, s = gp[gi], scores["programmes"]
        for f in ("period_start", "period_end"):
            if g.get(f) is not None:
                s.attr(f, rec.get(f) is not None and int(rec[f]) == int(g[f]))
        if g.get("budget_eur") is not None:
            b = rec.get("budget_eur")
            s.attr("budget_eur", b is not None and abs(float(b) - g["budget_eur"]) <= 0.01 * g["budget_eur"])
        if g.get("fund"):
            s.attr("fund", norm(rec.get("fund")) == norm(g["fund"]))

    links: dict[str, set[str]] = {}
    for row in t["programme_territories"]:
        if row.get("programme_id") in prog_of:
            links.setdefault(row["territory_id"], set()).add(prog_of[row["programme_id"]])
    for rec in t["territories"]:
        gi = maps["territories"].get(rec["territory_id"])
        if gi is None:
            continue
        g, s = gold["territories"][gi], scores["territories"]
        if g.get("type"):
            s.attr("type", rec.get("type") == g["type"])
        if g.get("country"):
            s.attr("country_code", rec.get("country_code") == g["country"])
        if g.get("nuts"):
            s.attr("nuts_code", norm_code(rec.get("nuts_code")) == norm_code(g["nuts"]))
        if g.get("programme"):
            s.attr("programme_link", norm(g["programme"]) in links.get(rec["territory_id"], set()))

    for rec in t["projects"]:
        gi = maps["projects"].get(rec["project_id"])
        if gi is None:
            continue
        g = gold["projects"][gi]
        if g.get("programme"):
            scores["projects"].attr("programme_link", prog_of.get(rec.get("programme_id")) == norm(g["programme"]))

    for rec in t["organisations"]:
        gi = maps["organisations"].get(rec["organisation_id"])
        if gi is None:
            continue
        g = gold["organisations"][gi]
        if g.get("country"):
            scores["organisations"].attr("country_code", rec.get("country_code") == g["country"])

    n_actions: dict[str, int] = {}
    for row in t["objective_actions"]:
        n_actions[row["objective_id"]] = n_actions.get(row["objective_id"], 0) + 1
    for rec in t["objectives"]:
        gi = maps["objectives"].get(rec["objective_id"])
        if gi is None:
            continue
        g, s = gold["objectives"][gi], scores["objectives"]
        if g.get("programme"):
            s.attr("programme_link", prog_of.get(rec.get("programme_id")) == norm(g["programme"]))
        if g.get("n_actions") is not None:
            s.attr("n_actions", n_actions.get(rec["objective_id"], 0) == g["n_actions"])
        if g.get("code") and g.get("title"):
            gw, ew = words(g["title"]), words(rec.get("title"))
            s.attr("title", bool(gw) and len(gw & ew) / len(gw) >= 0.8)

    for rtype in TYPES:
        results[rtype] = prf(scores[rtype], gold[rtype], len(t[rtype]))
        results[rtype]["attributes"] = {
            k: f"{scores[rtype].attr_ok[k]}/{n}" for k, n in scores[rtype].attr_n.items()}

    # evidence: every record has some, and every quote is the text at its offsets
    texts = {d["doc_id"]: d.get("text") or "" for d in t["documents"]}
    ids = {
        "programme": {r["programme_id"] for r in t["programmes"]},
        "objective": {r["objective_id"] for r in t["objectives"]},
        "territory": {r["territory_id"] for r in t["territories"]},
        "project": {r["project_id"] for r in t["projects"]},
        "organisation": {r["organisation_id"] for r in t["organisations"]},
    }
    covered = {k: set() for k in ids}
    valid = 0
    for ev in t["evidence"]:
        text = texts.get(ev.get("doc_id"))
        s, e = ev.get("char_start"), ev.get("char_end")
        ok = text is not None and s is not None and e is not None and text[int(s):int(e)] == ev.get("quote")
        valid += ok
        if ok and ev.get("record_type") in covered:
            covered[ev["record_type"]].add(ev.get("record_id"))
    n_records = sum(len(v) for v in ids.values())
    n_covered = sum(len(covered[k] & ids[k]) for k in ids)
    results["evidence"] = {
        "rows": len(t["evidence"]),
        "valid_rows": valid,
        "records_with_evidence": f"{n_covered}/{n_records}",
    }

    f1s = [results[r]["f1"] for r in TYPES]
    attr_ok = sum(sum(scores[r].attr_ok.values()) for r in TYPES)
    attr_n = sum(sum(scores[r].attr_n.values()) for r in TYPES)
    results["summary"] = {
        "macro_f1": round(sum(f1s) / len(f1s), 3),
        "attribute_accuracy": round(attr_ok / attr_n, 3) if attr_n else 0.0,
        "evidence_coverage": round(n_covered / n_records, 3) if n_records else 0.0,
        "evidence_valid": round(valid / len(t["evidence"]), 3) if t["evidence"] else 0.0,
    }
    results["_details"] = {
        r: {
            "missed": [gold[r][gi].get("name") or gold[r][gi].get("code") or gold[r][gi].get("title")
                       for gi in range(len(gold[r]))
                       if gi not in scores[r].matched and not gold[r][gi]["optional"]],
            "extras": [x.get("name") or x.get("code") or x.get("title") for x in scores[r].extras],
        }
        for r in TYPES
    }
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--release", required=True, type=Path)
    ap.add_argument("--gold", required=True, type=Path)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--details", action="store_true")
    args = ap.parse_args(argv)
    if not args.release.is_dir():
        print(f"no release folder at {args.release}", file=sys.stderr)
        return 2
    res = score_release(args.release, args.gold)
    details = res.pop("_details")
    if args.json:
        if args.details:
            res["details"] = details
        print(json.dumps(res, indent=2, ensure_ascii=False))
        return 0
    print(f"{'type':<14}{'gold':>5}{'recs':>6}{'found':>6}{'extra':>6}{'P':>7}{'R':>7}{'F1':>7}  attributes")
    for r in TYPES:
        x = res[r]
        attrs = " ".join(f"{k}={v}" for k, v in x["attributes"].items())
        print(f"{r:<14}{x['gold']:>5}{x['records']:>6}{x['found']:>6}{x['extras']:>6}"
              f"{x['precision']:>7.2f}{x['recall']:>7.2f}{x['f1']:>7.2f}  {attrs}")
        if args.details:
            for name in details[r]["missed"]:
                print(f"    missed: {name}")
            for name in details[r]["extras"]:
                print(f"    extra:  {name}")
    ev = res["evidence"]
    print(f"evidence: {ev['valid_rows']}/{ev['rows']} rows valid, records with evidence {ev['records_with_evidence']}")
    s = res["summary"]
    print(f"macro_f1={s['macro_f1']} attribute_accuracy={s['attribute_accuracy']} "
          f"evidence_coverage={s['evidence_coverage']} evidence_valid={s['evidence_valid']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
