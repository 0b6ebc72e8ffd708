"""The header fields' confidence: a model fitted on truth (scripts/train_confidence.py)."""

from __future__ import annotations

import json

import pytest

from extractors.confidence import FEATURES, MODEL, features, field_confidence, probability

SIGNED = {"signer_name": "Nguyễn Hồng Thanh", "signer_title": "Phó Chủ tịch",
          "signing_authority": "KT. Chủ tịch"}
WHERE = {"page": 1, "box": [0, 0, 10, 10], "confidence": 93.0, "lowest": 88.0}


def _evidence(**extra) -> dict:
    return {"decided": {}, "title": None, "issuer_inferred": False, "text_source": False,
            "text_quality": None, "page_confidence": 91.0, "pen": [], **extra}


def test_the_shipped_model_is_the_one_the_features_fit() -> None:
    model = json.loads(MODEL.read_text(encoding="utf-8"))
    assert model["features"] == list(FEATURES)
    assert len(model["coef"]) == len(FEATURES) == len(model["mean"]) == len(model["scale"])
    assert model["platt"]["a"] > 0  # the map keeps the model's order


def test_a_name_the_lexicon_repaired_is_less_sure_than_one_read_as_is() -> None:
    provenance = {f: WHERE for f in SIGNED}
    as_read = field_confidence(SIGNED, provenance, _evidence(name_read="Nguyễn Hồng Thanh"))
    repaired = field_confidence(SIGNED, provenance, _evidence(name_read="Nguyễn Hễng Thanh"))
    assert repaired["signer_name"] < as_read["signer_name"]
    assert as_read["signer_name"] >= 0.9 > repaired["signer_name"]


def test_garbage_from_a_phone_photo_is_not_sure() -> None:
    """r3-05 of ../shared/real3: a photo read as noise must not be stored as a sure issuer."""
    fields = {"issuer": "HẠ NIị . Huy Nị HÀ ĐÀN VN sự + Đ Hững Xe - đun cụ, \" m mô ĐH"}
    weak = {"issuer": {**WHERE, "confidence": 41.0, "lowest": 12.0}}
    assert field_confidence(fields, weak, _evidence(page_confidence=38.0))["issuer"] < 0.6


@pytest.mark.parametrize("field", ["number", "subject", "signer_title"])
def test_confidence_rises_with_the_ocr_of_its_line(field: str) -> None:
    model = json.loads(MODEL.read_text(encoding="utf-8"))
    values = {"number": "68/QĐ-UBND", "subject": "Về việc tặng danh hiệu Chiến sĩ thi đua",
              "signer_title": "Phó Chủ tịch"}
    fields = {field: values[field]}
    low = features(field, values[field], fields, {field: {**WHERE, "confidence": 55.0,
                                                           "lowest": 30.0}}, _evidence())
    high = features(field, values[field], fields, {field: WHERE}, _evidence())
    assert probability(model, field, low) < probability(model, field, high)


def test_without_the_model_the_prior_is_the_confidence() -> None:
    fields = {"signer_title": "Phó Chủ tịch"}
    prior = field_confidence(fields, {"signer_title": WHERE}, _evidence(), model=None)
    assert prior == {"signer_title": 0.97}
