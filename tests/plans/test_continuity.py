"""The continuity matcher on small cases (pure: no database)."""

from __future__ import annotations

from dean06.plans.continuity import (
    OTHER_LEAD,
    PART_OF_COLLECTIVE,
    SAME_LEAD,
    THRESHOLD,
    UNKNOWN_LEAD,
    TaskInput,
    match_tasks,
    unit_factor,
)


def task(code: str, content: str, *leads: str, units: tuple[str, ...] = ()) -> TaskInput:
    return TaskInput(
        code=code,
        content=content,
        leads=frozenset(leads),
        lead_units=frozenset(units or leads),
    )


LGSP_2023 = task(
    "III.2.1",
    "Nâng cấp Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP), bảo đảm kết nối ổn định với "
    "Nền tảng tích hợp, chia sẻ dữ liệu quốc gia, thời gian hoàn thành trong quý II/2023.",
    "STTTT",
)
LGSP_2024 = task(
    "A.6",
    "Bảo đảm hạ tầng kỹ thuật, đường truyền kết nối, quản lý, vận hành Nền tảng tích hợp, chia sẻ "
    "dữ liệu cấp tỉnh (LGSP); kết nối ổn định với Nền tảng quốc gia.",
    "STTTT",
)
LODGING_2023 = task(
    "III.1.4",
    "Hướng dẫn các khách sạn, nhà nghỉ và cơ sở kinh doanh dịch vụ lưu trú thực hiện thông báo "
    "lưu trú qua ứng dụng VNeID.",
    "CAT",
)
LODGING_2024 = task(
    "B.3.4",
    "Tuyên truyền, yêu cầu 100% các cơ sở lưu trú trên địa bàn (khách sạn, nhà nghỉ) thực hiện "
    "thông báo lưu trú qua ứng dụng VNeID theo hướng dẫn của Bộ Công an.",
    "CAT",
)
LAND_2024 = task(
    "B.5.4",
    "Duy trì, vận hành ổn định cơ sở dữ liệu đất đai của huyện Lục Ngạn và Sơn Động.",
    "STNMT",
)
MEETING_2023 = task(
    "III.1.6",
    "Tham mưu tổ chức Hội nghị sơ kết 06 tháng thực hiện Đề án 06 của tỉnh.",
    "CAT",
)


def test_a_reworded_task_is_matched_to_its_successor_among_others():
    result = match_tasks([LGSP_2023, LODGING_2023], [LAND_2024, LODGING_2024, LGSP_2024])
    assert {(link.old, link.new) for link in result.links} == {
        ("III.2.1", "A.6"),
        ("III.1.4", "B.3.4"),
    }
    assert result.unmatched_new == ["B.5.4"] and result.unmatched_old == []
    # Links come in the new plan's order, with the parts of their score.
    assert [link.new for link in result.links] == ["B.3.4", "A.6"]
    link = result.links[0]
    assert link.score == round(link.text * link.unit, 3) and link.unit == SAME_LEAD


def test_ocr_garbled_words_still_count():
    ocr = task(
        "A.9",
        "Nang cap Nén tang tich hgp, chia sé dif liéu cap tinh (LGSP), bao dam két noi on dinh vdi "
        "Nén tang tich hgp, chia sé dif liéu quéc gia.",
        "STTTT",
    )
    result = match_tasks([ocr], [LAND_2024, LGSP_2024])
    assert [(link.old, link.new) for link in result.links] == [("A.9", "A.6")]


def test_a_different_lead_unit_lowers_the_score():
    same = match_tasks([LGSP_2023], [LGSP_2024]).links[0]
    other_lead = match_tasks([LGSP_2023], [task("A.6", LGSP_2024.content, "CAT")]).links[0]
    unknown = match_tasks([LGSP_2023], [task("A.6", LGSP_2024.content)]).links[0]
    assert same.text == other_lead.text == unknown.text
    assert same.score > unknown.score > other_lead.score
    assert other_lead.score == round(same.score * OTHER_LEAD, 3)


