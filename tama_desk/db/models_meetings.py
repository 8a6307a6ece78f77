"""Meetings, their participants and agenda, amendments of confirmed minutes, consents for resolutions without
a meeting, action items, business-matching pairings and their follow-ups, and the 定款 settings for minutes.

A meeting whose minutes are confirmed (議事録確定) is frozen: services.meetings refuses any change to it or
its participants, items and consents at flush time; a correction is a dated MeetingAmendment.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tama_desk.db import models
from tama_desk.db.models import Audited, Base, Member, Versioned


class Meeting(Versioned, Audited, Base):
    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # domain.meetings.KINDS
    title: Mapped[str] = mapped_column(String(200))
    series: Mapped[str] = mapped_column(String(200), default="")  # e.g. 上海ビジネス研究会 (第n回)
    day: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time | None] = mapped_column(Time, nullable=True)
    end_time: Mapped[time | None] = mapped_column(Time, nullable=True)
    place: Mapped[str] = mapped_column(String(300), default="")
    online: Mapped[str] = mapped_column(String(300), default="")  # how remote participants took part
    calling_case: Mapped[str] = mapped_column(String(50), default="")  # domain.meetings.CALLING_CASES
    called_by: Mapped[str] = mapped_column(String(100), default="")
    chair: Mapped[str] = mapped_column(String(100), default="")
    recorder: Mapped[str] = mapped_column(String(100), default="")
    minute_signers: Mapped[str] = mapped_column(String(300), default="")  # 議事録署名人 (社員総会), 、-separated
    statements: Mapped[str] = mapped_column(Text, default="")  # 法定の意見・発言の概要
    status: Mapped[str] = mapped_column(String(20), default="予定", index=True)
    # 社員総会: all members and voting rights (from the registry when attendance is imported, or typed)
    total_members: Mapped[int | None] = mapped_column(Integer, nullable=True)
    total_votes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # without a meeting (法96条/98条, 58条/59条)
    without_meeting: Mapped[bool] = mapped_column(Boolean, default=False)
    deemed_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    proposer: Mapped[str] = mapped_column(String(100), default="")
    auditor_objection: Mapped[bool] = mapped_column(Boolean, default=False)
    # 商談会
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(100), default="")
    counterpart_body: Mapped[str] = mapped_column(String(200), default="")
    coordinator: Mapped[str] = mapped_column(String(100), default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    confirmed_by: Mapped[str] = mapped_column(String(100), default="")
    retention_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    participants: Mapped[list[Participant]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Participant.position")
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.id")
    consents: Mapped[list[MeetingConsent]] = relationship(cascade="all, delete-orphan",
                                                          order_by="MeetingConsent.id")
    amendments: Mapped[list[MeetingAmendment]] = relationship(order_by="MeetingAmendment.id")
    pairings: Mapped[list[Pairing]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                   order_by="Pairing.position")


class Participant(Versioned, Audited, Base):
    __tablename__ = "meeting_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(30))  # domain.meetings.ROLES
    title: Mapped[str] = mapped_column(String(200), default="")  # 所属・役職 as printed
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True, index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"), nullable=True)
    attendance: Mapped[str] = mapped_column(String(10), default="欠席")
    proxy_to: Mapped[str] = mapped_column(String(100), default="")  # 委任先
    votes: Mapped[int] = mapped_column(Integer, default=1)  # 議決権数
    arrival: Mapped[time | None] = mapped_column(Time, nullable=True)
    departure: Mapped[time | None] = mapped_column(Time, nullable=True)
    note: Mapped[str] = mapped_column(String(300), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    member: Mapped[Member | None] = relationship()


class AgendaItem(Versioned, Audited, Base):
    __tablename__ = "meeting_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # per kind: 第n号議案 / 報告事項n
    kind: Mapped[str] = mapped_column(String(10))  # 決議 | 報告
    special: Mapped[bool] = mapped_column(Boolean, default=False)  # 特別決議 (社員総会)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")  # 議事の経過の要領
    result: Mapped[str] = mapped_column(String(10), default="")
    at: Mapped[time | None] = mapped_column(Time, nullable=True)  # when it was put to the vote
    votes_for: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: 全員異議なく
    votes_against: Mapped[int] = mapped_column(Integer, default=0)
    votes_abstain: Mapped[int] = mapped_column(Integer, default=0)
    members_for: Mapped[int | None] = mapped_column(Integer, nullable=True)
    interested: Mapped[str] = mapped_column(String(300), default="")  # 特別の利害関係を有する理事, 、-separated

    meeting: Mapped[Meeting] = relationship(back_populates="items")

    @property
    def interested_names(self) -> tuple[str, ...]:
        return tuple(name for name in self.interested.split("、") if name)


class MeetingConsent(Audited, Base):
    """法96条/58条: a director's (member's) consent in writing, or a 監事's statement of no objection."""

    __tablename__ = "meeting_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(30))
    consented_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    objection: Mapped[bool] = mapped_column(Boolean, default=False)


