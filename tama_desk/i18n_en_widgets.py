"""English for the shared widgets and the dialogs moved onto them (Japanese is the source text)."""

ENGLISH_WIDGETS: dict[str, str] = {
    "理由を入力してください": "Please enter a reason",
    "{label} {amount}円": "{label} ¥{amount}",
    "変更を破棄しますか？": "Discard your changes?",
    "破棄する": "Discard",
    # documents
    "保存…": "Save…",
    "印刷": "Print",
    "PDFを保存": "Save PDF",
    "保存しました: {path}": "Saved: {path}",
    "印刷に送りました: {name}": "Sent to the printer: {name}",
    # fees
    "出力": "Output",
    "請求書 PDF（年度分）…": "Invoice PDFs (fiscal year)…",
    "督促状（お支払いのお願い）…": "Payment reminders…",
    "会費台帳（Excel）…": "Fee ledger (Excel)…",
    "売掛金年齢表（Excel）…": "Receivables aging (Excel)…",
    "入金一覧（Excel）…": "Payments list (Excel)…",
    "請求書 {number} を発行しました（{total:,}円）": "Issued invoice {number} (¥{total:,})",
    "{year}年度の会費を保存しました: {type} {fee:,}円": "Saved the FY{year} fee: {type} ¥{fee:,}",
    "入金明細 {file} から {n} 件を消し込みました（{total:,}円）": "Recorded {n} payments from the statement {file} (¥{total:,})",
    "預り金を充当しました: {number}": "Applied the credit: {number}",
    "返還請求書を発行しました: {number} {amount:,}円": "Issued a credit note: {number} ¥{amount:,}",
    "入金を記録しました: {amount:,}円": "Payment recorded: ¥{amount:,}",
    "入金を取り消しました: {number}": "Payment reversed: {number}",
    "返還額は1円以上の整数で入力してください": "Enter the refund as a whole number of yen, 1 or more",
    "1円以上の整数で入力してください": "Enter a whole number of yen, 1 or more",
    "明細 {n} 行目: 内容・数量（1以上の整数）・単価（0以上の整数）を入力してください":
        "Line {n}: enter a description, a quantity (1 or more) and a unit price (0 or more)",
    "「請求先」: 一覧から会員を選んでください": "“Bill to”: choose a member from the list",
    "出力する書類はありません": "There are no documents to write",
    "読めない行があります。何も記録していません。": "Some lines cannot be read. Nothing was recorded.",
    # members
    "登録: {created:%Y-%m-%d %H:%M} {created_by}\n更新: {updated:%Y-%m-%d %H:%M} {updated_by}":
        "Created: {created:%Y-%m-%d %H:%M} {created_by}\nUpdated: {updated:%Y-%m-%d %H:%M} {updated_by}",
    "請求書（{n}）": "Invoices ({n})",
    # settings
    "表示": "Display",
    "和暦で表示（令和8年12月5日）": "Japanese era dates (令和8年12月5日)",
    "画面の日付を和暦で表示します。入力は西暦・和暦のどちらでもできます。":
        "Dates on screen in the Japanese era. Either form can be typed.",
    "和暦で表示します": "Dates are shown in the Japanese era",
    "西暦で表示します": "Dates are shown in the Western calendar",
    "団体情報を保存しました: {name}": "Association details saved: {name}",
    "会員種別を保存しました: {name} {fee:,}円": "Membership type saved: {name} ¥{fee:,}",
    "年会費は0以上の整数（円）で入力してください": "Enter the annual fee as a whole number of yen, 0 or more",
    "名称": "Name",
    # column mapping
    "この対応で読み込む": "Read with these columns",
    "{n}列目": "Column {n}",
    "日付・金額・振込依頼人がそれぞれ何列目か選んでください。見出しの行や出金の行は読み飛ばします。":
        "Choose the column of the date, the amount and the payer. Header and withdrawal rows are skipped.",
    "振込依頼人": "Payer",
    "残高（任意）": "Balance (optional)",
    "同じ列を2つの項目に選んでいます": "The same column is chosen twice",
    "基準日": "As of",
}
