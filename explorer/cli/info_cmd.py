"""`explorer info`: a catalog's tables, estimated rows, file sizes and schema check."""

from __future__ import annotations

import argparse
from typing import Any

from explorer.catalog.server import ServerCatalog
from explorer.cli.catalog_args import add_catalog_arguments, open_any_from_args
from explorer.cli.output import print_json, print_table


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "info", help="tables, estimated rows and sizes of a catalog (instant at any size)"
    )
    add_catalog_arguments(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_any_from_args(args) as catalog:
        if isinstance(catalog, ServerCatalog):
            return _server_info(catalog, as_json=args.json)
        estimates = catalog.estimates()
        features = catalog.features_path
        report: dict[str, Any] = {
            "path": str(catalog.path.resolve()),
            "name": catalog.name,
            "size_bytes": catalog.identity.size,
            "schema": "ok",
            "audio_features": (
                {"path": str(features.resolve()), "size_bytes": features.stat().st_size}
                if features
                else None
            ),
            "tables": {item.table: item.rows for item in estimates},
        }
    if args.json:
        print_json(report)
        return 0
    print(f"Catalog     {report['path']}")
    print(f"Size        {report['size_bytes'] / 1e6:,.1f} MB")
    if features:
        print(f"Features    {features} ({features.stat().st_size / 1e6:,.1f} MB)")
    else:
        print("Features    none found (audio features will not be shown)")
    print("Schema      ok")
    print()
    print_table(
        [(item.table, f"{item.rows:,}") for item in estimates], ["table", "rows (estimate)"]
    )
    return 0


def _server_info(catalog: ServerCatalog, *, as_json: bool) -> int:
    """The same report for a catalog published into PostgreSQL."""
    estimates = catalog.estimates()
    report: dict[str, Any] = {
        "path": catalog.name,
        "name": catalog.name,
        "size_bytes": catalog.size_bytes(),
        "schema": "ok",
        "audio_features": {"path": catalog.name} if catalog.has_features else None,
        "tables": {item.table: item.rows for item in estimates},
    }
    if as_json:
        print_json(report)
        return 0
    print(f"Catalog     {catalog.name} (PostgreSQL)")
    print(f"Size        {report['size_bytes'] / 1e6:,.1f} MB")
    features = "in the database" if catalog.has_features else "none published"
    print(f"Features    {features}")
    print("Schema      ok")
    print()
    print_table(
        [(item.table, f"{item.rows:,}") for item in estimates], ["table", "rows (estimate)"]
    )
    return 0
