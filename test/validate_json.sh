#!/bin/sh
# SPDX-License-Identifier: MIT
# Validates JSON reports against docs/report.schema.json with Debian's
# python3-jsonschema, and checks that every site id the report uses is listed.
# usage: validate_json.sh <schema> <report.json>...   (exit 77: jsonschema missing)
set -eu
schema=$1; shift
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || { echo "skipped: apt-get install python3-jsonschema"; exit 77; }
exec /usr/bin/python3 - "$schema" "$@" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
for path in sys.argv[2:]:
    report = json.load(open(path))
    jsonschema.validate(report, schema)
    used = set()
    for g in report["groups"]:
        used.add(g["birth"])
        used.update(s["site"] for s in g["suspects"])
        for o in g["leaked"]:
            used.update(e["site"] for e in o["history"])
    missing = used - {int(k) for k in report["sites"]}
    assert not missing, f"{path}: site ids used but not listed: {sorted(missing)}"
    print(f"{path}: valid, {len(report['groups'])} group(s), {len(report['sites'])} site(s)")
PY
