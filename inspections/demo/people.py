"""Units, departments and people of the demo. Names other than the team lead's are invented."""

import datetime as dt

# Codes and names from the official register (the vietnamadminunits package): before the
# 2025 reform the units end on 30/06/2025; their successors in An Giang start on 01/07/2025
# and may reuse an old code (An Giang is now 91, Xã Tân Hội took Tân Thành's 30856).
BEFORE_REFORM = dt.date(2025, 6, 30)
REFORM_DAY = dt.date(2025, 7, 1)
PROVINCE = {"code": "91", "name": "Kiên Giang", "kind": "province", "valid_to": BEFORE_REFORM}
SUCCESSOR_PROVINCE = {"code": "91", "name": "An Giang", "kind": "province", "valid_from": REFORM_DAY}
PROVINCE_MERGER = {
    "effective_on": REFORM_DAY,
    "partial": False,
    "legal_basis": "Nghị quyết số 202/2025/QH15 của Quốc hội",
}
DISTRICT = {"code": "904", "name": "Tân Hiệp", "kind": "district", "valid_to": BEFORE_REFORM}

# (code, name, kind), valid until 30/06/2025.
COMMUNES = [
    ("30850", "Tân Hiệp", "township"),
    ("30853", "Tân Hội", "commune"),
    ("30856", "Tân Thành", "commune"),
    ("30859", "Tân Hiệp B", "commune"),
    ("30860", "Tân Hòa", "commune"),
    ("30862", "Thạnh Đông B", "commune"),
    ("30865", "Thạnh Đông", "commune"),
    ("30868", "Tân Hiệp A", "commune"),
    ("30871", "Tân An", "commune"),
    ("30874", "Thạnh Đông A", "commune"),
    ("30877", "Thạnh Trị", "commune"),
]
# The invented scores and findings were drawn with these seeds; kept so that the story stays the same.
STORY_SEEDS = {
    "Tân Hiệp": "30970",
    "Tân Hội": "30973",
    "Tân Thành": "30976",
    "Tân Hiệp B": "30979",
    "Tân Hòa": "30982",
    "Thạnh Đông B": "30985",
    "Thạnh Đông": "30988",
    "Tân Hiệp A": "30991",
    "Tân An": "30994",
    "Thạnh Đông A": "30997",
    "Thạnh Trị": "31000",
}
# The communes of An Giang that took them over on 01/07/2025: (code, name, kind, predecessors' names).
SUCCESSOR_COMMUNES = [
    ("30850", "Tân Hiệp", "commune", ["Tân Hiệp", "Tân Hiệp B", "Thạnh Đông B", "Thạnh Đông"]),
    ("30856", "Tân Hội", "commune", ["Tân Hội", "Tân Thành", "Tân Hòa", "Tân An"]),
    ("30874", "Thạnh Đông", "commune", ["Tân Hiệp A", "Thạnh Đông A", "Thạnh Trị"]),
]
COMMUNE_A = "Thạnh Đông A"
COMMUNE_B = "Tân Hội"

# key, name, short name, standing body
DEPARTMENTS = [
    ("office", "Văn phòng HĐND-UBND huyện", "Văn phòng HĐND-UBND", False),
    ("home_affairs", "Phòng Nội vụ", "Nội vụ", True),
    ("justice", "Phòng Tư pháp", "Tư pháp", False),
    ("labour", "Phòng Lao động - Thương binh và Xã hội", "LĐ-TBXH", False),
    ("culture", "Phòng Văn hóa và Thông tin", "Văn hóa và Thông tin", False),
    ("environment", "Phòng Tài nguyên và Môi trường", "Tài nguyên và Môi trường", False),
    ("police", "Công an huyện", "Công an huyện", False),
]

# Six groups over seven areas, as in the article.
GROUPS = [
    ("Nhóm 1", ["apparatus"]),
    ("Nhóm 2", ["direction"]),
    ("Nhóm 3", ["institutions"]),
    ("Nhóm 4", ["procedures", "modernization"]),
    ("Nhóm 5", ["finance"]),
    ("Nhóm 6", ["emulation"]),
]