class MeetingAmendment(Audited, Base):
    """A correction of confirmed minutes: dated, with its reason, printed after the minutes; never edited."""

    __tablename__ = "meeting_amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    amended_on: Mapped[date] = mapped_column(Date)
    what: Mapped[str] = mapped_column(String(300))  # 訂正箇所
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(300))


class ActionItem(Versioned, Audited, Base):
    """Something someone must do, created by an agenda item (or a meeting in general)."""

    __tablename__ = "action_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), nullable=True,
                                                   index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_item.id", ondelete="SET NULL"), nullable=True)
    owner: Mapped[str] = mapped_column(String(100))
    what: Mapped[str] = mapped_column(String(300))
    due: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(10), default="未着手", index=True)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    carried_to_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"), nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting | None] = relationship(foreign_keys=[meeting_id])
    item: Mapped[AgendaItem | None] = relationship()


class Pairing(Versioned, Audited, Base):
    """One business-matching meeting at a 商談会: our member × a counterpart company."""

    __tablename__ = "matching_pairing"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    counterpart: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(100), default="")
    industry: Mapped[str] = mapped_column(String(100), default="")
    slot: Mapped[time | None] = mapped_column(Time, nullable=True)
    interpreter: Mapped[str] = mapped_column(String(100), default="")
    outcome: Mapped[str] = mapped_column(String(20), default="")  # domain.meetings.OUTCOMES
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    follow_up_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    contract_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    contract_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    contract_note: Mapped[str] = mapped_column(String(300), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="pairings")
    member: Mapped[Member] = relationship()
    follow_ups: Mapped[list[FollowUp]] = relationship(back_populates="pairing", cascade="all, delete-orphan",
                                                      order_by="FollowUp.due")


class FollowUp(Versioned, Audited, Base):
    __tablename__ = "matching_follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("matching_pairing.id", ondelete="CASCADE"), index=True)
    due: Mapped[date] = mapped_column(Date, index=True)
    owner: Mapped[str] = mapped_column(String(100), default="")
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    outcome: Mapped[str] = mapped_column(String(20), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    pairing: Mapped[Pairing] = relationship(back_populates="follow_ups")


class MeetingSettings(Versioned, Audited, Base):
    """The 定款's rules for minutes and 社員総会 votes (設定). One row, id 1."""

    __tablename__ = "meeting_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_signers: Mapped[str] = mapped_column(String(20), default="attending")  # domain.meetings.BOARD_SIGNERS
    assembly_signer_count: Mapped[int] = mapped_column(Integer, default=2)  # 議事録署名人 besides the 議長
    assembly_quorum: Mapped[str] = mapped_column(String(10), default="1/2")  # share of all votes; "0": none
    follow_up_owner: Mapped[str] = mapped_column(String(100), default="事務局")


models.check_codes()  # this module's code columns, if it was imported before db.models
