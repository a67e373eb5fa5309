"""Benchmark of the dashboard's charts: the CPU spent drawing them, for 11 and 150 communes.

The dashboard page draws both charts for a wide column; a phone then asks for the narrow drawing of
each chart (one htmx request a chart). This prints the CPU time of each: the page's drawings, and one
narrow drawing. No database: the results are made in memory with the shape `campaign_results` gives.
Run with `.venv/bin/python bench/dashboard_charts_bench.py`; exits 1 when, for 150 communes, the page's
drawings take over 60 ms.
"""

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_inspect.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from inspections.views.district.dashboard import NARROW_CHART_WIDTH, WIDE_CHART_WIDTH  # noqa: E402
from reports.charts import area_chart_svg, ranking_chart_svg  # noqa: E402

GOAL_MS = 60.0
RUNS = 7
AREAS = [
    "Cải cách tổ chức bộ máy; xây dựng và nâng cao chất lượng đội ngũ CBCC",
    "Công tác chỉ đạo, điều hành cải cách hành chính",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính; cơ chế một cửa, một cửa liên thông",
    "Cải cách tài chính công",
    "Hiện đại hóa nền hành chính",
    "Thi đua khen thưởng; quản lý nhà nước về theo dõi thi hành pháp luật về xử lý vi phạm hành chính",
]


def results(communes: int):
    areas = [SimpleNamespace(number=str(i + 1), title=title, shown_title=title) for i, title in enumerate(AREAS)]
    summaries = [
        SimpleNamespace(average_percent=Decimal(60 + i * 4), previous_average_percent=Decimal(55 + i * 4))
        for i in range(len(areas))
    ]
    rows = [
        SimpleNamespace(rank=i + 1, unit=f"Xã Thạnh Đông {i + 1}", percent=Decimal(95) - Decimal(i) / 3)
        for i in range(communes)
    ]
    return SimpleNamespace(
        plan=SimpleNamespace(year=2020),
        previous_plan=SimpleNamespace(year=2019),
        areas=areas,
        area_summaries=summaries,
        ranked_rows=rows,
        units_phrase="xã, thị trấn",
    )


def cpu_ms(draw) -> float:
    times = []
    for _ in range(RUNS):
        start = time.process_time()
        draw()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    missed = False
    with translation.override("vi"):
        for communes in (11, 150):
            data = results(communes)

            def page(data=data):
                area_chart_svg(data, width=WIDE_CHART_WIDTH)
                ranking_chart_svg(data, width=WIDE_CHART_WIDTH)

            def narrow_ranking(data=data):
                ranking_chart_svg(data, width=NARROW_CHART_WIDTH)

            wide, narrow = cpu_ms(page), cpu_ms(narrow_ranking)
            print(
                f"{communes:>3} communes: the page's two drawings {wide:6.1f} ms CPU; "
                f"a phone's ranking drawing {narrow:6.1f} ms (median of {RUNS})"
            )
            missed |= communes == 150 and wide > GOAL_MS
    if missed:
        print(f"Goal missed: the page's drawings for 150 communes take over {GOAL_MS:.0f} ms.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
