"""Build the demo story idempotently: a second run finds every row in place and writes nothing."""

import datetime as dt
import random
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from accounts.models import DemoDataset, Membership, User
from communes.models import AdministrativeUnit, Department, UnitSuccession

from ..models import (
    ClassificationBand,
    ConclusionNotice,
    CriteriaSet,
    Criterion,
    CriterionScore,
    Finding,
    InspectionPlan,
    InspectionTeam,
    Minutes,
    Remedy,
    ReviewArea,
    ScoreContest,
    TeamGroup,
    TeamMember,
    Visit,
)
from ..services.carry_over import finding_carry_over, plan_create_from_previous
from ..services.closing import conclusion_issue, conclusion_recipients_draft, minutes_sign
from . import people
from .appeal import build_appeal_demo
from .criteria import AREAS, BANDS_2019, BANDS_2020, CRITERIA_2020, criteria_2019
from .portal import build_portal_demo
from .scoring import build_scoring_2021
from .texts import (
    ANSWER,
    ANSWER_B,
    PURPOSE,
    QUESTION,
    QUESTION_B,
    RECOMMENDATIONS,
    SCOPE,
    SHORTCOMINGS,
    STRENGTH_AREAS,
    STRENGTHS,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
QUARTER = Decimal("0.25")
DEMO_NAME = "tan-hiep-2020"
# The article's round, 05–14/10/2020: two communes a day at most.
DAYS_2020 = [dt.date(2020, 10, d) for d in (5, 5, 6, 6, 7, 8, 8, 9, 12, 13, 14)]
# Questions the team answered during the 2020 visits.
QUESTIONS_2020 = {"Tân Thành": (QUESTION, ANSWER), "Tân Hội": (QUESTION_B, ANSWER_B)}
# Where each commune stands in the 2021 round the demo shows: none signed yet.
STATES_2021 = {
    "Tân Hiệp": "appraised",
    "Tân Thành": "appraising",
    "Tân Hiệp B": "appraising",
    "Tân Hòa": "appraising",
    "Thạnh Đông B": "submitted",
    "Thạnh Đông": "submitted",
    "Tân Hiệp A": "submitted",
    "Tân An": "self_assessment",
    "Tân Hội": "self_assessment",
    "Thạnh Đông A": "self_assessment",
    "Thạnh Trị": "scheduled",
}


def upsert(model, defaults: dict | None = None, **lookup):
    """Get the row by `lookup`, create it, or update only the fields that differ."""
    defaults = defaults or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults)
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save(update_fields=changed)
    return obj


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


