"""English for the window shell: menu bar, status bar, keyboard help, dashboard and first-start guide, demo."""

ENGLISH_SHELL = {
    # menu bar
    "ファイル": "File",
    "編集": "Edit",
    "表示": "View",
    "ヘルプ": "Help",
    "新規作成…": "New…",
    "エクスポート…": "Export…",
    "一括請求…": "Annual billing…",
    "設定…": "Settings…",
    "データフォルダを開く": "Open data folder",
    "ログフォルダを開く": "Open log folder",
    "終了": "Exit",
    "{area}を開く": "Open {area}",
    "新規登録…": "New member…",
    "インポート…": "Import…",
    "請求書の作成…": "New invoice…",
    "入金明細の取込…": "Import bank statement…",
    "PDF出力…": "Invoice PDFs…",
    "督促状…": "Reminders…",
    "会費台帳 (Excel)…": "Fee ledger (Excel)…",
    "売掛金年齢表 (Excel)…": "Aging report (Excel)…",
    "入金一覧 (Excel)…": "Payments list (Excel)…",
    "新規…": "New…",
    "支出一覧 Excel…": "Expenditure list (Excel)…",
    "最新の情報に更新": "Refresh",
    "最新の情報に更新しました": "Refreshed",
    "キーボード操作": "Keyboard shortcuts",
    "メニュー": "Menu",
    "バージョン情報": "About",
    "検索欄: 最初の1件を開く": "Search box: open the first match",
    "検索欄: 一覧へ移動": "Search box: move into the list",
    "ダイアログ: 実行": "Dialog: run the main button",
    "ダイアログ: 閉じる": "Dialog: close",
    "{app} {version}\nデータベース: {db}\nデータフォルダ: {folder}": "{app} {version}\nDatabase: {db}\nData folder: {folder}",
    # status bar
    "{name} (ローカル)": "{name} (local)",
    "メモリ": "memory",
    "データベースを開いています…": "Opening the database…",
    # dashboard
    "設定を開く": "Open Settings",
    "集計しています…": "Adding up…",
    "集計できませんでした": "Could not add up the figures",
    "請求書 {n} 通": "{n} invoices",
    "補助金 支出済": "Grants spent",
    "{n} 事業・予算の {p}%": "{n} grants, {p}% of budget",
    # first-start guide
    "はじめに": "Getting started",
    "データベースにはまだ会員がいません。次の順に始めてください。": "The database has no members yet. Start in this order.",
    "団体情報を登録する": "Enter the association's details",
    "請求書や報告書に印字する団体名・代表者・住所・登録番号・振込先口座。":
        "The name, representative, address, registration number and bank account printed on invoices and reports.",
    "会員を登録する": "Add the members",
    "今の会員名簿（Excel / CSV）を取り込むか、1件ずつ登録します。":
        "Import your current member list (Excel / CSV) or add members one by one.",
    "会員の取込…": "Import members…",
    "会員の登録…": "Add a member…",
    "取込用テンプレート…": "Import template…",
    "または、試してみる": "Or try it out",
    "架空の団体（会員 {n} 件、2年度分の会費と入金、補助金 2 件）で操作を試せます。\n業務に使うデータベースには読み込まないでください。":
        "Try the app with a fictional association ({n} members, two fiscal years of fees and payments, two "
        "grants).\nDo not load it into the database you use for work.",
    "デモデータを読み込む…": "Load the demo data…",
    "架空の団体のデモデータを読み込みます（会員 {n} 件ほか）。\n業務に使うデータベースには読み込まないでください。":
        "This loads the demo data of a fictional association ({n} members and more).\n"
        "Do not load it into the database you use for work.",
    "読み込む": "Load",
    "開く": "Open",
    # demo summary
    "デモデータを読み込みました: {what}": "Demo data loaded: {what}",
    "{label} {n:,} 件": "{label}: {n:,}",
}