# username, full name, position, department key, team role, group name (None: whole team)
TEAM = [
    ("lead", "Trần Minh Vũ", "Phó Chủ tịch UBND huyện", None, "lead", None),
    ("deputy", "Nguyễn Văn Hùng", "Trưởng phòng Nội vụ", "home_affairs", "deputy", "Nhóm 1"),
    ("secretariat", "Nguyễn Thị Thu Hà", "Chuyên viên Phòng Nội vụ", "home_affairs", "secretary", "Nhóm 1"),
    ("member_office", "Lâm Quốc Bảo", "Phó Chánh Văn phòng HĐND-UBND huyện", "office", "member", "Nhóm 2"),
    ("member_justice", "Trương Thị Mỹ", "Trưởng phòng Tư pháp", "justice", "member", "Nhóm 3"),
    ("inspector", "Lê Văn Phúc", "Chuyên viên Văn phòng HĐND-UBND huyện", "office", "member", "Nhóm 4"),
    ("member_culture", "Đỗ Thanh Tâm", "Phó Trưởng phòng Văn hóa và Thông tin", "culture", "member", "Nhóm 4"),
    (
        "member_environment",
        "Huỳnh Ngọc Sơn",
        "Phó Trưởng phòng Tài nguyên và Môi trường",
        "environment",
        "member",
        "Nhóm 5",
    ),
    ("member_labour", "Phan Thị Kim Yến", "Phó Trưởng phòng LĐ-TBXH", "labour", "member", "Nhóm 6"),
    ("member_police", "Võ Hoàng Nam", "Đội trưởng, Công an huyện", "police", "member", "Nhóm 6"),
]

# username, full name, position, role, unit name (None: the district)
ACCOUNTS = [
    ("admin", "Quản trị hệ thống", "Quản trị viên", None, None),
    ("secretariat", "Nguyễn Thị Thu Hà", "Chuyên viên Phòng Nội vụ", "secretariat", None),
    ("lead", "Trần Minh Vũ", "Phó Chủ tịch UBND huyện", "team_lead", None),
    ("inspector", "Lê Văn Phúc", "Chuyên viên Văn phòng HĐND-UBND huyện", "inspector", None),
    ("viewer", "Mai Văn Lực", "Chủ tịch UBND huyện", "viewer", None),
    ("commune_a", "Phạm Thị Lan", "Công chức Văn phòng - Thống kê xã Thạnh Đông A", "commune_staff", COMMUNE_A),
    ("commune_a_lead", "Huỳnh Văn Tâm", "Chủ tịch UBND xã Thạnh Đông A", "commune_lead", COMMUNE_A),
    ("commune_b", "Đặng Văn Khoa", "Công chức Văn phòng - Thống kê xã Tân Hội", "commune_staff", COMMUNE_B),
]

# The commune side of the minutes, invented: (Party deputy secretary, chairman, civil servant
# of the office) with their positions. Thạnh Đông A and Tân Hội keep the demo accounts' people.
COMMUNE_PEOPLE = {
    "Tân Hiệp": ("Lê Thị Hồng Nhung", "Nguyễn Hoàng Phong", "Trần Quốc Toàn"),
    "Tân Hội": ("Võ Thị Thanh Thúy", "Lý Văn Hiếu", "Đặng Văn Khoa"),
    "Tân Thành": ("Phan Văn Lợi", "Ngô Thị Bích Ngọc", "Huỳnh Tấn Đạt"),
    "Tân Hiệp B": ("Trương Văn Sang", "Lâm Minh Trí", "Nguyễn Thị Kim Cúc"),
    "Tân Hòa": ("Đinh Thị Mai", "Phạm Văn Chiến", "Tô Hoàng Duy"),
    "Thạnh Đông B": ("Châu Văn Thiện", "Dương Thị Ngọc Hân", "Lê Hữu Nghĩa"),
    "Thạnh Đông": ("Bùi Thị Thu Trang", "Trần Văn Dũng", "Cao Minh Khang"),
    "Tân Hiệp A": ("Nguyễn Văn Thắng", "Huỳnh Thị Diễm", "Võ Minh Luân"),
    "Tân An": ("Hà Văn Lộc", "Quách Thanh Bình", "Mai Thị Tuyết"),
    "Thạnh Đông A": ("Nguyễn Thị Hạnh", "Huỳnh Văn Tâm", "Phạm Thị Lan"),
    "Thạnh Trị": ("Thái Văn Nhân", "Lương Thị Phương", "Kiều Văn Hậu"),
}
PARTY_POSITION = "Phó Bí thư Thường trực Đảng ủy"
STAFF_POSITION = "Công chức Văn phòng - Thống kê"


def chairman_position(unit_sentence: str) -> str:
    """'Chủ tịch UBND xã Tân Hội', 'Chủ tịch UBND thị trấn Tân Hiệp'."""
    return f"Chủ tịch UBND {unit_sentence}"