class DemoBuilder:
    def __init__(self):
        self.units: dict[str, AdministrativeUnit] = {}
        self.departments: dict[str, Department] = {}
        self.users: dict[str, User] = {}

    @transaction.atomic
    def build(self) -> None:
        self.build_units()
        self.build_people()
        set_2019 = self.build_criteria_set(2019, criteria_2019(), BANDS_2019)
        set_2020 = self.build_criteria_set(2020, CRITERIA_2020, BANDS_2020)
        plan_2019 = self.build_plan_2019(set_2019)
        plan_2020 = self.build_plan_2020(set_2020, plan_2019)
        plan_2021 = self.build_plan_2021(plan_2020)
        build_scoring_2021(self, plan_2021)
        build_portal_demo(self)
        upsert(DemoDataset, name=DEMO_NAME)

    # Units, departments, people -------------------------------------------------

    def build_units(self):
        """The official units of Tân Hiệp and their successors; `import_units` finds them in place."""
        before, after = {"valid_to": people.BEFORE_REFORM}, {"valid_from": people.REFORM_DAY}
        province = upsert(
            AdministrativeUnit,
            code=people.PROVINCE["code"],
            level=1,
            **before,
            defaults={"name": people.PROVINCE["name"], "kind": people.PROVINCE["kind"]},
        )
        successor = upsert(
            AdministrativeUnit,
            code=people.SUCCESSOR_PROVINCE["code"],
            level=1,
            **after,
            defaults={"name": people.SUCCESSOR_PROVINCE["name"], "kind": people.SUCCESSOR_PROVINCE["kind"]},
        )
        upsert(UnitSuccession, successor=successor, predecessor=province, defaults=people.PROVINCE_MERGER)
        district = upsert(
            AdministrativeUnit,
            code=people.DISTRICT["code"],
            level=2,
            **before,
            defaults={"name": people.DISTRICT["name"], "kind": people.DISTRICT["kind"], "parent": province},
        )
        self.province, self.district, self.successor_province = province, district, successor
        for code, name, kind in people.COMMUNES:
            self.units[name] = upsert(
                AdministrativeUnit,
                code=code,
                level=3,
                **before,
                defaults={"name": name, "kind": kind, "parent": district},
            )
        self.successors: dict[str, AdministrativeUnit] = {}
        for code, name, kind, predecessors in people.SUCCESSOR_COMMUNES:
            unit = upsert(
                AdministrativeUnit,
                code=code,
                level=3,
                **after,
                defaults={"name": name, "kind": kind, "parent": successor},
            )
            self.successors[name] = unit
            for predecessor in predecessors:
                upsert(
                    UnitSuccession,
                    successor=unit,
                    predecessor=self.units[predecessor],
                    defaults={"effective_on": people.REFORM_DAY, "partial": False, "legal_basis": ""},
                )
        for order, (key, name, short, standing) in enumerate(people.DEPARTMENTS):
            self.departments[key] = upsert(
                Department,
                authority=district,
                name=name,
                defaults={"short_name": short, "is_standing_body": standing, "order": order},
            )

    def _user(self, username: str, full_name: str, position: str, can_log_in: bool) -> User:
        # The demo's accounts have addresses on a reserved domain: under `make run` their mail is a file in var/mail/.
        defaults = {"full_name": full_name, "position": position}
        if can_log_in:
            defaults["email"] = f"{username}@demo.invalid"
        user = upsert(User, username=username, defaults=defaults)
        if can_log_in and not user.check_password(settings.DEMO_PASSWORD):
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if not can_log_in and user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def build_people(self):
        for username, full_name, position, role, unit_name in people.ACCOUNTS:
            user = self._user(username, full_name, position, can_log_in=True)
            self.users[username] = user
            if role is None:
                if not (user.is_superuser and user.is_staff):
                    user.is_superuser = user.is_staff = True
                    user.save(update_fields=["is_superuser", "is_staff"])
                continue
            unit = self.units[unit_name] if unit_name else self.district
            department = None
            for member in people.TEAM:
                if member[0] == username and member[3]:
                    department = self.departments[member[3]]
            # The district's chairman (Chủ tịch UBND huyện) holds its viewer role, marked as its chairman.
            chairman = role == Membership.Role.VIEWER and position.startswith("Chủ tịch UBND")
            upsert(
                Membership,
                user=user,
                unit=unit,
                role=role,
                defaults={"department": department, "is_chairman": chairman},
            )
        for username, full_name, position, *_rest in people.TEAM:
            if username not in self.users:
                self.users[username] = self._user(username, full_name, position, can_log_in=False)
        self.build_commune_people()

    def build_commune_people(self):
        """Each commune's chairman and office civil servant; the demo accounts where they exist."""
        self.chairmen: dict[str, User] = {}
        self.staff: dict[str, User] = {}
        known = {
            (people.COMMUNE_A, "chairman"): "commune_a_lead",
            (people.COMMUNE_A, "staff"): "commune_a",
            (people.COMMUNE_B, "staff"): "commune_b",
        }
        for code, name, _kind in people.COMMUNES:
            unit = self.units[name]
            sentence = unit.name_in_sentence
            _party, chairman, staff = people.COMMUNE_PEOPLE[name]
            for seat, full_name, position, role, found in (
                ("chairman", chairman, people.chairman_position(sentence), "commune_lead", self.chairmen),
                ("staff", staff, f"{people.STAFF_POSITION} {sentence}", "commune_staff", self.staff),
            ):
                username = known.get((name, seat))
                if username is None:
                    username = f"{seat}_{code}"
                    self.users[username] = self._user(username, full_name, position, can_log_in=False)
                    upsert(Membership, user=self.users[username], unit=unit, role=role, defaults={"department": None})
                found[name] = self.users[username]

    # Criteria ---------------------------------------------------------------------

    def build_criteria_set(self, year: int, data: dict, bands: list) -> CriteriaSet:
        criteria_set = upsert(
            CriteriaSet,
            authority=self.district,
            year=year,
            name=f"Bộ tiêu chí đánh giá công tác CCHC cấp xã năm {year}",
            defaults={
                "status": CriteriaSet.Status.PUBLISHED,
                "total_max": Decimal("100"),
                "legal_basis": "Kế hoạch CCHC của UBND huyện Tân Hiệp (minh họa)",
            },
        )
        order = 0
        for area_order, (code, number, title, title_en) in enumerate(AREAS):
            area = upsert(
                ReviewArea,
                criteria_set=criteria_set,
                code=code,
                defaults={"number": number, "title": title, "title_en": title_en, "order": area_order},
            )
            for c_code, c_title, c_max, c_guidance, c_evidence, children in data[code]:
                order += 1
                parent = upsert(
                    Criterion,
                    criteria_set=criteria_set,
                    code=c_code,
                    defaults={
                        "area": area,
                        "parent": None,
                        "title": c_title,
                        "max_score": c_max,
                        "guidance": c_guidance,
                        "expected_evidence": c_evidence,
                        "scoring_options": [],
                        "order": order,
                    },
                )
                for s_code, s_title, s_max, s_guidance, s_evidence, options in children:
                    order += 1
                    upsert(
                        Criterion,
                        criteria_set=criteria_set,
                        code=s_code,
                        defaults={
                            "area": area,
                            "parent": parent,
                            "title": s_title,
                            "max_score": s_max,
                            "guidance": s_guidance,
                            "expected_evidence": s_evidence,
                            "scoring_options": options or [],
                            "order": order,
                        },
                    )
        for label, threshold, color in bands:
            upsert(
                ClassificationBand,
                criteria_set=criteria_set,
                label=label,
                defaults={"min_percent": threshold, "color": color},
            )
        return criteria_set

    # Campaigns --------------------------------------------------------------------

    def build_team(self, plan: InspectionPlan, criteria_set: CriteriaSet, decision: str, decision_date: dt.date):
        team = upsert(
            InspectionTeam,
            plan=plan,
            defaults={
                "name": f"Đoàn kiểm tra công tác cải cách hành chính huyện Tân Hiệp năm {plan.year}",
                "decision_number": decision,
                "decision_date": decision_date,
            },
        )
        areas = {a.code: a for a in criteria_set.areas.all()}
        groups = {}
        for order, (name, area_codes) in enumerate(people.GROUPS):
            group = upsert(TeamGroup, team=team, name=name, defaults={"order": order})
            wanted = {areas[c].pk for c in area_codes}
            if set(group.areas.values_list("pk", flat=True)) != wanted:
                group.areas.set(wanted)
            groups[name] = group
        for order, (username, _name, position, dept, role, group_name) in enumerate(people.TEAM):
            upsert(
                TeamMember,
                team=team,
                user=self.users[username],
                defaults={
                    "department": self.departments.get(dept),
                    "role": role,
                    "position": position,
                    "group": groups.get(group_name),
                    "order": order,
                },
            )
        return team

    def leaves(self, criteria_set: CriteriaSet) -> list[Criterion]:
        parents = set(criteria_set.criteria.filter(parent__isnull=False).values_list("parent_id", flat=True))
        return [c for c in criteria_set.criteria.select_related("area").order_by("order") if c.pk not in parents]

    @staticmethod
    def seed(unit: AdministrativeUnit) -> str:
        """The seed of a commune's invented scores: the story was drawn before the official codes came in."""
        return people.STORY_SEEDS.get(unit.name, unit.code)

    @staticmethod
    def snap(value: Decimal, criterion: Criterion) -> Decimal:
        """Round down to a quarter point, or to the fixed options of the criterion."""
        value = max(Decimal("0"), min(value, criterion.max_score))
        if criterion.scoring_options:
            allowed = sorted(Decimal(str(o["score"])) for o in criterion.scoring_options)
            return max([a for a in allowed if a <= value] or [allowed[0]])
        return (value / QUARTER).to_integral_value(rounding=ROUND_DOWN) * QUARTER

    def score_visit(self, visit: Visit, leaves: list[Criterion], *, self_upto: int, appraise_areas, appraiser, day):
        rng = random.Random(self.seed(visit.unit))
        # Each commune keeps its level, and all progressed between the two rounds, as the article says.
        base = rng.uniform(0.62, 0.84) + (rng.uniform(0.07, 0.12) if visit.plan.year >= 2020 else 0)
        quality = Decimal(str(round(base, 2)))
        # A criterion whose contest the team has decided keeps its second-round score.
        decided = {
            c.criterion_id: c
            for c in ScoreContest.objects.filter(visit=visit).exclude(status=ScoreContest.Status.PENDING)
        }
        # A criterion the team accepted as not applicable keeps no score (demo/scoring.py).
        not_applicable = set(
            CriterionScore.objects.filter(
                visit=visit, not_applicable=CriterionScore.NotApplicable.ACCEPTED
            ).values_list("criterion_id", flat=True)
        )
        for index, criterion in enumerate(leaves):
            if criterion.pk in not_applicable:
                continue
            crng = random.Random(f"{visit.plan.year}-{self.seed(visit.unit)}-{criterion.code}")
            fraction = quality + Decimal(str(round(crng.uniform(-0.15, 0.12), 2)))
            appraised = self.snap(criterion.max_score * fraction, criterion)
            claimed = self.snap(
                appraised + criterion.max_score * Decimal(str(round(crng.uniform(0, 0.3), 2))), criterion
            )
            has_self = index < self_upto
            has_appraisal = has_self and (appraise_areas is True or criterion.area.code in appraise_areas)
            defaults = {
                "max_score": criterion.max_score,
                "self_score": claimed if has_self else None,
                "self_explanation": ""
                if has_self and crng.random() < 0.7
                else ("Đã thực hiện, hồ sơ lưu tại bộ phận Văn phòng - Thống kê." if has_self else ""),
                "self_by": self.commune_staff_for(visit) if has_self else None,
                "self_at": at(day - dt.timedelta(days=7), 15) if has_self else None,
                "appraised_score": appraised if has_appraisal else None,
                "appraised_comment": (
                    "Đạt yêu cầu."
                    if appraised == criterion.max_score
                    else "Hồ sơ chưa đầy đủ so với hướng dẫn chấm điểm."
                )
                if has_appraisal
                else "",
                "appraised_by": appraiser if has_appraisal else None,
                "appraised_at": at(day, 10) if has_appraisal else None,
            }
            contest = decided.get(criterion.pk)
            if contest is not None:
                defaults.update(
                    appraised_score=contest.decided_score,
                    appraised_comment=contest.decision_reason,
                    appraised_by=contest.decided_by,
                    appraised_at=contest.decided_at,
                )
            upsert(CriterionScore, visit=visit, criterion=criterion, defaults=defaults)

    def commune_staff_for(self, visit: Visit):
        return self.staff.get(visit.unit.name)

    def add_findings(self, visit: Visit, criteria_set: CriteriaSet, *, author, day):
        """Strengths, shortcomings and a recommendation drawn per commune from the pools in texts.py."""
        rng = random.Random(f"findings-{visit.plan.year}-{self.seed(visit.unit)}")
        areas = {a.code: a for a in criteria_set.areas.all()}
        created = []
        carried = set(visit.findings.filter(carried_from__isnull=False).values_list("text", flat=True))
        for text in rng.sample(STRENGTHS, 2):
            created.append(
                upsert(
                    Finding,
                    visit=visit,
                    kind=Finding.Kind.STRENGTH,
                    text=text,
                    carried_from=None,
                    defaults={
                        "area": areas[STRENGTH_AREAS[text]],
                        "status": Finding.Status.NOTED,
                        "created_by": author,
                    },
                )
            )
        for area_code, text, recommendation in rng.sample([s for s in SHORTCOMINGS if s[1] not in carried], 2):
            created.append(
                upsert(
                    Finding,
                    visit=visit,
                    kind=Finding.Kind.SHORTCOMING,
                    text=text,
                    carried_from=None,
                    defaults={
                        "area": areas[area_code],
                        "recommendation": recommendation,
                        "created_by": author,
                        "due_date": day + dt.timedelta(days=60),
                    },
                )
            )
        area_code, text = rng.choice([r for r in RECOMMENDATIONS if r[1] not in carried])
        created.append(
            upsert(
                Finding,
                visit=visit,
                kind=Finding.Kind.RECOMMENDATION,
                text=text,
                carried_from=None,
                defaults={"area": areas[area_code], "created_by": author, "due_date": day + dt.timedelta(days=60)},
            )
        )
        return created

    def minutes_fields(self, visit: Visit, day: dt.date, number: str, times: tuple[dt.time, dt.time]) -> dict:
        """The minutes as the secretary wrote them on the visit day: both sides by name, the commune's opinion."""
        commune = visit.unit
        sentence = commune.name_in_sentence
        party, chairman, staff = people.COMMUNE_PEOPLE[commune.name]
        return {
            "number": number,
            "held_on": day,
            "opened_at": times[0],
            "closed_at": times[1],
            "place": f"Trụ sở UBND {sentence}",
            "team_attendees": [
                {"name": "Trần Minh Vũ", "position": "Phó Chủ tịch UBND huyện, Trưởng đoàn"},
                {"name": "Nguyễn Văn Hùng", "position": "Trưởng phòng Nội vụ, Phó Trưởng đoàn"},
                {"name": "Nguyễn Thị Thu Hà", "position": "Chuyên viên Phòng Nội vụ, Thư ký"},
            ],
            "commune_attendees": [
                {"name": chairman, "position": people.chairman_position(sentence)},
                {"name": party, "position": f"{people.PARTY_POSITION} {sentence}"},
                {"name": staff, "position": f"{people.STAFF_POSITION} {sentence}"},
            ],
            "summary": "Đoàn kiểm tra đã kiểm tra 7 lĩnh vực công tác cải cách hành chính; "
            "ghi nhận ưu điểm, chỉ ra hạn chế, tồn tại và kiến nghị khắc phục.",
            "commune_opinion": f"UBND {sentence} thống nhất với kết quả kiểm tra của Đoàn và cam kết khắc phục "
            "các hạn chế, tồn tại trong thời hạn Đoàn yêu cầu.",
        }

    def sign_minutes(self, visit: Visit, day: dt.date, number: str, times: tuple[dt.time, dt.time]):
        """Write the minutes and have the lead sign them through the signing service, dated at the close."""
        minutes = Minutes.objects.filter(visit=visit).first()
        if minutes is not None and minutes.is_signed:
            # A signed document never changes: a second run leaves it as it is.
            return minutes
        upsert(Minutes, visit=visit, defaults=self.minutes_fields(visit, day, number, times))
        minutes = minutes_sign(visit=visit, user=self.users["lead"])
        # The story is set on the visit day, not on the day the demo is loaded.
        Minutes.objects.filter(pk=minutes.pk).update(signed_at=at(day, times[1].hour, times[1].minute))
        return minutes

    def issue_notice(self, visit: Visit, *, number: str, issued_on: dt.date, remedy_deadline: dt.date):
        """The lead issues the conclusion notice through the issuing service, once."""
        if ConclusionNotice.objects.filter(visit=visit).exists():
            return
        conclusion_issue(
            visit=visit,
            user=self.users["lead"],
            number=number,
            issued_on=issued_on,
            remedy_deadline=remedy_deadline,
            summary=f"Kết luận kiểm tra công tác cải cách hành chính năm {visit.plan.year} "
            f"tại {visit.unit.name_in_sentence}.",
            signer_name="Trần Minh Vũ",
            signer_title="Phó Chủ tịch",
            recipients=conclusion_recipients_draft(visit=visit),
        )

    @staticmethod
    def visit_times(days: list[dt.date], index: int) -> tuple[dt.time, dt.time]:
        """The first visit of a day in the morning, the second in the afternoon."""
        minutes = 15 + (index * 5) % 30
        if index and days[index - 1] == days[index]:
            return dt.time(13, 30), dt.time(16, minutes)
        return dt.time(7, 30), dt.time(11, minutes)

    def build_plan_2019(self, criteria_set: CriteriaSet) -> InspectionPlan:
        plan = upsert(
            InspectionPlan,
            authority=self.district,
            year=2019,
            number="87/KH-UBND",
            defaults={
                "criteria_set": criteria_set,
                "issued_on": dt.date(2019, 9, 10),
                "title": "Kiểm tra công tác cải cách hành chính các xã, thị trấn năm 2019",
                "purpose": PURPOSE,
                "scope": SCOPE,
                "forms": ["on_site", "documents"],
                "round_start": dt.date(2019, 10, 7),
                "round_end": dt.date(2019, 10, 16),
                "self_assessment_deadline": dt.date(2019, 10, 3),
                "status": InspectionPlan.Status.CONCLUDED,
                "approved_by": self.users["lead"],
                "approved_at": at(dt.date(2019, 9, 10)),
            },
        )
        self.build_team(plan, criteria_set, "1021/QĐ-UBND", dt.date(2019, 9, 20))
        leaves = self.leaves(criteria_set)
        days = [dt.date(2019, 10, d) for d in (7, 7, 8, 9, 9, 10, 11, 14, 15, 15, 16)]
        for index, (day, (_code, name, _kind)) in enumerate(zip(days, people.COMMUNES, strict=True)):
            unit = self.units[name]
            visit = self.upsert_visit(
                plan,
                unit,
                scheduled_on=day,
                self_submitted_at=at(day - dt.timedelta(days=6), 16),
                self_submitted_by=None,
            )
            if visit.status not in Visit.LOCKED_STATUSES:
                self.score_visit(
                    visit,
                    leaves,
                    self_upto=len(leaves),
                    appraise_areas=True,
                    appraiser=self.users["inspector"],
                    day=day,
                )
            findings = self.add_findings(visit, criteria_set, author=self.users["secretariat"], day=day)
            self.sign_minutes(visit, day, f"{index + 1:02d}/BB-ĐKT", self.visit_times(days, index))
            self.issue_notice(
                visit,
                number=f"{310 + index}/TB-UBND",
                issued_on=dt.date(2019, 10, 30),
                remedy_deadline=dt.date(2019, 12, 31),
            )
            self.settle_findings(visit, findings, seed=f"settle-{self.seed(unit)}", share=0.65)
        return plan

    def settle_findings(self, visit: Visit, findings: list[Finding], *, seed: str, share: float):
        """Most shortcomings were remedied before the next round; the rest stay open to be carried over."""
        year = visit.plan.year
        rng = random.Random(seed)
        actionable = [f for f in findings if f.is_actionable]
        keep_open = {actionable[0].pk} if visit.unit.name in (people.COMMUNE_A, people.COMMUNE_B) else set()
        for finding in actionable:
            remedied = finding.pk not in keep_open and rng.random() < share
            if remedied:
                upsert(
                    Remedy,
                    finding=finding,
                    description="Đã khắc phục: " + (finding.recommendation or finding.text),
                    defaults={
                        "status": Remedy.Status.VERIFIED,
                        "completed_on": dt.date(year, 12, 15),
                        "reported_by": self.commune_staff_for(visit),
                        "reported_at": at(dt.date(year, 12, 16)),
                        "verified_by": self.users["inspector"],
                        "verified_at": at(dt.date(year, 12, 28)),
                    },
                )
                upsert(
                    Finding,
                    pk=finding.pk,
                    defaults={"status": Finding.Status.REMEDIED, "resolved_at": at(dt.date(year, 12, 28))},
                )

    def build_plan_2020(self, criteria_set: CriteriaSet, previous: InspectionPlan) -> InspectionPlan:
        """The round of the article: every commune self-assessed, appraised, signed and concluded."""
        plan = upsert(
            InspectionPlan,
            authority=self.district,
            year=2020,
            number="95/KH-UBND",
            defaults={
                "criteria_set": criteria_set,
                "issued_on": dt.date(2020, 9, 15),
                "title": "Kiểm tra công tác cải cách hành chính các xã, thị trấn năm 2020",
                "purpose": PURPOSE,
                "scope": SCOPE,
                "forms": ["on_site", "documents"],
                "round_start": dt.date(2020, 10, 5),
                "round_end": dt.date(2020, 10, 14),
                "self_assessment_deadline": dt.date(2020, 10, 2),
                "status": InspectionPlan.Status.CONCLUDED,
                "approved_by": self.users["lead"],
                "approved_at": at(dt.date(2020, 9, 15)),
                "previous": previous,
            },
        )
        self.build_team(plan, criteria_set, "1187/QĐ-UBND", dt.date(2020, 9, 25))
        leaves = self.leaves(criteria_set)
        # Notices a week and more after the round, within its 15 working days (by 04/11/2020).
        notice_days = [dt.date(2020, 10, 26)] * 4 + [dt.date(2020, 10, 27)] * 4 + [dt.date(2020, 10, 28)] * 3
        days = DAYS_2020
        for index, (day, (_code, name, _kind)) in enumerate(zip(days, people.COMMUNES, strict=True)):
            unit = self.units[name]
            visit = self.upsert_visit(
                plan,
                unit,
                scheduled_on=day,
                self_submitted_at=at(dt.date(2020, 10, 1), 16),
                self_submitted_by=self.chairmen[name],
            )
            if visit.status not in Visit.LOCKED_STATUSES:
                self.score_visit(
                    visit,
                    leaves,
                    self_upto=len(leaves),
                    appraise_areas=True,
                    appraiser=self.users["inspector"],
                    day=day,
                )
            self.carry_over(visit, rechecked=True, day=day)
            findings = self.add_findings(visit, criteria_set, author=self.users["secretariat"], day=day)
            question = QUESTIONS_2020.get(name)
            if question:
                upsert(
                    Finding,
                    visit=visit,
                    kind=Finding.Kind.QUESTION,
                    text=question[0],
                    defaults={
                        "status": Finding.Status.ANSWERED,
                        "answer": question[1],
                        "answered_by": self.users["secretariat"],
                        "answered_at": at(day, 15),
                    },
                )
            self.sign_minutes(visit, day, f"{index + 1:02d}/BB-ĐKT", self.visit_times(days, index))
            self.issue_notice(
                visit,
                number=f"{412 + index}/TB-UBND",
                issued_on=notice_days[index],
                remedy_deadline=dt.date(2020, 12, 31),
            )
            self.settle_findings(visit, findings, seed=f"settle-2020-{self.seed(unit)}", share=0.5)
        return plan

    def build_plan_2021(self, previous: InspectionPlan) -> InspectionPlan:
        """Next year's round made from 2020 by the application's own service; self-assessment under way."""
        plan = InspectionPlan.objects.filter(authority=self.district, year=2021).first()
        if plan is None:
            plan = plan_create_from_previous(
                previous=previous,
                user=self.users["secretariat"],
                year=2021,
                number="102/KH-UBND",
                issued_on=dt.date(2021, 9, 14),
                title="Kiểm tra công tác cải cách hành chính các xã, thị trấn năm 2021",
                round_start=dt.date(2021, 10, 4),
                round_end=dt.date(2021, 10, 13),
                self_assessment_deadline=dt.date(2021, 9, 30),
                criteria_set=None,
            )
        if plan.criteria_set.status != CriteriaSet.Status.PUBLISHED:
            CriteriaSet.objects.filter(pk=plan.criteria_set_id).update(status=CriteriaSet.Status.PUBLISHED)
        plan = upsert(
            InspectionPlan,
            pk=plan.pk,
            defaults={
                "status": InspectionPlan.Status.IN_PROGRESS,
                "approved_by": self.users["lead"],
                "approved_at": at(dt.date(2021, 9, 14)),
            },
        )
        upsert(
            InspectionTeam,
            plan=plan,
            defaults={"decision_number": "1093/QĐ-UBND", "decision_date": dt.date(2021, 9, 24)},
        )
        leaves = self.leaves(plan.criteria_set)
        status_of = {
            "appraised": Visit.Status.APPRAISING,
            "appraising": Visit.Status.APPRAISING,
            "submitted": Visit.Status.SUBMITTED,
            "self_assessment": Visit.Status.SELF_ASSESSMENT,
            "scheduled": Visit.Status.SCHEDULED,
        }
        visits = {v.unit.name: v for v in plan.visits.select_related("unit", "plan")}
        days = [visits[name].scheduled_on for _code, name, _kind in people.COMMUNES]
        for index, (_code, name, _kind) in enumerate(people.COMMUNES):
            visit = visits[name]
            if visit.status in Visit.LOCKED_STATUSES:
                continue
            state = STATES_2021[name]
            submitted = state in {"appraised", "appraising", "submitted"}
            visit = upsert(
                Visit,
                pk=visit.pk,
                defaults={
                    "status": status_of[state],
                    "self_submitted_at": at(dt.date(2021, 9, 29), 16) if submitted else None,
                    "self_submitted_by": self.chairmen[name] if submitted else None,
                },
            )
            day = visit.scheduled_on
            self_upto = {"scheduled": 0, "self_assessment": len(leaves) // 2}.get(state, len(leaves))
            if name == "Tân An":
                self_upto = len(leaves)
            appraise = {
                "appraised": True,
                "appraising": {"apparatus", "direction", "procedures", "modernization"},
            }.get(state, set())
            self.score_visit(
                visit, leaves, self_upto=self_upto, appraise_areas=appraise, appraiser=self.users["inspector"], day=day
            )
            if state == "appraised":
                self.carry_over(visit, rechecked=True, day=day)
                self.add_findings(visit, plan.criteria_set, author=self.users["secretariat"], day=day)
                minutes = Minutes.objects.filter(visit=visit).first()
                if minutes is None or not minutes.is_signed:
                    upsert(
                        Minutes,
                        visit=visit,
                        defaults=self.minutes_fields(
                            visit, day, f"{index + 1:02d}/BB-ĐKT", self.visit_times(days, index)
                        ),
                    )
                build_appeal_demo(self, visit, leaves, day=day)
        return plan

    def upsert_visit(self, plan: InspectionPlan, unit: AdministrativeUnit, **fields) -> Visit:
        """The visit of `unit`; a visit signed or concluded keeps its status, the rest start as scheduled."""
        return upsert(
            Visit,
            plan=plan,
            unit=unit,
            defaults={"place": f"Trụ sở UBND {unit.name_in_sentence}", **fields},
        )

    def carry_over(self, visit: Visit, *, rechecked: bool, day):
        """Carry last year's unremedied findings into the visit (the real service), then the demo's re-checks."""
        finding_carry_over(plan=visit.plan, user=self.users["secretariat"], visits=[visit])
        carried_findings = visit.findings.filter(carried_from__isnull=False).exclude(status=Finding.Status.CARRIED_OVER)
        for carried in carried_findings.select_related("carried_from"):
            # Drawn from the text, not the row id, so that every fresh database tells the same story.
            rng = random.Random(f"recheck-{visit.plan.year}-{carried.text}-{self.seed(visit.unit)}")
            remedied_now = rechecked and rng.random() < 0.6
            # A remedy the commune has reported since (demo/portal.py) keeps the finding "reported".
            reported = carried.remedies.filter(status=Remedy.Status.REPORTED).exists()
            still_open = Finding.Status.REPORTED if reported else Finding.Status.OPEN
            upsert(
                Finding,
                pk=carried.pk,
                defaults={
                    "status": Finding.Status.REMEDIED if remedied_now else still_open,
                    "rechecked_by": self.users["inspector"] if rechecked else None,
                    "rechecked_at": at(day, 11) if rechecked else None,
                    "resolved_at": at(day, 11) if remedied_now else None,
                },
            )


def load_demo() -> None:
    """Build or refresh the demo story; idempotent."""
    DemoBuilder().build()
