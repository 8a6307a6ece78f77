"""`python -m tama_desk settings show|set`: the association profile (設定) for a scripted set-up."""

from __future__ import annotations

import argparse

from tama_desk.errors import UserError
from tama_desk.i18n import t

OPTIONS = (  # option, profile field
    ("--name", "name"), ("--registration-number", "registration_number"),
    ("--representative", "representative"), ("--postal-code", "postal_code"), ("--address", "address"),
    ("--phone", "phone"), ("--email", "email"),
)


def add_commands(commands, common: argparse.ArgumentParser) -> None:
    settings = commands.add_parser("settings", parents=[common], help="the association profile (設定)").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    settings.add_parser("show", parents=[common], help="print the association profile")
    change = settings.add_parser("set", parents=[common], help="change fields of the profile, validated as in 設定")
    for option, key in OPTIONS:
        change.add_argument(option, dest=key, default=None, metavar="TEXT")


def run(args, db) -> int:
    from tama_desk.services import profile

    if args.action == "show":
        with db.reading() as session:
            current = profile.get_profile(session)
            for key, label in profile.PROFILE_LABELS.items():
                print(f"{t(label)}\t{getattr(current, key)}")
        return 0
    if args.action == "set":
        values = {key: getattr(args, key) for _option, key in OPTIONS if getattr(args, key) is not None}
        if not values:
            raise UserError("変更する項目を指定してください（--name など）")
        with db.transaction() as session:
            profile.update_profile(session, values)
        print(t("設定を保存しました: {fields}", fields="、".join(t(profile.PROFILE_LABELS[key]) for key in values)))
        return 0
    raise UserError("unknown command: settings {action}", action=args.action)
