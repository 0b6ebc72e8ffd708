"""One office's documents vote on its unsure pen-written numbers (sổ đăng ký văn bản đi)."""

import datetime as dt
import random

from extractors.register import CAP, office_of, order_by_register, vote


def _sure(number: str, date: str) -> dict:
    return {"number": number, "issued_date": date,
            "confidence": {"number": 0.97, "issued_date": 0.97}, "references": []}


def _unsure(options: list[tuple[str, float]], date: str) -> dict:
    return {"number": options[0][0], "issued_date": date,
            "confidence": {"number": options[0][1], "issued_date": 0.6},
            "alternatives": {"number": options}, "references": []}


def test_the_register_code_leaves_the_type_out_and_central_numbers_out():
    assert office_of("2164/TB-ĐHĐL") == (2164, "ĐHĐL")
    assert office_of("5710/UBND-SGDĐT") == (5710, "UBND-SGDĐT")
    assert office_of("107/2021/NĐ-CP") is None
    assert office_of("496-TB/TU") is None


def test_a_dropped_digit_loses_to_the_reading_that_keeps_the_order():
    records = [_sure("2095/TB-ĐHĐL", "2025-08-27"), _sure("2164/TB-ĐHĐL", "2025-09-04"),
               _unsure([("268/TB-ĐHĐL", 0.16), ("2678/TB-ĐHĐL", 0.14), ("968/TB-ĐHĐL", 0.12)],
                       "2025-10-28")]
    decisions = vote(records)
    assert [(d.index, d.number) for d in decisions] == [(2, "2678/TB-ĐHĐL")]
    assert records[2]["number"] == "2678/TB-ĐHĐL"
    assert 0.14 < records[2]["confidence"]["number"] <= CAP
    assert "after 2164" in records[2]["warnings"][-1]


def test_an_upper_bound_comes_from_a_later_document_and_a_citation_is_an_anchor():
    citing = _sure("40/KH-UBND", "2024-06-01")
    citing["references"] = [{"number": "35/CV-UBND", "date": "2024-05-20"}]
    records = [citing, _unsure([("71/CV-UBND", 0.5), ("11/CV-UBND", 0.3)], "2024-02-01"),
               _sure("9/TB-UBND", "2024-01-15")]
    assert [(d.index, d.number) for d in order_by_register(records)] == [(1, "11/CV-UBND")]


def test_contradicting_anchors_are_left_out_and_no_anchor_means_no_vote():
    # two anchors that disagree (a misread citation date) say nothing; the third still bounds
    records = [_sure("2065/TB-ĐHĐL", "2025-08-22"), _sure("2033/KH-ĐHĐL", "2025-08-21"),
               _sure("2079/KH-ĐHĐL", "2025-03-26"),
               _unsure([("268/TB-ĐHĐL", 0.2), ("2678/TB-ĐHĐL", 0.1)], "2025-10-28")]
    assert order_by_register(records) == []
    alone = [_unsure([("268/TB-ĐHĐL", 0.2), ("2678/TB-ĐHĐL", 0.1)], "2025-10-28")]
    assert order_by_register(alone) == []
    other_year = [_sure("2164/TB-ĐHĐL", "2024-09-04"), *alone]
    assert order_by_register(other_year) == []


def test_on_generated_registers_the_vote_only_ever_helps():
    """Registers of 3 offices over a year; each unsure number's reader put the truth first or
    second among a dropped-digit and an extra-digit reading. The vote is never wrong where
    the reader was right, and fixes most of the rest."""
    rng = random.Random(11)
    fixed = broken = wrong_first = 0
    for _ in range(40):
        records, truth = [], []
        for office in ("UBND", "SGDĐT", "ĐHĐL"):
            serial, date = rng.randint(1, 300), dt.date(2024, 1, 1)
            for _ in range(12):
                serial += rng.randint(1, 40)
                date += dt.timedelta(days=rng.randint(3, 30))
                number = f"{serial}/CV-{office}"
                if rng.random() < 0.6:
                    records.append(_sure(number, date.isoformat()))
                else:
                    text = str(serial)
                    dropped = text[:-2] + text[-1] if len(text) > 2 else text + "1"
                    right = 0.35 if rng.random() < 0.5 else 0.25
                    options = sorted([(number, right), (f"{dropped}/CV-{office}", 0.3),
                                      (f"{text}7/CV-{office}", 0.1)], key=lambda o: -o[1])
                    records.append(_unsure(options, date.isoformat()))
                truth.append(number)
        vote(records)
        for record, number in zip(records, truth, strict=True):
            if "alternatives" in record:
                first = record["alternatives"]["number"][0][0]
                wrong_first += first != number
                fixed += first != number and record["number"] == number
                broken += first == number and record["number"] != number
    assert broken == 0
    assert fixed >= 0.7 * wrong_first > 0


def test_a_citation_of_one_reading_with_the_document_date_names_it():
    citing = _sure("2700/TB-ĐHĐL", "2025-11-20")
    citing["references"] = [{"number": "2678/TB-ĐHĐL", "date": "2025-10-28"}]
    unsure = _unsure([("268/TB-ĐHĐL", 0.16), ("2678/TB-ĐHĐL", 0.14)], "2025-10-28")
    [decision] = order_by_register([unsure, citing])
    assert decision.number == "2678/TB-ĐHĐL" and decision.confidence > 0.5
    # cited with a later date, 2678 is an upper bound: this document came before it
    citing["references"][0]["date"] = "2025-11-02"
    [decision] = order_by_register([unsure, citing])
    assert decision.number == "268/TB-ĐHĐL" and "before 2678" in decision.reason