def test_how_lead_units_compare():
    sttt = task("x", "", "STTTT")
    assert unit_factor(sttt, task("y", "", "STTTT", "CAT")) == SAME_LEAD
    assert unit_factor(sttt, task("y", "", "CAT")) == OTHER_LEAD
    assert unit_factor(sttt, task("y", "")) == UNKNOWN_LEAD
    # A unit within a collective lead ("các sở, ban, ngành" fanned out into its members).
    collective = task("y", "", "SO_BAN_NGANH", units=("STTTT", "STP", "SNV"))
    assert unit_factor(sttt, collective) == PART_OF_COLLECTIVE
    assert unit_factor(collective, sttt) == PART_OF_COLLECTIVE


def test_a_near_tie_is_linked_and_flagged_for_review():
    twin = task("III.2.7", LGSP_2023.content.replace("quý II/2023", "quý III/2023"), "STTTT")
    result = match_tasks([LGSP_2023, twin], [LGSP_2024])
    [link] = result.links
    assert link.review and link.rival in {"III.2.1", "III.2.7"} and link.rival != link.old
    assert link.rival_score is not None and link.rival_score >= link.score * 0.85
    assert len(result.unmatched_old) == 1
    # A clear winner is not flagged.
    [clear] = match_tasks([LGSP_2023, MEETING_2023], [LGSP_2024]).links
    assert not clear.review and clear.rival is None


def test_nothing_is_linked_below_the_threshold():
    result = match_tasks([MEETING_2023], [LAND_2024, LGSP_2024])
    assert result.links == []
    assert result.unmatched_old == ["III.1.6"] and result.unmatched_new == ["B.5.4", "A.6"]
    # The same pair passes when the threshold is lowered to its score: the threshold decides.
    loose = match_tasks([LODGING_2023], [LODGING_2024], threshold=0.0)
    strict = match_tasks([LODGING_2023], [LODGING_2024], threshold=loose.links[0].score + 0.01)
    assert loose.links and not strict.links
    assert 0 < THRESHOLD < 1


def test_links_are_one_to_one():
    again = task("B.3.5", LODGING_2024.content + " Kiểm tra việc thông báo lưu trú.", "CAT")
    result = match_tasks([LODGING_2023], [LODGING_2024, again])
    assert len(result.links) == 1 and len(result.unmatched_new) == 1
    # Each new task continues one old task at most, too.
    twin = task("III.1.7", LODGING_2023.content, "CAT")
    result = match_tasks([LODGING_2023, twin], [LODGING_2024])
    assert len(result.links) == 1 and len(result.unmatched_old) == 1


def test_the_assignment_is_global_not_first_come():
    portal = "Kết nối Cổng dịch vụ công của tỉnh với cơ sở dữ liệu quốc gia về dân cư"
    first = task("III.2.8", f"{portal} và thanh toán trực tuyến.", "STTTT")
    second = task("III.2.9", f"{portal}, phục vụ tra cứu, xác thực thông tin công dân.", "STTTT")
    lookup = task(
        "B.5.1", f"Duy trì {portal.lower()} để tra cứu, xác thực thông tin công dân.", "STTTT"
    )
    payment = task(
        "B.2.11", "Nâng cao chất lượng thanh toán trực tuyến trên cổng dịch vụ công.", "STTTT"
    )
    # Read first, III.2.8 would take B.5.1, its best; B.5.1 is the far better match of III.2.9.
    alone = match_tasks([first], [lookup, payment]).links[0]
    assert alone.new == "B.5.1"
    result = match_tasks([first, second], [lookup, payment])
    assert {(link.old, link.new) for link in result.links} == {
        ("III.2.9", "B.5.1"),
        ("III.2.8", "B.2.11"),
    }
    # III.2.8 resembles B.5.1 more than the task it was given: a person should look.
    second_choice = result.link_for("B.2.11")
    assert second_choice is not None and second_choice.review and second_choice.rival == "B.5.1"


def test_the_same_input_gives_the_same_links():
    old, new = [LGSP_2023, LODGING_2023, MEETING_2023], [LAND_2024, LODGING_2024, LGSP_2024]
    assert match_tasks(old, new) == match_tasks(old, new)


def test_empty_plans():
    assert match_tasks([], []).links == []
    result = match_tasks([], [LGSP_2024])
    assert result.unmatched_new == ["A.6"] and result.unmatched_old == []
    result = match_tasks([LGSP_2023], [])
    assert result.unmatched_old == ["III.2.1"]
