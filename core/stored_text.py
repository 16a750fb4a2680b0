"""Bring text stored before every model normalised on save (core.models.NFCTextModel) to NFC.

Run by a data migration over the historical models, and safe to run again: only rows whose
text changes are written, and a second run finds none. Knows no newsroom model: the caller
names the apps, and says how to merge two rows of a model that become the same.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction

from core.text import nfc

# (model, the row that would duplicate another after NFC, that other row) -> None
MergeRows = Callable[[type[models.Model], models.Model, models.Model], None]


@dataclass
class NFCReport:
    changed: dict[str, int] = field(default_factory=dict)  # model label -> rows rewritten
    merged: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # rows that would collide, left as they are

    def lines(self) -> list[str]:
        out = [f"{label}: {n} row(s) rewritten in NFC" for label, n in self.changed.items() if n]
        return out + [f"merged: {m}" for m in self.merged] + [f"left as is: {m}" for m in self.left]


def text_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's own char and text columns (slugs, emails and URLs included)."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.primary_key
    ]


def _candidates(model, fields, using):
    """Rows that may hold non-NFC text. PostgreSQL answers that itself (IS NFC NORMALIZED),
    so a large table is read only where it changes; elsewhere every row is read once."""
    rows = model._base_manager.db_manager(using).order_by("pk")
    connection = transaction.get_connection(using)
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        condition = " OR ".join(f"{qn(f.column)} IS NOT NFC NORMALIZED" for f in fields)
        rows = rows.extra(where=[condition])  # quoted column names only
    return rows.values_list("pk", *[f.attname for f in fields]).iterator(chunk_size=2000)


def _unique_clash(model, field_, value, pk, using):
    if not field_.unique:
        return None
    manager = model._base_manager.db_manager(using)
    return manager.filter(**{field_.attname: value}).exclude(pk=pk).first()


def normalize_model(
    model: type[models.Model], *, using: str, report: NFCReport, merge: MergeRows | None = None
) -> None:
    """Rewrite the rows of `model` whose text is not NFC; a row that would then equal
    another on a unique column is merged into it by `merge`, or left and reported."""
    fields = text_fields(model)
    if not fields:
        return
    label = model._meta.label
    manager = model._base_manager.db_manager(using)
    changed = 0
    for pk, *values in _candidates(model, fields, using):
        updates = {
            f.attname: nfc(v)
            for f, v in zip(fields, values, strict=True)
            if isinstance(v, str) and nfc(v) != v
        }
        if not updates:
            continue
        clash = next(
            (
                (name, other)
                for name, value in updates.items()
                if (other := _unique_clash(model, model._meta.get_field(name), value, pk, using))
            ),
            None,
        )
        if clash:
            name, other = clash
            row = manager.get(pk=pk)
            if merge:
                merge(model, row, other)
                report.merged.append(f"{label} #{pk} into #{other.pk} (same {name} in NFC)")
            else:
                report.left.append(f"{label} #{pk}: its {name} in NFC is #{other.pk}'s")
            continue
        try:
            with transaction.atomic(using=using):
                manager.filter(pk=pk).update(**updates)
        except IntegrityError:
            # A constraint over several columns: the row stays as it was, and is reported.
            report.left.append(f"{label} #{pk}: in NFC it would break a unique constraint")
            continue
        changed += 1
    report.changed[label] = report.changed.get(label, 0) + changed


def normalize_apps(
    apps,
    app_labels: Iterable[str],
    *,
    using: str = "default",
    merges: dict[str, MergeRows] | None = None,
) -> NFCReport:
    """Normalise the stored text of every model of `app_labels` in the registry `apps` (the
    migration's historical models, or django.apps.apps). `merges` maps a model label to how
    two of its rows that become the same are merged."""
    report = NFCReport()
    for app_label in app_labels:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            merge = (merges or {}).get(model._meta.label)
            normalize_model(model, using=using, report=report, merge=merge)
    return report
