"""English for the receipt (領収書) messages."""

ENGLISH_RECEIPTS = {
    "会員番号 {number} の会員が見つかりません": "No member has the number {number}",
    "{date} {amount}円 の入金はどの請求書にも消し込まれていません":
        "The payment of {amount} yen on {date} has not been matched to any invoice",
    "取り消された入金、または存在しない入金には領収書を発行できません":
        "No receipt can be issued for a reversed or unknown payment",
}
