"""The receipt commands of `python -m tama_desk receipts …` (see cli.py for exit codes)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_commands(commands, common: argparse.ArgumentParser) -> None:
    receipts = commands.add_parser("receipts", parents=[common], help="receipts (領収書)").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    pdf = receipts.add_parser("pdf", parents=[common], help="issue the receipts not yet issued for the payments "
                              "received in the fiscal year and write one PDF per receipt")
    pdf.add_argument("--fiscal-year", type=int, required=True, metavar="Y")
    pdf.add_argument("--out", type=Path, required=True, metavar="DIR")
    pdf.add_argument("--member", default=None, metavar="NUMBER", help="only this member's receipts")


def run(args, db) -> int:
    from tama_desk.services import printing

    with db.transaction() as session:
        issued = printing.issue_receipts(session, args.fiscal_year, args.member)
    with db.reading() as session:
        documents = printing.year_receipt_documents(session, args.fiscal_year, args.member)
        written = {snapshot.number for snapshot, _reason, _on in documents}
        unchecked = [n for n in printing.unchecked_receipts(session, fiscal_year=args.fiscal_year) if n in written]
    if not documents:
        print(f"{args.fiscal_year}年度の領収書はありません（消込済みの入金がありません）")
        return 0
    result = printing.write_pdfs(documents, args.out)
    cancelled = sum(1 for _snapshot, reason, _on in documents if reason)
    if cancelled:
        print(f"うち取消（入金の取消による） {cancelled} 件")
    if unchecked:
        print(f"うち発行時の記録なし（この版より前の発行で、改ざんの確認ができません） {len(unchecked)} 件: "
              f"{'、'.join(unchecked)}")
    print(f"領収書を新たに {len(issued)} 件発行しました。PDF {len(result.files)} 件を書き出しました: {args.out}")
    return 0
