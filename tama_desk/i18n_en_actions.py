"""English for the messages that say what an action did (status bar and toasts), issue #8."""

ENGLISH_ACTIONS = {
    "{what}を書き出しました: {path}": "{what} written: {path}",
    "{what} PDF {n} 件を書き出しました: {path}": "{what}: {n} PDFs written: {path}",
    # what was written
    "会員名簿": "Member list",
    "議事録": "Minutes",
    "出席者名簿": "Attendance list",
    "商談結果": "Business-matching results",
    # 会員
    "会員 {number} {name} を保存しました": "Member {number} {name} saved",
    "会員 {number} {name} を削除しました": "Member {number} {name} deleted",
    "会員を取り込みました: {summary}（{file}）": "Members imported: {summary} ({file})",
    # 会費
    "{year}年度の一括請求: {n}件 {total:,}円を発行しました": "FY{year} billing run: {n} invoices, ¥{total:,} issued",
    "請求書 {number} {name} {total:,}円を発行しました": "Invoice {number} {name} ¥{total:,} issued",
    "入金を記録しました: {number} {name} {amount:,}円": "Payment recorded: {number} {name} ¥{amount:,}",
    "預り金を充当しました: {number} {name} {amount:,}円": "Credit applied: {number} {name} ¥{amount:,}",
    "入金を取り消しました: {number} {name} {amount:,}円": "Payment reversed: {number} {name} ¥{amount:,}",
    "請求書 {number} {name}（{amount:,}円）を取り消しました": "Invoice {number} {name} (¥{amount:,}) cancelled",
    # 補助金
    "補助金「{name}」を登録しました（交付決定額 {amount:,}円）": "Grant “{name}” registered (decided ¥{amount:,})",
    "支出を登録しました: {voucher} {category} {amount:,}円 {payee}":
        "Expenditure registered: {voucher} {category} ¥{amount:,} {payee}",
    "支出 {voucher} {amount:,}円を修正しました": "Expenditure {voucher} ¥{amount:,} corrected",
    "支出 {voucher} {payee} {amount:,}円を削除しました": "Expenditure {voucher} {payee} ¥{amount:,} deleted",
    "支出 {n} 件 {total:,}円を取り込みました（注意 {w} 件）: {file}":
        "{n} expenditures, ¥{total:,}, imported ({w} warnings): {file}",
    "支出 {voucher} に証ひょうを添付しました: {name}": "Voucher attached to expenditure {voucher}: {name}",
    "{name} の状態を「{status}」にしました": "{name}: status set to “{status}”",
    # 委託事業
    "{title}: {message}": "{title}: {message}",
    "{title}: 成果物「{name}」を提出済みにしました": "{title}: deliverable “{name}” marked as submitted",
    # 会議
    "{kind}「{title}」（{day}）を登録しました": "{kind} “{title}” ({day}) registered",
    "会議「{title}」（{day}）を保存しました": "Meeting “{title}” ({day}) saved",
    "会議の設定（定款）を保存しました": "Meeting rules (articles) saved",
    "議題「{title}」を記録しました（{result}）": "Agenda item “{title}” recorded ({result})",
    "議事録の訂正を記録しました: {what}（{on}）": "Correction of the minutes recorded: {what} ({on})",
    "商談を記録しました: {member} × {counterpart}": "Meeting recorded: {member} × {counterpart}",
    "アクションを登録しました: {owner} {what}": "Action item added: {owner} {what}",
    "出席者を追加しました: {name}（{attendance}）": "Participant added: {name} ({attendance})",
    "会議「{title}」を削除しました": "Meeting “{title}” deleted",
    "{title} を「{status}」にしました": "{title}: set to “{status}”",
    "アクションを完了にしました: {owner} {what}": "Action item done: {owner} {what}",
    "未完了のアクション {n} 件を議題に加えました": "{n} open action items added to the agenda",
    "{n} 名を「{attendance}」にしました": "{n} participants set to “{attendance}”",
    "出席者を取り込みました: {file}": "Participants imported: {file}",
    "フォローアップを記録しました: {what}": "Follow-up recorded: {what}",
    # 会計連携
    "{amount}万円": "{amount} × ¥10,000",  # chart labels: the number is in 万 (ten thousands)
    "仕訳を書き出しました（{format}）: {path}（バッチ {batch}、仕訳 {entries} 件、借方合計 {total}円）":
        "Journal written ({format}): {path} (batch {batch}, {entries} entries, debit total ¥{total})",
    "口座振替依頼ファイルを作成しました: {message}": "Direct-debit request file created: {message}",
    "振替結果を取り込みました: {count} 件、振替済 {paid} 件 {total:,}円（{file}）":
        "Debit results imported: {count} records, {paid} debited, ¥{total:,} ({file})",
    "勘定科目を保存しました: {n} 科目": "Accounts saved: {n} accounts",
    "委託者（口座振替）を保存しました: {code} {name}": "Direct-debit originator saved: {code} {name}",
    "会員 {number} の口座振替依頼書を保存しました（申込中）: {holder}":
        "Direct-debit mandate of member {number} saved (applied): {holder}",
}
