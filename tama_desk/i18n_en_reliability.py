"""English for backups, restore, the audit chain, locking and input checks (Japanese is the source text)."""

ENGLISH_RELIABILITY = {
    "データベースのファイルがネットワーク上の共有フォルダにあります。複数のPCから同じファイルを使うと壊れるおそれがあります。"
    "共有するには PostgreSQL サーバーを使ってください（README「For Windows users」）":
        "The database file is on a network share. Used from several PCs it can be damaged. "
        "To share data, use a PostgreSQL server (README, For Windows users).",
    "このデータベースは新しい版の TAMA Desk で更新されています（スキーマ {revision}）。この版では開けません。"
    "TAMA Desk を更新してください":
        "This database was updated by a newer TAMA Desk (schema {revision}). This version cannot open it. "
        "Please update TAMA Desk.",
    "他のPCがデータベースに書き込み中です。しばらくしてからもう一度お試しください（何も失われていません。この操作は保存していません）":
        "Another PC is writing to the database. Please try again in a moment (nothing was lost; this action was "
        "not saved).",
    "同じ記録が他のPCから同時に書き込まれました。この操作は保存していません。もう一度実行すると残りだけを処理します":
        "Another PC wrote the same records at the same time. This action was not saved; run it again to process "
        "only what is left.",
    "保存できませんでした（{reason}）。この操作は保存していません": "Could not save ({reason}). This action was not saved.",
    "発行済みの請求書は変更できません（取消して再発行してください）":
        "An issued invoice cannot be changed (cancel it and issue a new one).",
    "ディスクがいっぱいです": "the disk is full",
    "データベースが読み取り専用です": "the database is read-only",
    "保存できない値があります。何も保存していません": "Some values cannot be saved. Nothing was saved.",
    "他のPCで {user} が {time} に変更しました。最新の内容を読み込みますか？":
        "{user} changed this on another PC at {time}. Load the latest version?",
    "発行済みの請求書の明細は変更できません": "The lines of an issued invoice cannot be changed.",
    "発行済みの請求書に明細は追加できません": "Lines cannot be added to an issued invoice.",
    "発行済みの請求書は削除できません（取消してください）": "An issued invoice cannot be deleted (cancel it).",
    "制御文字（NUL・書式制御など）は入力できません": "Control characters (NUL, formatting controls …) are not allowed.",
    "{max}文字以内で入力してください": "Enter at most {max} characters.",
    "発行済みの請求書 {number} は変更できません（取消して再発行してください）":
        "Issued invoice {number} cannot be changed (cancel it and issue a new one).",
    "金額・数値が大きすぎます（{limit}未満）": "The amount or number is too large (must be below {limit}).",
    "日付は1900年から2100年の間で入力してください": "Enter a date between 1900 and 2100.",
    "バックアップの保存先（{folder}）にコピーがありません": "The backup folder ({folder}) holds no copy.",
    "バックアップの保存先（{folder}）の最新のコピーは {date} のものです（1週間以上前）":
        "The newest copy in the backup folder ({folder}) is from {date} (over a week ago).",
    "バックアップを作成できないため中止しました（{error}）。何も変更していません":
        "Stopped: no backup could be written ({error}). Nothing was changed.",
    "バックアップ {name} を読めません（壊れているか、バックアップではありません）":
        "Cannot read backup {name} (damaged, or not a backup).",
    "バックアップ {name}: {member} がありません": "Backup {name}: {member} is missing.",
    "バックアップ {name}: {member} のチェックサムが一致しません": "Backup {name}: the checksum of {member} does not match.",
    "バックアップ {name}: {member} が壊れています": "Backup {name}: {member} is damaged.",
    "バックアップ {name} は新しい版の TAMA Desk で作成されています（スキーマ {revision}）。TAMA Desk を更新してから復元してください":
        "Backup {name} was made by a newer TAMA Desk (schema {revision}). Update TAMA Desk, then restore.",
    "データベースが壊れています（{problem}）。\n最新の正常なバックアップ（{time}）から復元しますか？ 今のファイルは別名で残します。":
        "The database is damaged ({problem}).\nRestore the latest good backup ({time})? The current file is kept "
        "under another name.",
    "データベースが壊れています（{problem}）。使えるバックアップが見つかりません。ログの場所: {logs}":
        "The database is damaged ({problem}). No usable backup was found. Logs: {logs}",
    "バックアップ {name} のデータベースが壊れています（{problem}）": "The database in backup {name} is damaged ({problem}).",
    "バックアップ {name} に不正なファイル名があります": "Backup {name} contains an invalid file name.",
    "移行先のデータベースには既にデータがあります（{tables}）。空のデータベースを指定してください":
        "The target database already holds data ({tables}). Name an empty database.",
    "{path}: ファイルが見つかりません": "{path}: file not found",
    "--to {path}: フォルダを指定してください": "--to {path}: name a folder",
    "バックアップを書けません（{error}）: {path}": "Cannot write the backup ({error}): {path}",
    "ファイルを読み書きできません: {path}（{reason}）": "Cannot read or write the file: {path} ({reason})",
    "発行の記録がありません（改ざんの可能性があります）": "No record of issuing this document (it may have been tampered with).",
    "発行後に内容が変更されています（改ざんの可能性があります）":
        "The document was changed after it was issued (it may have been tampered with).",
    "データベースのファイルではありません": "not a database file",
    "ファイルの中身が壊れています": "the file's content is damaged",
    "バックアップ {name}: 表 {table} の行数が一致しません（{found} / {expected}）":
        "Backup {name}: the row count of table {table} does not match ({found} / {expected}).",
    "表 {table} を移せませんでした（{found} / {expected} 行）。何も書き込んでいません":
        "Could not copy table {table} ({found} / {expected} rows). Nothing was written.",
    "監査ログは追記のみで、変更・削除できません": "the audit log is append-only: entries cannot be changed or deleted",
    "データベースのファイルが壊れています。`restore` で最新のバックアップから復元できます"
    "（`backups list` で一覧、今のファイルは控えとして残します）":
        "The database file is damaged. `restore` brings back the latest backup (`backups list` lists them; "
        "the current file is kept aside).",
    # the window: ファイル → バックアップを作成 / 復元…, the day's backup, the dashboard's warning line
    "バックアップを作成": "Create backup",
    "復元…": "Restore…",
    "バックアップ": "Backup",
    "バックアップを作成しました: {path}": "Backup written: {path}",
    "本日のバックアップを作成できませんでした（{error}）": "Today's backup could not be written ({error}).",
    "復元するバックアップを選択": "Choose the backup to restore",
    "{name}（{created}）の内容でデータベースを置き換えます。\n今のデータベースはバックアップとして残します。よろしいですか？":
        "The database will be replaced by {name} ({created}).\nThe current database is kept as a backup. Continue?",
    "復元": "Restore",
    "復元する": "Restore",
    "復元しました: {name}": "Restored: {name}",
    "バックアップの保存先を確認できません（{error}）": "Cannot check the backup folder ({error}).",
    "他のPCで変更されています": "Changed on another PC",
    "最新の内容を読み込む": "Load the latest",
    "このまま閉じない": "Keep this open",
}
