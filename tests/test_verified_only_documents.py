"""The weekly brief, the monthly bulletin and the year-end account say 「仅计已核验」 under their
title while only verified milestones count, and not otherwise."""

from __future__ import annotations

from dataclasses import replace

from analytics.documents import bulletin, weekly
from analytics.documents.account import account_docx
from analytics.screens.account import year_account
from tests.metrics_fixtures import settings
from tests.test_documents import AS_OF, small_county, text_of

NOTE = "（仅计已核验：入统、开工、投产和资金到位均只计已核验的）"


def test_documents_say_verified_only_under_their_title() -> None:
    con = small_county()
    for verified_only in (True, False):
        chosen = settings(count_verified_only=verified_only)
        texts = [
            text_of(weekly.weekly_docx(weekly.weekly_figures(con, AS_OF, chosen))),
            text_of(bulletin.bulletin_docx(bulletin.bulletin_figures(con, "2026-11", chosen, AS_OF))),
        ]
        for text in texts:
            lines = text.splitlines()
            if verified_only:
                # right after the title block: title, subtitle, then the note
                assert NOTE in lines
                assert lines.index(NOTE) < next(i for i, line in enumerate(lines) if line.startswith("一、"))
            else:
                assert "仅计已核验" not in text


def test_the_year_end_account_says_verified_only_under_its_title() -> None:
    con = small_county()
    account = year_account(con, 2026, AS_OF)
    for verified_only in (True, False):
        chosen = replace(account, settings={**account.settings, "count_verified_only": verified_only})
        lines = text_of(account_docx(chosen, issued_on=AS_OF)).splitlines()
        assert (NOTE in lines) is verified_only
