"""English for the fee-document messages: credit notes per rate, write-offs, reminders, 収入印紙."""

ENGLISH_FEEDOCS = {
    "税区分が正しくありません: {code}（{codes}）": "Unknown tax category: {code} ({codes})",
    "請求書 {number} には{rate}の明細がありません（返還できるのは {rates}）":
        "Invoice {number} has no {rate} lines (it can be credited at: {rates})",
    "請求書 {number}: {rate}の返還額 {amount}円 が残り {left}円（請求 {billed}円 − 返還済み {credited}円）を超えています":
        "Invoice {number}: the {rate} refund of {amount} yen exceeds the {left} yen left "
        "({billed} yen billed − {credited} yen already credited)",
    "請求書 {number}: 手数料差引 {amount}円 は上限 {limit}円・未入金額 {open}円 以内にしてください":
        "Invoice {number}: a fee write-off of {amount} yen must be within the limit of {limit} yen and the "
        "{open} yen open",
    "手数料差引を自動で処理する": "Write off transfer fees automatically",
    "手数料差引の上限": "Transfer-fee write-off limit",
    "領収書の収入印紙": "Revenue stamp on receipts",
    "一覧から選んでください": "Choose one from the list",
    "印紙税: 非課税（営業に関しない受取書）": "Stamp duty: exempt (receipt not issued in the course of business)",
    "5万円以上は収入印紙欄を印字": "Print a revenue-stamp box from 50,000 yen",
    "振込手数料差引": "Transfer fee deducted",
    "支払手数料": "Fees paid",
    "{field}: 「{chars}」は Shift_JIS のCSVに書き出せません（? になります）":
        "{field}: “{chars}” cannot be written to a Shift_JIS CSV (it becomes ?)",
    "{field}: 「{chars}」は PDF のフォントにないため印字されません":
        "{field}: “{chars}” is not in the PDF font and will not print",
    "{line}行目 {field}: 「{chars}」は Shift_JIS にないため ? で書き出しました":
        "Line {line} {field}: “{chars}” is not in Shift_JIS and was written as ?",
    "保存しました。次の文字に注意してください:": "Saved. Note these characters:",
    "する": "Yes",
    "しない": "No",
    "返還額（円）": "Refund (yen)",
    "税込・税抜": "Tax included or excluded",
    "返還の理由": "Reason for the refund",
    # the dunning review and the statement's 手数料差引 (session 3)
    "手数料差引 {amount}円": "Fee write-off {amount} yen",
    "入金 {n} 件: 自動 {auto} 件、手数料差引 {fees} 件、要確認 {check} 件、取込済み {done} 件":
        "{n} deposits: {auto} automatic, {fees} with a fee write-off, {check} to check, {done} already imported",
    "入金明細 {file} から {n} 件を消し込みました（{total:,}円、うち手数料差引 {fees} 件 {fee_total}円）":
        "Reconciled {n} deposits from the statement {file} (¥{total:,}; {fees} fee write-offs, ¥{fee_total})",
    "督促 {n} 件を印刷用に書き出し、送付を記録しました: {path}":
        "Wrote {n} reminders for printing and recorded them as sent: {path}",
    "督促状（お支払いのお願い）の確認": "Review the payment reminders",
    "印刷する": "Print",
    "表示 {shown} 件（期限超過 {all} 件）\u3000✔ {n} 件 {total}円（うち督促状 {strong} 件）":
        "{shown} shown ({all} overdue)　✔ {n}, {total} yen ({strong} final reminders)",
    "✔ の {n} 件を印刷…": "Print the {n} ticked…",
    "✔ の行に印刷します。スペースキーまたは Enter（ダブルクリック）で ✔ を付け外しできます。印刷した督促は記録され、次は督促状になります。":
        "The ✔ rows are printed. Space or Enter (double-click) ticks or unticks a row. Each reminder printed is "
        "recorded, and the next one for that invoice is a final reminder.",
    "未入金額がこれ以上（円）": "Open amount at least (yen)",
    "支払期限からの経過日数がこれ以上": "Days past the due date at least",
    "未入金額": "Open",
    "経過日数": "Days late",
    "最終送付日": "Last sent",
    "最終送付": "Last reminder",
    "今回の文書": "This letter",
    "お支払いのお願い": "Payment reminder",
}
