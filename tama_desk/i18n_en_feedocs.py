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
}
