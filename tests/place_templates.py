"""Places loaded once per test session and handed to each test as a copy of its own.

Loading the synthetic place through the product's ingest is most of what the integration suite
used to spend its time on, once per test. A template is built once, through the same code a test
would call, inside a transaction that is then rolled back: what it leaves is a folder holding the
analytic store and the enclave, and every row it wrote to the operational database, kept in
memory. A test gets a copy of the two DuckDB files (a file copy) and the rows written back with
the same primary keys (so the stores' load ids still match), inside the test's own transaction,
so no test sees another's writes.

Templates stack: the demo users, then the agreement, then the files loaded. A test is given the
deepest template it asks for before any other fixture writes a row (see conftest's
`_loaded_first`), so the rows it writes itself come after the template's, as they used to.
"""

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.test.utils import override_settings

STORE_FILES = ("analytic.duckdb", "enclave.duckdb")
# Rows Django's own apps write when the test database is made: never part of a template.
FRAMEWORK_APPS = {"contenttypes", "sessions", "admin"}
FRAMEWORK_MODELS = {"auth.permission"}

Rows = dict[type[models.Model], dict[Any, models.Model]]


@dataclass
class Template:
    """A place built once: its stores (None for rows only) and the rows it wrote, layer by
    layer. `result` is what the build returned (e.g. ingest's outcomes)."""

    name: str
    base: "Template | None"
    stores: Path | None
    added: Rows = field(default_factory=dict)
    changed: Rows = field(default_factory=dict)
    removed: dict[type[models.Model], list[Any]] = field(default_factory=dict)
    result: Any = None

    def chain(self) -> list["Template"]:
        """This template and those it was built on, the first built first."""
        layers: list[Template] = []
        layer: Template | None = self
        while layer is not None:
            layers.append(layer)
            layer = layer.base
        return layers[::-1]


def _models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in FRAMEWORK_APPS
        and model._meta.label_lower not in FRAMEWORK_MODELS
    ]


def _rows() -> Rows:
    return {model: {row.pk: row for row in model._base_manager.all()} for model in _models()}


def _values(row: models.Model) -> tuple[Any, ...]:
    return tuple(getattr(row, f.attname) for f in row._meta.concrete_fields)


def build(
    name: str,
    *,
    base: Template | None,
    make: Callable[[], Any],
    folder: Path | None = None,
    blocker: Any,
) -> Template:
    """Run `make` once on a copy of `base` (stores in `folder`, if given) and keep what it did.
    `blocker` is pytest-django's django_db_blocker; the test database must exist."""
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    paths = (
        {
            "PLACEWISE_ANALYTIC_DB": folder / STORE_FILES[0],
            "PLACEWISE_ENCLAVE_DB": folder / STORE_FILES[1],
        }
        if folder is not None
        else {}
    )
    with blocker.unblock(), override_settings(**paths), transaction.atomic():
        if base is not None:
            restore(base, folder)
        before = _rows()
        result = make()
        after = _rows()
        transaction.set_rollback(True)
    caches["local"].clear()  # the shared cache's rows were rolled back with the rest
    template = Template(
        name, base, folder if folder is not None else _stores_of(base), result=result
    )
    for model, rows in after.items():
        old = before.get(model, {})
        added = {pk: row for pk, row in rows.items() if pk not in old}
        changed = {
            pk: row for pk, row in rows.items() if pk in old and _values(row) != _values(old[pk])
        }
        removed = [pk for pk in old if pk not in rows]
        if added:
            template.added[model] = added
        if changed:
            template.changed[model] = changed
        if removed:
            template.removed[model] = removed
    return template


def _stores_of(template: Template | None) -> Path | None:
    return template.stores if template is not None else None


def restore(template: Template, stores: Path | None, *, applied: set[str] | None = None) -> None:
    """Give the current test (or template build) `template`: its stores copied into `stores`
    and its rows, and those of the templates under it, written back. Layers named in `applied`
    are already there and are skipped; the names written are added to it."""
    applied = set() if applied is None else applied
    layers = template.chain()
    names = {layer.name for layer in layers}
    if names <= applied:
        return  # given already, with everything under it
    if not applied <= names:
        raise RuntimeError(
            f"this test was given the {sorted(applied)} templates, which {template.name!r} is not "
            "built on: a test can use loaded places from one line of templates only"
        )
    if template.stores is not None and stores is not None and template.stores != stores:
        stores.mkdir(parents=True, exist_ok=True)
        # The DuckDB files and any write-ahead log beside them.
        for path in template.stores.iterdir():
            if path.name.startswith(STORE_FILES):
                shutil.copyfile(path, stores / path.name)
    touched: set[type[models.Model]] = set()
    with transaction.atomic():
        for layer in layers:
            if layer.name in applied:
                continue
            for model, pks in layer.removed.items():
                model._base_manager.filter(pk__in=pks).delete()
            for model, rows in layer.added.items():
                # Copies: bulk_create marks the instances it is given as saved.
                model._base_manager.bulk_create([_copy(row) for row in rows.values()])
                touched.add(model)
            for model, rows in layer.changed.items():
                for pk, row in rows.items():
                    fields = {
                        f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields
                    }
                    fields.pop(model._meta.pk.attname)
                    model._base_manager.filter(pk=pk).update(**fields)
            applied.add(layer.name)
        # Rows came back with their primary keys: new rows must be numbered after them
        # (PostgreSQL's sequences do not follow inserted keys by themselves).
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(touched)):
                cursor.execute(statement)


def _copy(row: models.Model) -> models.Model:
    copy = row.__class__.__new__(row.__class__)
    copy.__dict__ = {**row.__dict__, "_state": models.base.ModelState()}
    copy._state.adding = True
    copy._state.db = None
    return copy
