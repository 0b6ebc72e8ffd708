from pipeline.app.evaluate import score_document


def test_text_fields_fold_case_space_and_nfc():
    truth = {"issuer": "Ủy ban nhân dân thị trấn Chợ Vàm", "number": "89/KH-UBND",
             "signer_name": None}
    record = {"issuer": "ỦY BAN  NHÂN DÂN THỊ TRẤN CHỢ VÀM", "number": "89/KH-UBND"}
    assert score_document(record, truth) == {"issuer": 1.0, "number": 1.0}
    assert score_document({"number": "89/KH-UBN"}, truth)["number"] == 0.0


def test_references_f1_and_recall_on_annotated_pages():
    truth = {"references": [{"number": "354/QĐ-UBND"}, {"number": "766/QĐ-TTg"}]}
    record = {"references": [{"number": "354/QĐ-UBND"}, {"number": "1/KH-UBND"}]}
    assert score_document(record, truth)["references"] == 0.5
    truth["annotated_pages"] = [1]
    assert score_document(record, truth)["references"] == 0.5  # recall 1/2
    record["references"].append({"number": "766/QĐ-TTg"})
    assert score_document(record, truth)["references"] == 1.0


def test_targets_match_on_value_and_indicator():
    truth = {"targets": [{"indicator": "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC",
                          "value": 80.0}]}
    good = {"targets": [{"indicator": "tỷ lệ số hóa hồ sơ kết quả giải quyết TTHC",
                         "value": 80.004}]}
    wrong_value = {"targets": [{"indicator": "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC",
                                "value": 90.0}]}
    assert score_document(good, truth)["targets"] == 1.0
    assert score_document(wrong_value, truth)["targets"] == 0.0
