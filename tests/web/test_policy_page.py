"""The desk's policy page says, per rule, what its threshold does: the default's share of rule-breaking
comments caught and of clean ones held on validation data, and when this site's threshold differs."""

from __future__ import annotations

import re

from support import csrf_of, login

from remarks.moderation import rules


def test_the_policy_page_says_what_each_threshold_does(client, make_user):
    make_user("boss", role="admin")
    login(client, "boss")
    page = client.get("/desk/policy")
    assert page.status_code == 200
    for rule in rules.scored():
        row = re.search(rf'<tr id="threshold-{rule.name}">(.*?)</tr>', page.text, re.S)
        assert row, f"no row for {rule.name}"
        if rules.measured(rule.name):
            assert re.search(r"about \d+% of rule-breaking comments are caught and \d+% of clean ones held",
                             row.group(1)), row.group(1)
            assert "differs from the default" not in row.group(1)

    toml = "[thresholds.abuse]\nhold = 0.9\nremove = 0.97\n"
    r = client.post("/desk/policy", data={"toml": toml, "note": "stricter", "csrf": csrf_of(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    row = re.search(r'<tr id="threshold-abuse">(.*?)</tr>', client.get("/desk/policy").text, re.S).group(1)
    assert "<td>0.90</td>" in row and "differs from the default" in row
