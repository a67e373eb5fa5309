"""The parts every official document shares: who issues it, its number, the place-date line, who signs.

Decree 30/2020/NĐ-CP, Appendix I: the issuing body top left (its parent body above it
when it is a team or an office), the number beneath; the national motto block top right
with the place-date line; the signature block bottom right; the recipients bottom left.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit
from inspections.models import InspectionPlan, TeamMember

from . import formatting


@dataclass
class Signature:
    """A signature block: the capacity lines (TM. …, KT. …, title), then the signer's name."""

    lines: list[str]
    name: str = ""
    note: str = ""


@dataclass
class Letterhead:
    parent_body: str
    issuing_body: str
    number: str
    place: str
    date: dt.date | None
    document_kind: str
    subject: str
    recipients: list[str] = field(default_factory=list)
    draft: bool = False

    @property
    def date_line(self) -> str:
        if self.date is None:
            return _("%(place)s, day … month … year …") % {"place": self.place}
        return f"{self.place}, {formatting.long_date(self.date)}"


def committee_title(unit: AdministrativeUnit) -> str:
    """ỦY BAN NHÂN DÂN HUYỆN TÂN HIỆP: the authority as the letterhead writes it."""
    return formatting.committee_of(unit).upper()


def team_lead(plan: InspectionPlan) -> TeamMember | None:
    team = getattr(plan, "team", None)
    if team is None:
        return None
    return team.members.filter(role=TeamMember.Role.LEAD).select_related("user").first()


def team_signature(plan: InspectionPlan) -> Signature:
    """TM. ĐOÀN KIỂM TRA / TRƯỞNG ĐOÀN, signed by the team lead."""
    lead = team_lead(plan)
    return Signature(
        lines=[_("ON BEHALF OF THE INSPECTION TEAM"), _("TEAM LEAD")],
        name=str(lead.user) if lead else "",
        note=(lead.position or lead.user.position) if lead else "",
    )


# "Phó Chủ tịch UBND huyện Tân Hiệp": the body after the title is already on the "TM." line.
_BODY_SUFFIX = re.compile(
    r"\s+(UBND|Ủy ban nhân dân|Uỷ ban nhân dân|of the People's Committee|People's Committee)\b.*$", re.IGNORECASE
)


def office_title(position: str) -> str:
    """A signer's title without the body it belongs to: Phó Chủ tịch UBND huyện → Phó Chủ tịch."""
    title = str(position or "").split(",")[0].strip()
    return _BODY_SUFFIX.sub("", title).strip()


def committee_signature(signer_name: str, signer_title: str) -> Signature:
    """TM. ỦY BAN NHÂN DÂN, then KT. CHỦ TỊCH / PHÓ CHỦ TỊCH when a vice-chairman signs for the chairman.

    The signer's title is printed without the committee it belongs to, which the first line names.
    """
    title = office_title(signer_title) or str(_("Chairman"))
    lines = [_("ON BEHALF OF THE PEOPLE'S COMMITTEE")]
    if title.lower() != str(_("Chairman")).lower():
        lines.append(_("FOR THE CHAIRMAN"))
    lines.append(title.upper())
    return Signature(lines=lines, name=signer_name)


def recipient_lines(text: str, archive: str) -> list[str]:
    """The recipients typed one a line, each closed by ";", the archive line last and written once."""
    lines = []
    for raw in str(text or "").splitlines():
        line = raw.strip().lstrip("-–•").strip().rstrip(";.,").strip()
        if not line or line.casefold().startswith(("lưu:", "lưu ", "archive:")):
            continue
        lines.append(f"{line};")
    return [*lines, archive]


def place_of(unit: AdministrativeUnit) -> str:
    """The place in the place-date line: the unit's name without its kind (Tân Hiệp)."""
    return unit.name
