"""The alignment of OCR'd messages to truth messages in bench/detect_ocr.py (made-up text)."""

from __future__ import annotations

from bench.detect_ocr import align, norm


def kinds(al):
    return [(a["kind"], a["parts"]) for a in al]


def test_norm_drops_space_emoji_and_folds_width():
    assert norm("Ｈｉ there 👋 ！") == "hithere!"


def test_one_to_one_with_misreads_and_extra():
    truth = ["我们周末去爬山吧", "好啊 几点出发", "早上八点在地铁站见"]
    ocr = [["昨天 21:14"], ["我们周末去爬山吧"], ["好啊几点出发"], ["早上八点在地铁站贝"]]
    al = align(truth, ocr)
    assert kinds(al) == [("1-1", [(1, [0])]), ("1-1", [(2, [0])]), ("1-1", [(3, [0])])]
    assert al[2]["sim"] < 1.0


def test_lost_message():
    truth = ["see you at the library", "ok", "bring the notes please"]
    ocr = [["see you at the library"], ["bring the notes please"]]
    al = align(truth, ocr)
    assert [a["kind"] for a in al] == ["1-1", "lost", "1-1"]
    assert al[1]["parts"] == []


def test_split_bubble():
    truth = ["the train was late so I will be there around nine tonight", "fine"]
    ocr = [["the train was late so I will"], ["be there around nine tonight"], ["fine"]]
    al = align(truth, ocr)
    assert kinds(al) == [("split", [(0, [0]), (1, [0])]), ("1-1", [(2, [0])])]


def test_merged_bubbles_divided_at_a_line():
    truth = ["did you feed the cat this morning", "yes and I changed the water too"]
    ocr = [["did you feed the cat", "this morning", "yes and I changed", "the water too"]]
    al = align(truth, ocr)
    assert kinds(al) == [("merged", [(0, [0, 1])]), ("merged", [(0, [2, 3])])]


def test_nothing_read():
    assert [a["kind"] for a in align(["a message", "another"], [])] == ["lost", "lost"]
    assert align([], [["stray"]]) == []


def test_show_losses_is_refused_on_held_out_files(capsys):
    import pytest

    from bench.detect_ocr import HOLDOUTS, is_holdout, main

    assert all(is_holdout(p) for p in HOLDOUTS)
    assert not is_holdout(HOLDOUTS[0].parent.parent / "devset" / "conversations.jsonl")
    for flag in (["--show-losses"], ["--save-scans", "/tmp/never"]):
        with pytest.raises(SystemExit) as exc:
            main(flag)
        assert exc.value.code == 2
        with pytest.raises(SystemExit):
            main([*flag, "--conversations", str(HOLDOUTS[1])])
    assert "refused on held-out files" in capsys.readouterr().err


def test_limit_alternates_the_files(tmp_path):
    import json

    from bench.detect_ocr import load_conversations

    paths = []
    for name, n in (("a", 3), ("b", 1)):
        p = tmp_path / f"{name}.jsonl"
        p.write_text("".join(json.dumps({"id": f"{name}{k}"}) + "\n" for k in range(n)))
        paths.append(p)
    assert [c["id"] for c in load_conversations(paths, 3)] == ["a0", "b0", "a1"]
    assert [c["id"] for c in load_conversations(paths, 0)] == ["a0", "a1", "a2", "b0"]
