# SPDX-License-Identifier: BSL-1.0
# `python3 -m trueup`: the command line of the `trueup` command for an installed Python package
# (a wheel carries no executable of its own). The same commands, options, outputs and exit codes
# for what the package can do:
#
#     python3 -m trueup reconcile DIR [--rules NAME|PATH]... [--inventory KIND:PATH]...
#                                     [--entitlements [KIND:]PATH]... [--as-of YYYY-MM-DD]
#                                     [--format table|json|xlsx|csv|html] [-o FILE] [--fail-on-shortfall]
#                                     [--write-assignments FILE] [--state FILE [--future-as-of]]
#                                     [--csv-separator ,|;|tab] [--encoding utf-8|windows-1252]
#                                     [--redact --secret-file FILE [--redaction-map FILE]] [--quiet]
#     python3 -m trueup validate DIR [--rules NAME|PATH]... [--inventory KIND:PATH]... [--entitlements [KIND:]PATH]...
#                                    [--csv-separator ,|;|tab] [--encoding utf-8|windows-1252]
#     python3 -m trueup history --state FILE (--licence ID | --device ID | --user NAME)
#
# Exit codes as the command's: 0 ran (shortfalls are findings), 1 shortfall found with
# --fail-on-shortfall, 2 invalid input or usage (nothing computed or written), 3 internal error.
#
# A run writes all of its outputs or none, as the command's: the outputs are checked before
# anything is read (no two on one file, none a directory, link or special file), written whole
# beside their targets, then the run is recorded in the state, then they take their places. A
# run that cannot be recorded leaves neither a new report nor a changed state. --threads is the
# command's alone (docs/python.md).
from __future__ import annotations

import argparse
import os
import stat
import sys
from typing import Callable, Optional, Sequence

from . import InputError, InternalError, Result, _core, _state, read_fleet, reconcile_dir
from ._result import _write_atomically, read_secret


def _dialect_option(which: str) -> Callable[[str], str]:
    """An argparse type that refuses, in the command's words, what `--csv-separator` or
    `--encoding` refuses (the C++ check, trueup/io/dialect.hpp)."""

    def check(value: str) -> str:
        try:
            _core.csv_dialect(value, "utf-8") if which == "separator" else _core.csv_dialect(None, value)
        except ValueError as e:
            raise argparse.ArgumentTypeError(str(e).partition(": ")[2]) from None
        return value

    return check


