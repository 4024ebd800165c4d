"""Run the DfE's SSDA903 validator (csc-validator-be-903) on a directory of 903 CSVs.

The validator pins numpy<1.25 and pandas<2, so it lives in its own virtualenv,
not the project's; run this script with that interpreter:

    .venv-903/bin/python placements/tests/validator_903.py DIR YEAR [--la E10000016]

YEAR names the collection year by the year it starts, as the rest of the
project does: 2025 is 1 April 2025 to 31 March 2026. The validator itself names
a collection year by the year it ends ("2026"), and picks its rule set
(lac2025_26) from that. --la is the authority's ONS code (the long form the
validator compares placement postcodes against to say IN/OUT of area); Kent,
E10000016, by default.

Every *.csv file in DIR is given to the validator as "This year"; it recognises
each table by its columns (header.csv, episodes.csv, reviews.csv, ...). No
Ofsted provider lists are given, so rules needing the URN lookup are skipped.

Prints JSON to stdout:
    {"ruleset": "lac2025_26", "collection_year": "2026", "local_authority": "...",
     "errors": {"CODE": count, ...},          # rules that found something
     "failed_rules": ["CODE", ...],           # rules that raised on this data
     "details": [{"code", "table", "row", "child"}, ...]}
Exit status 0 whether or not errors were found; 2 if the files could not be read.
"""

import argparse
import contextlib
import io
import json
import logging
import sys
from pathlib import Path

DEFAULT_LA = "E10000016"  # Kent


def validate(directory: Path, year: int, la: str = DEFAULT_LA) -> dict:
    # The validator logs every rule at INFO on import and when run.
    logging.disable(logging.CRITICAL)
    with contextlib.redirect_stdout(io.StringIO()):
        from lac_validator.lac_validator import LacValidator
        from lac_validator.rules.ruleset_utils import get_year_ruleset
        from lac_validator.utils import process_uploaded_files

    end_year = str(year + 1)
    registry = get_year_ruleset(end_year)
    files = sorted(str(p) for p in directory.glob("*.csv"))
    uploaded = process_uploaded_files({"This year": files})
    with contextlib.redirect_stdout(io.StringIO()):
        validator = LacValidator(
            metadata={"collectionYear": end_year, "localAuthority": la},
            files=uploaded,
            registry=registry,
            selected_rules=None,
        )
    errors: dict[str, int] = {}
    details = []
    for table, frame in validator.ds_results.items():
        if table == "metadata":
            continue
        for column in frame.columns:
            if not str(column).startswith("ERR_"):
                continue
            code = column[4:]
            hits = frame.index[frame[column] == True]  # noqa: E712 (object column of True/NaN)
            if len(hits) == 0:
                continue
            errors[code] = errors.get(code, 0) + len(hits)
            for row in hits:
                child = frame.at[row, "CHILD"] if "CHILD" in frame.columns else None
                details.append(
                    {
                        "code": code,
                        "table": table,
                        "row": int(row),
                        "child": None if child is None or child != child else str(child),
                    }
                )
    return {
        "ruleset": f"lac{year}_{end_year[2:]}",
        "collection_year": end_year,
        "local_authority": la,
        "errors": dict(sorted(errors.items())),
        "failed_rules": sorted(validator.fails),
        "details": sorted(details, key=lambda d: (d["code"], d["table"], d["row"])),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("year", type=int, help="collection year by its start: 2025 for 2025-26")
    parser.add_argument("--la", default=DEFAULT_LA, help="ONS code of the authority")
    args = parser.parse_args(argv)
    try:
        result = validate(args.directory, args.year, args.la)
    except Exception as error:  # the validator's UploadError and friends
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        return 2
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
