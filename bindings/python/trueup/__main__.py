# SPDX-License-Identifier: BSL-1.0
# `python3 -m trueup`: the command line of the `trueup` command for an installed Python package
# (a wheel carries no executable of its own). The same commands, options, outputs and exit codes
# for what the package can do:
#
#     python3 -m trueup reconcile DIR [--rules NAME|PATH] [--as-of YYYY-MM-DD]
#                                     [--format table|json] [-o FILE] [--fail-on-shortfall]
#                                     [--write-assignments FILE] [--quiet]
#     python3 -m trueup validate DIR [--rules NAME|PATH]
#
# Exit codes as the command's: 0 ran (shortfalls are findings), 1 shortfall found with
# --fail-on-shortfall, 2 invalid input or usage (nothing computed or written), 3 internal error.
# The state store and --threads are the command's alone (docs/python.md).
from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from . import InputError, InternalError, read_fleet, reconcile_dir
from ._result import _write_atomically


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m trueup", description="Licence reconciliation.")
    commands = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rec = commands.add_parser("reconcile", help="reconcile a fleet directory and report the position")
    rec.add_argument("dir", metavar="DIR", help="the fleet: devices.csv, installs.csv, entitlements.csv, ...")
    rec.add_argument("--rules", default="microsoft", metavar="NAME|PATH", help="the rule pack (default microsoft)")
    rec.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date the position is taken on (default today)")
    rec.add_argument("--format", choices=("table", "json"), default="table", help="the report (default table)")
    rec.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (atomically)")
    rec.add_argument("--fail-on-shortfall", action="store_true", help="exit 1 when any install is short")
    rec.add_argument("--write-assignments", metavar="FILE", help="write the assignments held after the run")
    rec.add_argument("--quiet", action="store_true", help="do not print warnings")
    val = commands.add_parser("validate", help="check a fleet directory without reconciling")
    val.add_argument("dir", metavar="DIR")
    val.add_argument("--rules", default="microsoft", metavar="NAME|PATH")
    return p


def _write(path: Optional[str], text: str) -> None:
    if path is None:
        sys.stdout.write(text)
    else:
        _write_atomically(path, text)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            read_fleet(args.dir, rules=args.rules)
            return 0
        result = reconcile_dir(
            args.dir, rules=args.rules, as_of=args.as_of, record_assignments=args.write_assignments is not None
        )
        if not args.quiet:
            for w in result.warnings:
                print(w, file=sys.stderr)
        if args.write_assignments is not None:
            result.write_assignments(args.write_assignments)
        _write(args.output, result.to_json() if args.format == "json" else result.to_table())
        return 1 if args.fail_on_shortfall and result.native.totals.shortfall else 0
    except InputError as e:
        print(e, file=sys.stderr)
        return 2
    except OSError as e:
        print(f"trueup: {e}", file=sys.stderr)
        return 2
    except InternalError as e:
        print(f"trueup: internal error (please report): {e}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
