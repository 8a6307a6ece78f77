"""English for the fee documents, accounting and reliability leftovers of session 4: the audit summaries as
shown (`services.audit.SUMMARIES`), the membership types the database starts with, the reminder options,
the receipts issued before hashing, the minutes' hash and the freee refusals."""

ENGLISH_S4FEE = {
    # audit summaries (services/audit.SUMMARIES): the stored Japanese is read back and shown in English
    "{year}年度 {type} {fee}円": "FY{year} {type} ¥{fee}",
    "{year}年度 会費請求 {n} 件 {total}円": "FY{year} fee billing: {n} invoices, ¥{total}",
    "請求書 {number} {name} {total}円": "Invoice {number} {name} ¥{total}",
    "返還請求書 {number} {name} {total}円": "Credit note {number} {name} ¥{total}",
    "{date} {amount}円 {method} {payer} → {settled}": "{date} ¥{amount} {method} {payer} → {settled}",
    "{amount}円: {reason}": "¥{amount}: {reason}",
    "{number} 取消（入金取消）: {reason}": "{number} cancelled (payment reversed): {reason}",
    "預り金 {amount}円 を充当": "Credit of ¥{amount} applied",
    "{number} 手数料差引 {amount}円（支払手数料）": "{number} bank charge kept back ¥{amount} (bank charges)",
    "{level} {date} {amount}円": "{level} {date} ¥{amount}",
    "入金明細から {n} 件を消込": "{n} payments matched from a bank statement",
    "会員 {n} 件": "{n} members",
    "補助事業 {n} 件": "{n} grants",
    "{name} 交付決定額 {amount}円 補助率 {rate}": "{name} decided ¥{amount}, rate {rate}",
    "{label} {category}→{target} {amount}円 {reference}": "{label} {category} → {target} ¥{amount} {reference}",
    "{voucher} {category} {amount}円 {payee}": "{voucher} {category} ¥{amount} {payee}",
    "{before} → {status}": "{before} → {status}",
    "{file}: 支出 {n} 件": "{file}: {n} expenditures",
    "{file}: 経費 {n} 件": "{file}: {n} costs",
    "{file}: 出席者 {n} 名": "{file}: {n} attendees",
    "{file}: 商談 {n} 件": "{file}: {n} business meetings",
    "{label} {start}〜{end} {n}仕訳 {total}円 {file}": "{label} {start} to {end}: {n} entries, ¥{total} {file}",
    "{name} {date} {amount}円": "{name} {date} ¥{amount}",
    "{date} {n}件 {total}円": "{date} {n} records ¥{total}",
    "{number} 口座振替不能: {reason}": "{number} direct debit failed: {reason}",
    "{client} {title} {amount}円 {terms} {tax}": "{client} {title} ¥{amount} {terms} {tax}",
    "契約日 {date}": "Signed on {date}",
    "第{n}回 {name} {date} {amount}円": "Milestone {n} {name} {date} ¥{amount}",
    "{name} 期限 {date}": "{name} due {date}",
    "{name} 提出 {date}": "{name} submitted {date}",
    "完了届 {date}": "Completion notice {date}",
    "完了届 {date}（第{n}回）": "Completion notice {date} (milestone {n})",
    "検査 {date} {result}": "Inspection {date} {result}",
    "検査 {date} {result}（第{n}回）": "Inspection {date} {result} (milestone {n})",
    "確定額 {amount}円（{date}）": "Final amount ¥{amount} ({date})",
    "確定額 {amount}円（{date}） 変更前 {before_amount}円": "Final amount ¥{amount} ({date}), before ¥{before_amount}",
    "{number} {amount}円": "{number} ¥{amount}",
    "{number} 返還 {amount}円": "{number} refund ¥{amount}",
    "変更契約 {date}: {details}": "Amendment {date}: {details}",
    "{kind} {title} {date}": "{kind} {title} {date}",
    "訂正 {date} {what}: {before} → {after}（{reason}）": "Correction {date} {what}: {before} → {after} ({reason})",
    "会議の設定": "Meeting settings",
    "議事録確定 {title}": "Minutes confirmed: {title}",
    "第{n}号議案 {title} {result}": "Motion {n} {title}: {result}",
    "報告事項{n} {title} {result}": "Report {n} {title}: {result}",
    "フォロー {date} {outcome} {notes}": "Follow-up {date} {outcome} {notes}",
    "フォロー {date} {outcome}": "Follow-up {date} {outcome}",
    "成約 {date} {amount}円": "Contract signed {date} ¥{amount}",
    "団体情報: {labels}": "Association profile: {labels}",
    "{what} → 委託 {title}: {reason}": "{what} → contract {title}: {reason}",
    "{what} ← 委託 id {id}: {reason}": "{what} ← contract id {id}: {reason}",
    "{what} → 補助金 {name}: {reason}": "{what} → grant {name}: {reason}",
    "{what} ← 補助金 id {id}: {reason}": "{what} ← grant id {id}: {reason}",
    "{subject}: {status}": "{subject}: {status}",
    "監査|督促状": "Final reminder",  # a reminder's level in a summary (the menu's 督促状 is "Reminders")
    # the membership types a new database starts with (names the office adds stay as entered)
    "正会員": "Regular member",
    "賛助会員": "Supporting member",
    "特別会員": "Special member",
    # the reminder review (ui/views/reminder_dialog.py): the CLI's --new-due-date and --strong
    "新しいお支払い期限": "New payment deadline",
    "すべて督促状にする（初回も強い文面。--strong と同じ）": "Final reminder for all (stronger wording even the first "
                                                         "time, as --strong)",
    "{date} より後の日付にしてください": "Enter a date after {date}",
    # freee export (exports/journal_freee.py)
    "freee の取引インポートは合計0円の取引を取り込めません: {entries}。この期間は弥生・MF形式で書き出すか、freee で振替伝票"
    "（支払手数料 / 売掛金）として登録してください":
        "freee's transaction import cannot take a transaction totalling ¥0: {entries}. Export this period for Yayoi "
        "or MoneyForward, or enter it in freee as a journal voucher (bank charges / accounts receivable)",
    # receipts issued before receipts were hashed (services/printing.unchecked_receipts)
    "{numbers}: 発行時の記録なし（この版より前に発行されたため、改ざんの確認ができません）":
        "{numbers}: no record from when it was issued (issued before this version, so it cannot be checked for changes)",
}
