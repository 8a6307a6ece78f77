"""Importing members from a file: check every row first, then write all rows or none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tama_desk.db.models import Contact, Member
from tama_desk.errors import ProblemList
from tama_desk.exports.members_io import SPEC
from tama_desk.i18n import t
from tama_desk.services import audit
from tama_desk.services.importing import ImportRow, run_import
from tama_desk.services.members import (
    CONTACT_LABELS,
    FIELD_LABELS,
    REQUIRED,
    apply_values,
    check_contact_field,
    clean_member,
    type_name_map,
)


@dataclass
class ImportPlan:
    """What an import does (or would do, on a dry run): numbers and names per line."""

    created: list[tuple[int, str, str]] = field(default_factory=list)
    updated: list[tuple[int, str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return t("新規 {created} 件、更新 {updated} 件", created=len(self.created), updated=len(self.updated))


def import_members(
    session: Session, path: Path, dry_run: bool = False, progress: Callable[[int, int], None] | None = None
) -> ImportPlan:
    """Raises UserError listing every problem (line + column + reason) and writes nothing if any row is bad.

    `progress(done, total)` is called while rows are written; it may raise to stop (the caller rolls back).
    """
    existing = {m.number: m for m in session.scalars(select(Member).options(selectinload(Member.contacts)))}
    type_names = type_name_map(session)
    seen: dict[str, int] = {}
    checked: dict[int, tuple[dict[str, Any], dict[str, str]]] = {}

    def check(row: ImportRow, problems: ProblemList) -> None:
        line, raw = row.line, dict(row.raw)
        contact_raw = {key.removeprefix("contact."): raw.pop(key) for key in list(raw) if key.startswith("contact.")}
        clean, row_problems = clean_member(raw, type_names, row=line)
        problems.items += row_problems.items
        contact = {}
        for key, value in contact_raw.items():
            contact[key], error = check_contact_field(key, value)
            if error:
                problems.add(error, CONTACT_LABELS[key], line)
        if not contact.get("name") and any(contact.values()):
            problems.add("担当者名を入力してください", CONTACT_LABELS["name"], line)
        number = clean.get("number") or ""
        if number:
            if number in seen:
                problems.add("会員番号 {number} が{first}行目と重複しています", FIELD_LABELS["number"], line,
                             number=number, first=seen[number])
            seen.setdefault(number, line)
        if number not in existing:
            for required in REQUIRED:
                if required not in clean and required in FIELD_LABELS:
                    problems.add("入力してください", FIELD_LABELS[required], line)
        checked[line] = clean, contact

    plan = ImportPlan()

    def write(rows: list[ImportRow]) -> None:
        next_number = _next_numbers(existing.keys() | seen.keys())
        for done, row in enumerate(rows, start=1):
            if progress and done % 50 == 0:
                progress(done, len(rows))
            clean, contact = checked[row.line]
            number = clean.get("number") or next(next_number)
            clean["number"] = number
            member = existing.get(number)
            (plan.updated if member else plan.created).append((row.line, number, str(clean.get("name") or member.name)))
            if dry_run:
                continue
            if member is None:
                member = Member(status="active")
                session.add(member)
                existing[number] = member
            _set_primary_contact(member, contact)
            apply_values(member, clean)

    run_import(path, SPEC, check=check, write=write)  # write also runs on a dry run: it only plans then
    if not dry_run:
        session.flush()
        audit.record(session, "import", "member", None, f"{path.name}: {plan.summary()}")
    return plan


def _next_numbers(used: set[str]):
    numeric = [int(number) for number in used if number.isdigit()]
    current = max(numeric) if numeric else 0
    while True:
        current += 1
        if f"{current:04d}" not in used:
            yield f"{current:04d}"


def _set_primary_contact(member: Member, contact: dict[str, str]) -> None:
    if not contact.get("name") and not contact.get("department"):
        return
    primary = member.primary_contact
    if primary is None:
        primary = Contact(is_primary=True, sort_order=0)
        member.contacts.append(primary)
    primary.name = contact.get("name") or primary.name or ""
    primary.department = contact.get("department", primary.department or "")
