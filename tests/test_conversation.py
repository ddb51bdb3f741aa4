"""Conversation weighing: the documented combination behind summary.risk."""

from __future__ import annotations

import functools

from patterns import Analyzer, Category, Finding, Message, Severity, Speaker
from patterns.conversation import weigh


def f(cat: Category, sev: Severity) -> Finding:
    return Finding(rule=f"{cat.value}.x", category=cat, severity=sev, score=100.0, matched="x", span=(0, 1), advice=cat.value)


THEM, ME = Speaker.THEM, Speaker.ME


def msgs(*speakers: Speaker) -> list[Message]:
    return [Message("x", s) for s in speakers]


def test_nothing_found_is_none():
    a = weigh(msgs(THEM, ME), [[], []])
    assert a.risk == "none" and a.categories == () and a.flagged_messages == 0


def test_user_quoting_a_threat_drops_a_step_but_personal_info_does_not():
    a = weigh(msgs(ME, ME), [[f(Category.THREAT, Severity.HIGH)], [f(Category.PERSONAL_INFO, Severity.HIGH)]])
    assert a.messages[0].findings[0].severity == Severity.MEDIUM
    assert "written by you" in a.messages[0].findings[0].reasons[0]
    assert a.messages[1].findings[0].severity == Severity.HIGH


def test_demand_after_explicit_request_is_critical_sextortion_pattern():
    a = weigh(msgs(THEM, THEM), [[f(Category.EXPLICIT_REQUEST, Severity.HIGH)], [f(Category.MONEY_DEMAND, Severity.MEDIUM)]])
    assert a.messages[1].findings[0].severity == Severity.CRITICAL
    assert a.risk == "critical"
    # the same demand BEFORE the request is not raised by that rule
    b = weigh(msgs(THEM, THEM), [[f(Category.MONEY_DEMAND, Severity.MEDIUM)], [f(Category.EXPLICIT_REQUEST, Severity.HIGH)]])
    assert b.messages[0].findings[0].severity == Severity.MEDIUM


def test_fake_authority_raises_money_and_data_requests():
    a = weigh(msgs(THEM, THEM), [[f(Category.IMPERSONATION, Severity.MEDIUM)], [f(Category.PERSONAL_INFO, Severity.MEDIUM)]])
    assert a.messages[1].findings[0].severity == Severity.HIGH


def test_escalation_sequence_makes_the_conversation_critical():
    a = weigh(msgs(THEM, THEM, THEM), [[f(Category.GROOMING, Severity.LOW)], [f(Category.EXPLICIT_REQUEST, Severity.HIGH)],
                                        [f(Category.THREAT, Severity.HIGH)]])
    assert a.risk == "critical" and any("escalation" in r for r in a.reasons)


def test_sustained_pattern_from_the_other_party_is_at_least_high():
    three = weigh(msgs(THEM, THEM, THEM), [[f(Category.INVESTMENT_SCAM, Severity.MEDIUM)]] * 3)
    assert three.risk == "high"
    # the same messages written by the user do not count as a sustained pattern
    mine = weigh(msgs(ME, ME, ME), [[f(Category.INVESTMENT_SCAM, Severity.MEDIUM)]] * 3)
    assert mine.risk == "low"
    two = weigh(msgs(THEM, THEM), [[f(Category.INVESTMENT_SCAM, Severity.MEDIUM)]] * 2)
    assert two.risk == "medium"


def test_categories_most_severe_first():
    a = weigh(msgs(THEM, THEM), [[f(Category.LOCATION, Severity.MEDIUM)], [f(Category.THREAT, Severity.HIGH)]])
    assert a.categories[0] == Category.THREAT


def test_a_sextortion_threat_naming_a_sum_is_sextortion_first():
    """The money demand inside a sextortion message is raised to critical by the context; the
    finding that is critical on its own (sextortion) still leads the message, whatever the
    order the rules come in."""
    for order in ([Category.MONEY_DEMAND, Category.SEXTORTION], [Category.SEXTORTION, Category.MONEY_DEMAND]):
        sev = {Category.MONEY_DEMAND: Severity.HIGH, Category.SEXTORTION: Severity.CRITICAL}
        a = weigh(msgs(THEM), [[f(c, sev[c]) for c in order]])
        top = a.messages[0].findings
        assert [x.severity for x in top] == [Severity.CRITICAL, Severity.CRITICAL]  # both critical
        assert top[0].category == Category.SEXTORTION


# ------------------------------------------------------------------ context lines (issue #5)

def _flagged_lines(chat: list[tuple[Speaker, str]]) -> list[bool]:
    an = _builtin()
    out = an.assess([Message(t, s) for s, t in chat])
    return [bool(mf.findings) for mf in out.messages]


@functools.cache
def _builtin() -> Analyzer:
    return Analyzer.load(())