def _add_dialect(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--csv-separator",
        type=_dialect_option("separator"),
        metavar="','|';'|tab",
        help="the separator of DIR's CSV files (default: detected from each header)",
    )
    p.add_argument(
        "--encoding",
        type=_dialect_option("encoding"),
        default="utf-8",
        metavar="utf-8|windows-1252",
        help="the encoding of DIR's CSV files (default: utf-8)",
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m trueup", description="Licence reconciliation.")
    commands = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rec = commands.add_parser("reconcile", help="reconcile a fleet directory and report the position")
    rec.add_argument("dir", metavar="DIR", help="the fleet: devices.csv, installs.csv, entitlements.csv, ...")
    rec.add_argument(
        "--rules", action="append", metavar="NAME|PATH", help="a rule pack (default microsoft; repeatable, used in order)"
    )
    rec.add_argument("--inventory", action="append", metavar="KIND:PATH", help="devices and installs from an export")
    rec.add_argument(
        "--entitlements", action="append", metavar="[KIND:]PATH", help="licences from a file instead of DIR's"
    )
    rec.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date the position is taken on (default today)")
    rec.add_argument(
        "--format", choices=("table", "json", "xlsx", "csv", "html"), default="table", help="the report (default table)"
    )
    rec.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (atomically)")
    rec.add_argument("--fail-on-shortfall", action="store_true", help="exit 1 when any install is short")
    rec.add_argument("--write-assignments", metavar="FILE", help="write the assignments held after the run")
    rec.add_argument("--state", metavar="FILE", help="the state file: read the history, record this run")
    rec.add_argument("--future-as-of", action="store_true", help="with --state, record a run dated after today")
    rec.add_argument("-q", "--quiet", action="store_true", help="do not print warnings")
    _add_dialect(rec)
    rec.add_argument("--redact", action="store_true", help="pseudonymise identifiers in the report (needs --secret-file)")
    rec.add_argument("--secret-file", metavar="FILE", help="with --redact, the file holding your secret (16 bytes or more)")
    rec.add_argument("--redaction-map", metavar="FILE", help="with --redact, write the map back to the identifiers")
    val = commands.add_parser("validate", help="check a fleet directory without reconciling")
    val.add_argument("dir", metavar="DIR")
    val.add_argument("--rules", action="append", metavar="NAME|PATH")
    val.add_argument("--inventory", action="append", metavar="KIND:PATH")
    val.add_argument("--entitlements", action="append", metavar="[KIND:]PATH")
    _add_dialect(val)
    his = commands.add_parser("history", help="print a state file's assignment timeline")
    his.add_argument("--state", required=True, metavar="FILE")
    who = his.add_mutually_exclusive_group(required=True)
    who.add_argument("--licence", metavar="ID")
    who.add_argument("--device", metavar="ID")
    who.add_argument("--user", metavar="NAME")
    return p


def _not_regular(path: str) -> str:
    """What `path` is when it exists and is not a regular file; empty otherwise."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return ""
    if stat.S_ISREG(mode):
        return ""
    for test, what in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return what
    return "a file that is not a regular file"


def _same_file(a: str, b: str) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _preflight(args: argparse.Namespace) -> list[str]:
    """The command's checks of its outputs before anything is read (src/cli/preflight.cpp)."""
    outputs = [
        (option, path)
        for option, path in (("-o", args.output), ("--write-assignments", args.write_assignments), ("--state", args.state))
        if path is not None
    ]
    problems = []
    for i, (first, a) in enumerate(outputs):
        for option, b in outputs[i + 1 :]:
            if _same_file(a, b):
                problems.append(
                    f"{b}: error[same-output]: expected {option} to name a file of its own, found the file {first} "
                    "names; one would destroy the other"
                )
    for option, path in outputs:
        what = _not_regular(path) if option != "--state" else ""
        # `--format csv -o DIR` writes a folder: an existing one is replaced only when it holds
        # nothing but the files of an earlier report, which the CSV writer checks.
        if option == "-o" and args.format == "csv" and what in ("", "a directory"):
            continue
        if option == "-o" and args.format == "csv":
            problems.append(
                f"{path}: error[bad-output]: expected -o to name a folder to write or replace (--format csv), "
                f"found {what}"
            )
        elif what:
            problems.append(
                f"{path}: error[bad-output]: expected {option} to name a regular file to write or replace, found {what}"
            )
    return problems


def _dialect_with_inventory(args: argparse.Namespace) -> bool:
    """Whether --csv-separator or --encoding is given with --inventory or --entitlements, which
    the command refuses (the exports and licence files are read in their own dialects;
    src/cli/reconcile_command.cpp): printed as it."""
    entitlements = getattr(args, "entitlements", None)
    if (not args.inventory and not entitlements) or (
        args.csv_separator is None and _core.csv_dialect(None, args.encoding).encoding == "utf-8"
    ):
        return False
    if not args.inventory:
        print(
            "--entitlements: error[bad-option]: expected --csv-separator and --encoding without --entitlements (each "
            "licence source is read in its own encoding and separator), found them with --entitlements\n"
            "trueup: 1 error(s) in the input; nothing was computed or written",
            file=sys.stderr,
        )
        return True
    print(
        "--inventory: error[bad-option]: expected --csv-separator and --encoding without --inventory (each export "
        "is read in its own encoding, DIR's files as UTF-8 with their separator detected), found them with "
        "--inventory\ntrueup: 1 error(s) in the input; nothing was computed or written",
        file=sys.stderr,
    )
    return True


def _reconcile(args: argparse.Namespace) -> int:
    refused = _preflight(args)
    if refused:
        print("\n".join(refused), file=sys.stderr)
        return 2
    if _dialect_with_inventory(args):
        return 2
    # The secret is read before the fleet, as the command reads it: a bad one stops the run.
    secret = read_secret(args.secret_file) if args.redact else None
    result = reconcile_dir(
        args.dir,
        rules=args.rules or "microsoft",
        as_of=args.as_of,
        record_assignments=args.write_assignments is not None,
        state=args.state,
        future_as_of=args.future_as_of,
        defer_commit=True,
        inventory=args.inventory,
        csv_separator=args.csv_separator,
        encoding=args.encoding,
        entitlements=args.entitlements,
    )
    try:
        if not args.quiet:
            for w in result.warnings:
                print(w, file=sys.stderr)
        if args.fail_on_shortfall:
            result.assumptions.append(("fail-on-shortfall", "yes"))
        _write_outputs(args, result, secret)
    finally:
        result.close_state()  # a run not recorded leaves the file as it was
    return 1 if args.fail_on_shortfall and result.native.totals.shortfall else 0


def _write_outputs(args: argparse.Namespace, result: Result, secret: Optional[bytes]) -> None:
    """Writes every output beside its target, records the run, then puts the outputs in place.
    With a secret (--redact), the report shows pseudonyms; the assignments and the state keep the
    identifiers, as the command's."""
    staged: list[tuple[str, str]] = []
    redact = secret is not None

    def stage(path: str, write: Callable[[str], None]) -> None:
        pending = path + ".trueup-pending"
        write(pending)
        staged.append((pending, path))

    try:
        if args.write_assignments is not None:
            stage(args.write_assignments, result.write_assignments)
        if args.output is not None:
            if args.format == "xlsx":
                stage(args.output, lambda f: result.to_xlsx(f, redact=redact, secret=secret))
            elif args.format == "csv":
                if not _core.csv_folder_replaceable(args.output):
                    raise OSError(
                        f"{args.output}: error[write-failed]: expected a new folder or one holding only a CSV "
                        "workbook's files, found something else there"
                    )
                stage(args.output, lambda f: result.to_csv(f, redact=redact, secret=secret))
            else:
                text = _text(args, result, secret)
                stage(args.output, lambda f: _write_atomically(f, text))
        if args.redaction_map is not None and secret is not None:
            map_csv = result.redaction_map(secret=secret)
            stage(args.redaction_map, lambda f: _write_atomically(f, map_csv))
        if args.state is not None:
            result.commit_state()
        for pending, target in staged:
            if os.path.isdir(pending):  # a CSV workbook: an earlier one moved aside, then removed
                problems = _core.replace_folder(pending, target)
                if problems:
                    raise OSError("\n".join(str(p) for p in problems))
            else:
                os.replace(pending, target)
        staged.clear()
    finally:
        for pending, _ in staged:
            try:
                os.unlink(pending)
            except OSError:
                pass
    if args.output is None:  # table, json or html: --format xlsx or csv without -o is refused by main()
        sys.stdout.write(_text(args, result, secret))


def _text(args: argparse.Namespace, result: Result, secret: Optional[bytes]) -> str:
    """The report of a text format."""
    redact = secret is not None
    if args.format == "json":
        return result.to_json(redact=redact, secret=secret)
    if args.format == "html":
        return result.to_html(redact=redact, secret=secret)
    return result.to_table(redact=redact, secret=secret)


def _history(args: argparse.Namespace) -> int:
    """The timeline as `trueup history` prints it (src/cli/history_command.cpp), byte for byte."""
    by, ident = next((b, v) for b, v in (("licence", args.licence), ("device", args.device), ("user", args.user)) if v)
    records = _state.history_records(args.state, by, ident)
    if not records:
        print(f"no assignments recorded for {by} {ident}")
        return 0
    table = [["from", "to", "licence", "holder", "units", "reason", "run"]]
    for r in records:
        opened, closed = r["opened_by_run"], r["closed_by_run"]
        table.append(
            [
                r["from"].isoformat(),
                r["to"].isoformat() if r["to"] is not None else "now",
                r["licence_id"],
                f"device {r['device_id']}" if r["device_id"] else f"user {r['user']}",
                str(r["units"]),
                r["reason"],
                f"{opened}-{closed}" if closed is not None else str(opened),
            ]
        )
    widths = [max(len(row[c]) for row in table) for c in range(7)]
    out = []
    for row in table:
        cells = []
        for c, cell in enumerate(row):
            pad = " " * (widths[c] - len(cell))
            cells.append(pad + cell if c == 4 else (cell + pad if c < 6 else cell))
        out.append("  ".join(cells) + "\n")
    sys.stdout.write("".join(out))
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "reconcile" and args.format in ("xlsx", "csv") and args.output is None:
        parser.error(f"--format {args.format} writes a {'folder' if args.format == 'csv' else 'file'}: give -o "
                     f"{'DIR' if args.format == 'csv' else 'FILE'}")
    if args.command == "reconcile" and args.redact and args.secret_file is None:
        parser.error("--redact needs --secret-file FILE")
    if args.command == "reconcile" and not args.redact and (args.secret_file or args.redaction_map):
        parser.error(f"{'--secret-file' if args.secret_file else '--redaction-map'} needs --redact")
    try:
        if args.command == "validate":
            if _dialect_with_inventory(args):
                return 2
            read_fleet(
                args.dir,
                rules=args.rules or "microsoft",
                inventory=args.inventory,
                csv_separator=args.csv_separator,
                encoding=args.encoding,
                entitlements=args.entitlements,
            )
            return 0
        if args.command == "history":
            return _history(args)
        return _reconcile(args)
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
