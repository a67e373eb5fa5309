"""Demo data of the commune portal: evidence files, a deadline extension, remedies and questions.

Thạnh Đông A (commune_a) and Tân Hội (commune_b) are self-assessing in 2021: the secretariat
extended the deadline of every commune that has not submitted to a month after the day the demo
is loaded, so the portal can be tried out. Both demo communes have evidence files (small PDFs and
photos generated here), remedies reported against the 2020 findings carried into their 2021
visits, and questions.
Idempotent: rows are looked up before they are made, files written only when missing.
"""

import datetime as dt
import io
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from ..models import Criterion, Evidence, Finding, InspectionPlan, Remedy, Visit
from ..uploads import inspect_upload
from . import people

# The extension lasts this long after load_demo runs; it is renewed once less than half is left.
EXTENSION_DAYS = 30
# The round whose self-assessment is open in the demo.
YEAR = 2021
FIXED_PDF_TIME = time.gmtime(1598918400)  # 01/09/2020: the same bytes on every run
FONT_NAMES = ("LiberationSerif-Regular.ttf", "DejaVuSerif.ttf", "DejaVuSans.ttf")
BOLD_FONT_NAMES = ("LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSans-Bold.ttf")
FONT_DIRS = ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/dejavu")


def _font(names, size: int):
    folders = [Path(getattr(settings, "PDF_FONT_DIR", "")), *map(Path, FONT_DIRS)]
    for folder in folders:
        for name in names:
            path = folder / name
            if path.is_file():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _page(lines: list[str], heading: str, title: str, *, size=(893, 1263)) -> Image.Image:
    image = Image.new("1", size, 1)
    draw = ImageDraw.Draw(image)
    regular, bold = _font(FONT_NAMES, 22), _font(BOLD_FONT_NAMES, 22)
    draw.text((90, 70), heading.upper(), font=bold, fill=0)
    draw.text((size[0] - 430, 70), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=_font(BOLD_FONT_NAMES, 18), fill=0)
    draw.text((size[0] - 360, 100), "Độc lập - Tự do - Hạnh phúc", font=bold, fill=0)
    y = 200
    for text in _wrap(title.upper(), 58):
        draw.text((90, y), text, font=bold, fill=0)
        y += 34
    y += 20
    for line in lines:
        for text in _wrap(line, 70):
            draw.text((90, y), text, font=regular, fill=0)
            y += 32
        y += 8
    draw.text(
        (90, size[1] - 80),
        "Tài liệu minh họa của dữ liệu dùng thử, không phải văn bản chính thức.",
        font=regular,
        fill=0,
    )
    return image


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines


def sample_pdf(*, title: str, lines: list[str], heading: str = "Ủy ban nhân dân xã") -> bytes:
    """A one-page PDF that looks like a scanned administrative document (about 25 KB)."""
    buffer = io.BytesIO()
    _page(lines, heading, title).save(
        buffer, "PDF", resolution=108, title=title, creationDate=FIXED_PDF_TIME, modDate=FIXED_PDF_TIME
    )
    return buffer.getvalue()