def test_short_follow_ups_in_a_scam_chat_are_flagged_and_the_victims_lines_are_not():
    chat = [
        (THEM, "hey cutie"), (ME, "hi"),
        (THEM, "I have your nudes and a list of all your followers"),
        (THEM, "pay $500 in bitcoin or I send them to everyone"),
        (ME, "please don't, I'm 16"),
        (THEM, "you have 1 hour"), (THEM, "still waiting"), (ME, "I'll do it"),
        (THEM, "last chance"), (THEM, "check your inbox"), (ME, "i sent it"),
    ]
    assert _flagged_lines(chat) == [False, False, True, True, False, True, True, False, True, True, False]
    gift_cards = [
        (THEM, "幫我買幾張Apple禮品卡，客戶要，我而家開緊會唔方便"), (ME, "要幾多？"),
        (THEM, "買咗未？"), (ME, "去緊7仔"), (THEM, "刮開影相send俾我"), (THEM, "快啲啦 客戶等緊"),
    ]
    assert _flagged_lines(gift_cards) == [True, False, True, False, True, True]


def test_the_same_words_in_family_and_friends_chats_stay_clean():
    family = [
        (THEM, "到家了吗？"), (ME, "还没，在地铁"), (THEM, "快点回来吃饭"),
        (THEM, "生活费转给你了，查收一下"), (THEM, "转了吗？你爸让你把房租转给房东"), (ME, "转了"),
        (THEM, "截图发我看看"),
    ]
    assert not any(_flagged_lines(family))
    friends = [
        (THEM, "我们一起买个steam gift card送给小明生日吧"), (ME, "好啊 每人50"), (THEM, "你转了吗？"),
        (THEM, "still waiting at the cafe, where are you"), (THEM, "check your inbox, I sent the invoice"),
        (THEM, "last chance to join the pizza order"),
    ]
    assert not any(_flagged_lines(friends))


def test_context_findings_mark_their_line_but_do_not_weigh_on_the_summary():
    an = _builtin()
    ask = "幫我買幾張Apple禮品卡，客戶要，我而家開緊會唔方便"  # the fake boss: high on its own
    alone = an.assess([Message(ask, THEM)])
    more = an.assess([Message(ask, THEM), Message("转了吗？", THEM), Message("快点", THEM),
                      Message("still waiting", THEM)])
    assert alone.risk == "high" and alone.flagged_messages == 1
    ctx = [f for mf in more.messages[1:] for f in mf.findings]
    assert len(ctx) == 3 and all(f.context and f.reasons for f in ctx)
    assert not any(f.context for f in more.messages[0].findings)  # a flagged line gets none
    assert more.flagged_messages == 4
    # three short follow-ups are not "repeated pressure" nor "sustained": same risk, same reasons
    assert (more.risk, more.categories, more.reasons) == (alone.risk, alone.categories, alone.reasons)


def test_a_follow_up_line_gets_one_context_finding_of_the_chats_strongest_scheme():
    an = _builtin()
    chat = [Message("你刚才裸聊的视频我都录下来了，不转5000就发给你微信所有好友", THEM),
            Message("求你了", ME), Message("转了吗？", THEM)]
    last = an.assess(chat).messages[-1].findings
    assert len(last) == 1 and last[0].context and last[0].category == Category.SEXTORTION
    boss = [Message("幫我買幾張Apple禮品卡，客戶要，我而家開緊會唔方便", THEM), Message("转了吗？", THEM)]
    last = an.assess(boss).messages[-1].findings
    assert len(last) == 1 and last[0].context and last[0].category == Category.MONEY_DEMAND


def test_context_findings_are_left_out_of_the_summary_by_weigh():
    plain = f(Category.SEXTORTION, Severity.HIGH)
    ctx = Finding(rule="money_demand.context", category=Category.MONEY_DEMAND, severity=Severity.MEDIUM,
                  score=100.0, matched="x", span=(0, 1), advice="money_demand", context=True)
    a = weigh(msgs(THEM, THEM, THEM, THEM), [[plain], [ctx], [ctx], [ctx]])
    b = weigh(msgs(THEM, THEM, THEM, THEM), [[plain], [], [], []])
    assert (a.risk, a.categories) == (b.risk, b.categories) and a.flagged_messages == 4 and b.flagged_messages == 1
    # counted as ordinary findings, the same lines would be sustained pressure in two categories
    c = weigh(msgs(THEM, THEM, THEM, THEM), [[plain], [f(Category.MONEY_DEMAND, Severity.MEDIUM)]] + [[f(Category.MONEY_DEMAND, Severity.MEDIUM)]] * 2)
    assert Severity[c.risk.upper()].rank > Severity[b.risk.upper()].rank or c.categories != b.categories
