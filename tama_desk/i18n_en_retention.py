"""English for retention, document re-checks and the daily backup warning (issue #15, session 3)."""

ENGLISH_RETENTION = {
    "{record}は{until}まで保存が必要なため削除できません（法定の保存期間）。取消・訂正として記録してください":
        "{record} must be kept until {until} (statutory retention period) and cannot be deleted; record a "
        "cancellation or a correction instead",
    "支出 {voucher}（{category} {amount}円）": "Expenditure {voucher} ({category} {amount} yen)",
    "{day}の{kind}「{title}」": "the {kind} \"{title}\" of {day}",
    "保存期間内の記録は削除できません（取消・訂正として記録してください）":
        "A record inside its retention period cannot be deleted (record a cancellation or a correction)",
    "{numbers} は発行時の記録（ハッシュ）と一致しません。発行後に書き換えられた可能性があるため、開く・保存・"
    "印刷はできません（audit verify で確認してください）":
        "{numbers} no longer match the hash recorded when issued. They may have been altered after issue, so "
        "they cannot be opened, saved or printed (check with audit verify)",
    "本日の自動バックアップに失敗しました: {reason}": "Today's automatic backup failed: {reason}",
    "ディスクの空きがありません": "the disk is full",
    "バックアップの保存先に書き込めません（アクセス権・読み取り専用）":
        "the backup folder cannot be written (permissions or read-only)",
    "ファイルを書き込めません（{error}）": "a file cannot be written ({error})",
    "データベースを読めません（{error}）": "the database cannot be read ({error})",
    "予期しないエラー（{error}）": "an unexpected error ({error})",
    "{time} {message}": "{time} {message}",
    "{line}行目: {field}（{start}〜{end}バイト目）に Shift_JIS で読めないバイトがあります":
        "line {line}: {field} (bytes {start}-{end}) holds bytes that are not Shift_JIS",
    "改ざんの可能性があります": "Possibly altered",
    "保存期間内の記録です": "Within its retention period",
}
