"""Load data/ into one checked Dataset, or fail once with every problem in it.

`python -m macros.dataset [folder]` (`make validate`) prints every problem as
`file:line: entry › field: message — what to do`, or a one-line count when the data is sound.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from . import validate
from .load import KINDS, DataError, DataErrors, Document, entry_name, read_yaml
from .records import Dataset

ROOT = Path(__file__).resolve().parent.parent


def load_dataset(data_dir: Path, today: date | None = None) -> Dataset:
    """Read, check and cross-reference every data file; raise DataErrors listing all problems."""
    today = today or date.today()
    errors: list[DataError] = []
    files = read_files(data_dir, errors)
    docs = {name: files[kind.file] for name, kind in KINDS.items() if kind.file in files}
    checked = {kind.file: kind.schema for kind in KINDS.values()}
    schema_faults = {file: validate.schema_errors(files[file], name) for file, name in checked.items() if file in files}
    for found in schema_faults.values():
        errors.extend(found)
    records: dict[str, tuple[Any, ...]] = {}
    for name, doc in docs.items():
        kind = KINDS[name]
        bad, built = {e.entry for e in schema_faults[kind.file]}, []
        for path, raw in kind.entries(doc.data):
            faults = validate.entry_errors(doc, path, today)
            errors.extend(faults)
            if isinstance(raw, dict) and not faults and entry_name(doc.data, path) not in bad:
                built.append(kind.make(raw, path, doc.line(path)))
        records[name] = tuple(built)
    ecosystem = files.get(KINDS["ecosystem"].file)
    modelscope = ecosystem.data.get("modelscope") if ecosystem and isinstance(ecosystem.data, dict) else None
    fields: dict[str, Any] = {name: (built[0] if built else None) if KINDS[name].single else built for name, built in records.items()}
    dataset = Dataset(**fields, modelscope_summary=modelscope.get("summary", "") if isinstance(modelscope, dict) else "")
    errors.extend(validate.cross_errors(dataset, docs))
    if errors:
        raise DataErrors(list(dict.fromkeys(errors)))  # an entry two kinds share (a file read once) reports once
    return dataset


def read_files(data_dir: Path, errors: list[DataError]) -> dict[str, Document]:
    """Each data file parsed once, by file name; problems go to `errors`."""
    out: dict[str, Document] = {}
    for kind in KINDS.values():
        if kind.file in out:
            continue
        label = label_of(data_dir / kind.file)
        try:
            out[kind.file] = read_yaml(data_dir / kind.file, label)
        except FileNotFoundError:
            errors.append(DataError(label, 1, "", "", "the file is missing", f"create it (see docs/schema/{kind.schema})"))
        except DataErrors as exc:
            errors.extend(exc.errors)
    return out


def label_of(path: Path) -> str:
    """A data file's path as the contributor sees it: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    """Print every problem in data/ (or the folder given) and exit non-zero if any."""
    args = argv if argv is not None else sys.argv[1:]
    data_dir = Path(args[0]) if args else ROOT / "data"
    try:
        data = load_dataset(data_dir)
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(
        f"data OK: {len(data.models)} releases, {sum(len(m.variants) for m in data.models)} variants, "
        f"{len(data.people)} people, {len(data.techniques)} techniques, {len(data.errata)} errata, "
        f"{len(data.milestones)} milestones, {len(data.ecosystem)} ecosystem entries"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