def sample_photo(*, caption: str, size=(800, 600)) -> bytes:
    """A JPEG 'photo' of a one-stop counter with a caption."""
    image = Image.new("RGB", size, (226, 232, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, size[1] * 0.62, size[0], size[1]), fill=(170, 140, 110))
    for index in range(4):
        left = 60 + index * 180
        draw.rectangle((left, 180, left + 140, size[1] * 0.62), fill=(245, 245, 245), outline=(90, 90, 90), width=3)
        draw.text((left + 18, 200), f"Quầy {index + 1}", font=_font(BOLD_FONT_NAMES, 26), fill=(139, 26, 26))
    draw.rectangle((40, 40, size[0] - 40, 130), fill=(139, 26, 26))
    draw.text((60, 62), "BỘ PHẬN MỘT CỬA", font=_font(BOLD_FONT_NAMES, 40), fill=(255, 221, 0))
    draw.text((40, size[1] - 60), caption, font=_font(FONT_NAMES, 24), fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def _document_number(expected: str, index: int) -> str:
    kinds = (("Kế hoạch", "KH-UBND"), ("Báo cáo", "BC-UBND"), ("Quyết định", "QĐ-UBND"), ("Thông báo", "TB-UBND"))
    for prefix, suffix in kinds:
        if expected.startswith(prefix):
            return f"{index + 11}/{suffix}"
    return f"{index + 11}/UBND-VP"


class PortalDemo:
    """Adds the portal's story to the demo built by DemoBuilder (its units and users)."""

    def __init__(self, builder):
        self.users = builder.users
        self.units = builder.units
        plan = InspectionPlan.objects.get(authority=builder.district, year=YEAR)
        self.plan = plan
        self.visit_a = Visit.objects.select_related("plan", "unit").get(plan=plan, unit=self.units[people.COMMUNE_A])
        self.visit_b = Visit.objects.select_related("plan", "unit").get(plan=plan, unit=self.units[people.COMMUNE_B])
        parents = set(plan.criteria_set.criteria.filter(parent__isnull=False).values_list("parent_id", flat=True))
        self.leaves = [c for c in plan.criteria_set.criteria.order_by("order", "code") if c.pk not in parents]

    def build(self) -> None:
        self.extend_deadline()
        # Most of Thạnh Đông A's scored criteria have a file, a few still lack one or an explanation.
        self.add_criterion_evidence(self.visit_a, self.users["commune_a"], chosen=lambda index, score: index % 5 != 4)
        # Tân Hội submitted: every criterion it did not explain has a file, but one the team asks about.
        asked = self.ask_explanation()
        self.add_criterion_evidence(
            self.visit_b,
            self.users["commune_b"],
            chosen=lambda index, score: score.criterion_id != asked and (not score.self_explanation or index % 4 == 0),
        )
        self.add_remedies()
        self.add_questions()

    def extend_deadline(self) -> None:
        """Give every commune yet to submit a deadline in the future, as the secretariat would; renewed when half gone."""
        today = timezone.localdate()
        waiting = self.plan.visits.filter(status__in=(Visit.Status.SCHEDULED, Visit.Status.SELF_ASSESSMENT))
        for visit in waiting.order_by("pk"):
            current = visit.self_assessment_deadline
            if current is not None and current >= today + dt.timedelta(days=EXTENSION_DAYS // 2):
                continue
            visit.self_assessment_deadline = today + dt.timedelta(days=EXTENSION_DAYS)
            visit._change_reason = "Gia hạn tự đánh giá (dữ liệu minh họa)"
            visit.save(update_fields=["self_assessment_deadline"])

    def _keep(self, *, content: bytes, name: str, lookup: dict, fields: dict) -> Evidence:
        existing = Evidence.objects.filter(**lookup, original_name=name, deleted_at__isnull=True).first()
        if existing is not None:
            if not existing.file.storage.exists(existing.file.name):
                existing.file.storage.save(existing.file.name, ContentFile(content))
            return existing
        upload = ContentFile(content, name=name)
        checked = inspect_upload(upload, name=name)
        evidence = Evidence(
            original_name=checked.original_name,
            size=checked.size,
            content_type=checked.content_type,
            sha256=checked.sha256,
            **lookup,
            **fields,
        )
        evidence.file.save(name, upload, save=False)
        evidence.save()
        return evidence

    def add_criterion_evidence(self, visit: Visit, uploader, *, chosen) -> None:
        """Evidence for the chosen self-scored criteria of a visit: a PDF for most, a photo for the one-stop counter."""
        scored = {s.criterion_id: s for s in visit.scores.filter(self_score__isnull=False)}
        for index, criterion in enumerate(self.leaves):
            score = scored.get(criterion.pk)
            if score is not None and chosen(index, score):
                self._criterion_file(visit, criterion, index, visit.unit.name, uploader)

    def ask_explanation(self) -> int | None:
        """The team asks Tân Hội to explain one criterion of an area it has not appraised yet; returns its id."""
        score = (
            self.visit_b.scores.filter(criterion__area__code="institutions", self_score__isnull=False)
            .order_by("criterion__order", "criterion__code")
            .first()
        )
        if score is None:
            return None
        if not score.explanation_requested:
            score.explanation_requested = True
            score.explanation_request = EXPLANATION_REQUEST
            score.version += 1
            score.save(update_fields=["explanation_requested", "explanation_request", "version"])
        return score.criterion_id

    def _criterion_file(self, visit: Visit, criterion: Criterion, index: int, commune: str, uploader) -> None:
        expected = (criterion.expected_evidence or criterion.title).split(";")[0].strip().rstrip(".")
        number = _document_number(expected, index)
        day = dt.date(YEAR, 1, 1) + dt.timedelta(days=(index * 11) % 240)
        lookup = {"unit": visit.unit, "visit": visit, "criterion": criterion}
        fields = {
            "document_number": number,
            "document_date": day,
            "page_reference": "1",
            "uploaded_by": uploader,
            "uploaded_at": timezone.make_aware(dt.datetime(YEAR, 9, 24, 8 + index % 9, index % 60)),
        }
        if criterion.area.code == "procedures" and index % 2 == 0:
            name = f"Ảnh Bộ phận một cửa xã {commune}.jpg"
            content = sample_photo(caption=f"Bộ phận tiếp nhận và trả kết quả xã {commune}, tháng 9/{YEAR}")
            self._keep(content=content, name=name, lookup=lookup, fields={**fields, "document_number": ""})
            return
        name = f"{expected[:80]} - {number.replace('/', '-')}.pdf"
        content = sample_pdf(
            title=expected,
            heading=f"Ủy ban nhân dân xã {commune}",
            lines=[
                f"Số: {number}",
                f"{commune}, ngày {day:%d} tháng {day:%m} năm {day:%Y}",
                f"Căn cứ Kế hoạch cải cách hành chính năm {YEAR} của UBND xã {commune};",
                f"Tài liệu kiểm chứng cho tiêu chí {criterion.code}: {criterion.title}.",
                "Nơi nhận: Phòng Nội vụ huyện; Lưu: VT.",
            ],
        )
        self._keep(content=content, name=name, lookup=lookup, fields=fields)

    def _carried(self, visit: Visit) -> list[Finding]:
        return list(
            Finding.objects.filter(visit=visit, carried_from__isnull=False, kind__in=Finding.ACTIONABLE_KINDS).order_by(
                "carried_from_id"
            )
        )

    def _remedy(self, finding: Finding, *, status: str, reporter, day: dt.date, reason: str = "") -> Remedy:
        description = "Đã khắc phục: " + (finding.recommendation or finding.text)
        remedy = Remedy.objects.filter(finding=finding, description=description).first()
        values = {
            "status": status,
            "completed_on": day - dt.timedelta(days=3),
            "reported_by": reporter,
            "reported_at": timezone.make_aware(dt.datetime(day.year, day.month, day.day, 15)),
            "return_reason": reason,
        }
        if remedy is None:
            remedy = Remedy.objects.create(finding=finding, description=description, **values)
        else:
            changed = [name for name, value in values.items() if getattr(remedy, name) != value]
            if changed:
                for name in changed:
                    setattr(remedy, name, values[name])
                remedy.save(update_fields=changed)
        name = f"Báo cáo kết quả khắc phục - {finding.visit.unit.name}.pdf"
        self._keep(
            content=sample_pdf(
                title=f"Báo cáo kết quả khắc phục hạn chế, tồn tại sau kiểm tra CCHC năm {finding.carried_from.visit.plan.year}",
                heading=f"Ủy ban nhân dân xã {finding.visit.unit.name}",
                lines=[f"Hạn chế: {finding.text}", f"Kết quả: {description}", "Nơi nhận: Phòng Nội vụ huyện; Lưu: VT."],
            ),
            name=name,
            lookup={"unit": finding.visit.unit, "remedy": remedy},
            fields={
                "document_number": "52/BC-UBND",
                "document_date": day,
                "uploaded_by": reporter,
                "uploaded_at": values["reported_at"] - dt.timedelta(hours=1),
            },
        )
        wanted = Finding.Status.REPORTED if status == Remedy.Status.REPORTED else Finding.Status.OPEN
        if finding.status != wanted:
            finding.status = wanted
            finding.save(update_fields=["status"])
        return remedy

    def add_remedies(self) -> None:
        """Remedies reported against the 2020 findings each demo commune still had open."""
        for visit, reporter in ((self.visit_a, self.users["commune_a"]), (self.visit_b, self.users["commune_b"])):
            carried = self._carried(visit)
            if carried:
                self._remedy(carried[0], status=Remedy.Status.REPORTED, reporter=reporter, day=dt.date(YEAR, 9, 24))
            if len(carried) > 1:
                self._remedy(
                    carried[1],
                    status=Remedy.Status.RETURNED,
                    reporter=reporter,
                    day=dt.date(YEAR, 9, 21),
                    reason="Chưa có văn bản chứng minh; đề nghị bổ sung báo cáo có chữ ký của Chủ tịch UBND xã.",
                )

    def add_questions(self) -> None:
        """An answered question of Thạnh Đông A and one Tân Hội still waits for."""
        asked = timezone.make_aware(dt.datetime(YEAR, 9, 27, 9, 30))
        question = Finding.objects.filter(visit=self.visit_a, kind=Finding.Kind.QUESTION, text=QUESTION_A).first()
        if question is None:
            question = Finding.objects.create(
                visit=self.visit_a,
                kind=Finding.Kind.QUESTION,
                text=QUESTION_A,
                area=self.visit_a.plan.criteria_set.areas.get(code="modernization"),
                status=Finding.Status.ANSWERED,
                answer=ANSWER_A,
                answered_by=self.users["secretariat"],
                answered_at=asked + dt.timedelta(days=1),
                created_by=self.users["commune_a"],
            )
            # The story is set in 2021: date the question then, not on the day the demo is loaded.
            question.created_at = asked
            question.save(update_fields=["created_at"])
        waiting = Finding.objects.filter(visit=self.visit_b, kind=Finding.Kind.QUESTION, text=QUESTION_WAITING).first()
        if waiting is None:
            waiting = Finding.objects.create(
                visit=self.visit_b,
                kind=Finding.Kind.QUESTION,
                text=QUESTION_WAITING,
                area=self.visit_b.plan.criteria_set.areas.get(code="apparatus"),
                status=Finding.Status.OPEN,
                created_by=self.users["commune_b"],
            )
            waiting.created_at = asked + dt.timedelta(days=2)
            waiting.save(update_fields=["created_at"])


QUESTION_A = (
    "Xã đã áp dụng ISO 9001:2015 nhưng chưa công bố lại sau khi sửa quy trình; tài liệu kiểm chứng nộp "
    "quyết định công bố cũ có được tính điểm không?"
)
ANSWER_A = (
    "Được tính điểm nếu quyết định công bố cũ còn hiệu lực; xã cần nộp kèm quyết định sửa đổi quy trình "
    "và cập nhật công bố trước ngày 31/12/2021."
)
EXPLANATION_REQUEST = (
    "Đề nghị xã cung cấp danh mục văn bản quy phạm pháp luật do xã ban hành năm 2021 và kết quả tự kiểm tra, rà soát."
)
QUESTION_WAITING = (
    "Xã đã chuyển toàn bộ hồ sơ thủ tục hành chính sang phần mềm một cửa điện tử từ tháng 6; bản in hồ sơ "
    "trước đó có còn phải lưu tại Bộ phận một cửa không?"
)


def build_portal_demo(builder) -> None:
    """Add the commune portal's demo story; idempotent."""
    PortalDemo(builder).build()
