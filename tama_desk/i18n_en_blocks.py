"""English for the shared building blocks: values, imports, the grant lock, numbering and service messages."""

ENGLISH_BLOCKS: dict[str, str] = {
    # values
    "日付は「2026-12-05」「2026/12/5」「R8.12.5」「令和8年12月5日」の形で入力してください":
        "Enter a date as 2026-12-05, 2026/12/5, R8.12.5 or 令和8年12月5日",
    "日付は年から入力してください（例: 2026-12-05、R8.12.5）": "Enter the date with its year (e.g. 2026-12-05, R8.12.5)",
    "日付は1900年から2100年までの範囲で入力してください": "Enter a date between 1900 and 2100",
    "金額は「70,000」「70000円」の形で、円単位の整数で入力してください":
        "Enter the amount in whole yen, e.g. 70,000 or 70000",
    "金額は0以上で入力してください": "The amount must be 0 or more",
    "金額が大きすぎます（1兆円未満で入力してください）": "The amount is too large (it must be under 1 trillion yen)",
    "補助率は0より大きく1以下です": "The subsidy rate must be above 0 and at most 1",
    "補助率は「2/3」「0.5」「50%」の形で入力してください": "Enter the subsidy rate as 2/3, 0.5 or 50%",
    "按分方式には交付決定時の補助対象経費が必要です": "The ratio formula needs the eligible cost of the decision",
    # files and imports
    "{file}: 文字コードを判別できません。UTF-8 または Shift_JIS (CP932) で保存してください":
        "{file}: the character encoding is not recognised. Save it as UTF-8 or Shift_JIS (CP932)",
    "出力形式が正しくありません: {format}": "Unknown output format: {format}",
    "ファイルが見つかりません: {path}": "File not found: {path}",
    "ファイルを読み込めません: {path}（{error}）": "Cannot read the file: {path} ({error})",
    "{file}: CSV または XLSX ファイルを指定してください": "{file}: choose a CSV or XLSX file",
    "{file}: 見出し行がありません": "{file}: there is no header row",
    "{file}: {line}行目が CSV として読めません（{error}）": "{file}: line {line} is not valid CSV ({error})",
    "{file}: Excel ファイルとして開けません（{error}）": "{file}: cannot open it as an Excel file ({error})",
    "知らない列名です（{index}列目）。使える列: {known}": "Unknown column (column {index}). Known columns: {known}",
    "同じ列が2回あります": "The same column appears twice",
    "{file}: 取り込めない行があります。何も取り込んでいません。":
        "{file}: some lines cannot be imported. Nothing was imported.",
    "{file}: 拡張子は .xlsx か .csv にしてください": "{file}: the file name must end in .xlsx or .csv",
    "{file}: 拡張子は .pdf か .xlsx にしてください": "{file}: the file name must end in .pdf or .xlsx",
    "{n}列目": "column {n}",
    "「{field}」": "“{field}”",
    "（なし）": "(none)",
    # bank statements
    "列の指定が足りません: {missing}（date=列,amount=列,payer=列）":
        "Columns missing from the mapping: {missing} (date=COL,amount=COL,payer=COL)",
    "列の指定「{part}」が読めません。date=列,amount=列,payer=列 の形で指定してください（列は見出し名か、左から数えた列番号。残高は balance=列）":
        "Cannot read the column mapping “{part}”. Give it as date=COL,amount=COL,payer=COL (COL is a header name "
        "or a column number counted from the left; the balance is balance=COL)",
    "列番号 {number} はありません（列は {count} 列です）": "There is no column {number} (the file has {count} columns)",
    "列「{column}」が見つかりません。見出し: {shown}": "Column “{column}” not found. Headers: {shown}",
    "{file}: 指定した列がそろった見出し行が見つかりません": "{file}: no header row has all the given columns",
    "{file}: 入出金明細の見出し行（取引日・入金金額・振込依頼人名など）が見つかりません。--map date=列,amount=列,payer=列 または列の対応づけ画面で、日付・入金額・振込依頼人名の列を指定してください。見つかった見出し: {shown}":
        "{file}: the statement's header row (transaction date, deposit amount, payer name …) was not found. "
        "Give the date, deposit and payer columns with --map date=COL,amount=COL,payer=COL or in the column "
        "mapping window. Headers found: {shown}",
    "金額を読み取れません（{value}）": "Cannot read the amount ({value})",
    "日付を読み取れません（{value}）": "Cannot read the date ({value})",
    "日付がありません": "The date is missing",
    "{file}: 読めない行があります。何も記録していません。": "{file}: some lines cannot be read. Nothing was recorded.",
    # members
    "会員番号 {number} が{first}行目と重複しています": "Member number {number} repeats line {first}",
    "会員番号 {number} は既に使われています": "Member number {number} is already in use",
    "会員（id {id}）が見つかりません": "Member (id {id}) not found",
    "会員 {number} {name}: 退会日が入会日より前です": "Member {number} {name}: the withdrawal date is before the join date",
    "会員 {number} {name} には請求書などの記録があるため削除できません。退会として登録してください。":
        "Member {number} {name} has invoices or other records and cannot be deleted. Record a withdrawal instead.",
    "{max}文字以内で入力してください": "Enter at most {max} characters",
    "登録されている会員種別から選んでください（{listed}）": "Choose a registered membership type ({listed})",
    "一覧の区分から選んでください（{listed}）": "Choose a category from the list ({listed})",
    "担当者（{index}人目）": "Contact ({index})",
    "{field}（{index}人目）": "{field} (contact {index})",
    # fees
    "会員種別「{type}」がありません": "There is no membership type “{type}”",
    "{year}年度 {type}: 金額は0以上にしてください": "FY{year} {type}: amounts must be 0 or more",
    "{year}年度 {type}: 税区分または按分方法が正しくありません": "FY{year} {type}: unknown tax category or proration",
    "{date}に退会": "withdrew on {date}",
    "{date}入会（年度後）": "joins on {date} (after the year)",
    "{type}は年会費0円": "{type} pays no annual fee",
    "{rule}（{date}入会）": "{rule} (joined {date})",
    "年額": "full year",
    "請求済み": "already billed",
    "休会中": "suspended",
    "お支払期限が発行日より前です": "The due date is before the issue date",
    "{year}年度の請求書はありません": "There are no invoices for FY{year}",
    # invoices
    "明細が1行もありません": "The document has no lines",
    "請求書（id {id}）が見つかりません": "Invoice (id {id}) not found",
    "請求書番号 {number} が見つかりません": "Invoice number {number} not found",
    "請求書 {number}: 取消の理由を入力してください": "Invoice {number}: enter the reason for cancelling",
    "請求書 {number} は既に取り消されています": "Invoice {number} is already cancelled",
    "請求書 {number} には入金が消し込まれています。先に入金を取り消してください":
        "Invoice {number} has payments allocated. Reverse the payments first",
    "請求書 {number} には返還請求書があります。先に返還請求書を取り消してください":
        "Invoice {number} has a credit note. Cancel the credit note first",
    "請求書 {number} には返還請求書を発行できません（取消済みまたは返還請求書）":
        "No credit note can be issued for {number} (cancelled, or itself a credit note)",
    "請求書 {number}: 返還額 {amount}円 が残りの請求額 {left}円 を超えています":
        "Invoice {number}: the refund of {amount} yen exceeds the {left} yen still invoiced",
    "請求の種類が正しくありません: {purpose}": "Unknown invoice purpose: {purpose}",
    "「お支払期限」: 発行日より前です": "“Due date”: before the issue date",
    "発行済みの請求書の明細は変更できません": "The lines of an issued invoice cannot be changed",
    "発行済みの請求書に明細は追加できません": "No lines can be added to an issued invoice",
    "発行済みの請求書は削除できません（取消してください）": "An issued invoice cannot be deleted (cancel it)",
    "明細 {position} 行目: 内容・数量（1以上）・単価（0以上）を確認してください":
        "Line {position}: check the description, quantity (1 or more) and unit price (0 or more)",
    "発行済みの請求書 {number} は変更できません（取消して再発行してください）":
        "Issued invoice {number} cannot be changed (cancel it and issue a new one)",
    "別のPCが同時に請求書を発行したため、番号が重なりました。何も保存していません。もう一度実行してください（発行済みの分は重複して発行されません）。":
        "Another PC issued invoices at the same moment and took the same number. Nothing was saved. "
        "Run it again (what was issued is not issued twice).",
    "返還額": "Refund",
    # payments
    "入金額は1円以上にしてください（{amount}円）": "A payment must be at least 1 yen ({amount} yen)",
    "入金方法が正しくありません: {method}": "Unknown payment method: {method}",
    "{date} {payer} {amount}円 は取込済みの明細です（二重入金を防ぎました）":
        "{date} {payer} {amount} yen was already imported (a double payment was prevented)",
    "消込額の合計が入金額 {amount}円 を超えています": "The allocations add up to more than the payment of {amount} yen",
    "入金（id {id}）が見つかりません": "Payment (id {id}) not found",
    "入金 {date} {amount}円 は既に取り消されています": "The payment of {date}, {amount} yen, is already reversed",
    "入金取消の理由を入力してください": "Enter the reason for reversing the payment",
    "請求書 {number} は取消済みのため消し込めません": "Invoice {number} is cancelled and cannot be settled",
    "請求書 {number} は別の会員の請求書です": "Invoice {number} belongs to another member",
    "請求書 {number}: 消込額 {amount}円 が未入金額 {open}円 を超えています":
        "Invoice {number}: the allocation of {amount} yen exceeds the {open} yen still open",
    # grants
    "証ひょう番号 {voucher} は既に登録されています": "Voucher number {voucher} is already registered",
    "証ひょう番号 {voucher} が{first}行目と重複しています": "Voucher number {voucher} repeats line {first}",
    "{name}: 支出を登録できません": "{name}: the expenditure cannot be saved",
    "{name}: 支出を修正できません": "{name}: the expenditure cannot be corrected",
    "補助事業（id {id}）が見つかりません": "Grant (id {id}) not found",
    "支出（id {id}）が見つかりません": "Expenditure (id {id}) not found",
    "{name} は{status}のため変更できません（変更するには、理由を付けて状態を戻してください）":
        "{name} is {status} and cannot be changed (to change it, move its status back with a reason)",
    "{name}: 流用元・流用先は交付決定の異なる経費区分から選んでください":
        "{name}: choose two different categories of the decision to move budget between",
    "{name}: 流用額は1円以上にしてください": "{name}: the amount moved must be at least 1 yen",
    "{name}: {category} の予算（流用後）が足りません": "{name}: the budget of {category} (after reallocation) is too small",
    "経費区分「{category}」は登録されていません（{known}）": "Category “{category}” is not registered ({known})",
    "{category}: 計画額は0以上、補助対象額は計画額以下です":
        "{category}: the planned amount must be 0 or more and the eligible amount at most the planned one",
    "{name}: {source} → {target} の流用 {total}円（今回 {amount}円を含む累計）は上限 {limit}円（低い方の計画額 {lower}円 の {percent}%）を超えます。事前に変更承認を受け、承認番号を付けて「変更承認」として登録してください。":
        "{name}: moving {total} yen from {source} to {target} (including {amount} yen now) exceeds the limit of "
        "{limit} yen ({percent}% of the lower planned amount, {lower} yen). Get the change approved first and "
        "record it as an approved change with its approval number.",
    "費目「{category}」は交付決定の経費区分にありません": "Category “{category}” is not in the grant decision",
    "同じ支払先・金額・支払日の支出が既にあります（{payee} {amount}円 {date}）":
        "An expenditure with the same payee, amount and date exists ({payee} {amount} yen {date})",
    "{field} {date} が事業期間（{start}〜{end}）の外です": "{field} {date} is outside the project period ({start} – {end})",
    "{category} の予算（流用後 {budget}円）を超えます（支出累計 {spent}円）":
        "Over the budget of {category} ({budget} yen after reallocation; {spent} yen spent)",
    "状態が正しくありません: {status}": "Unknown status: {status}",
    "「{current}」から「{new}」へは変更できません（1段階ずつ進めるか、理由を付けて1段階戻します）":
        "The status cannot go from “{current}” to “{new}” (move one step forward, or one step back with a reason)",
    "「{current}」から「{new}」へ戻す理由を入力してください": "Enter why the status goes back from “{current}” to “{new}”",
    "削除の理由を入力してください": "Enter the reason for deleting",
    "期間は START:END（例 2026-04-01:2027-03-31）で指定してください": "Give the period as START:END (e.g. 2026-04-01:2027-03-31)",
    "予算は 費目=円（例 旅費=500000）で指定してください": "Give a budget as CATEGORY=YEN (e.g. 旅費=500000)",
    # settings
    "名称を入力してください": "Enter a name",
    "0以上の金額を入力してください": "Enter an amount of 0 or more",
    "税区分が正しくありません": "Unknown tax category",
    "「{name}」は既にあります": "“{name}” already exists",
    # command line
    "知らないコマンドです: {command}": "Unknown command: {command}",
    "中断しました": "Interrupted",
    "エラー: {error}\n詳細はログに記録しました: {path}": "Error: {error}\nDetails were written to the log: {path}",
    # one source string, one meaning
    "会員|{n} 件": "{n} members",
    "請求|{n} 件": "{n} invoices",
    # code lists (domain.choices)
    "発行済": "Issued",
    "返還請求書": "Credit note",
    "年会費": "Annual fee",
    "税抜": "Tax excluded",
    "税込": "Tax included",
    # session 4: the last code columns checked (0018)
    "役職「{role}」は一覧にありません: {known}": "The role “{role}” is not in the list: {known}",
}
