"""Visible revocation of physical pages and the abort protocol (aegis/revoke.c, exos/revoke.c;
paper section 3: visible revocation, repossession vector, guaranteed pages).

tests/guest_aegis/revoke_main.c is both the parent ("revoke") and the child it spawns ("revoke2").
The parent asks for some of the child's pages with SYS_PAGE_RECLAIM; the child's 16 pages at
REG (0-11 written, 12-15 clean in the compliant case) are what it can lose.
"""
from __future__ import annotations


import pytest

from exobench import guestrun
from exobench.machine import Stop

from helpers import AEGIS as SYS, AEGIS_GUESTS as HERE, neg
TIMER = 1_000_000   # slow enough for the child to set up within one slice
EPERM, ESRCH, EBUSY = -1, -3, -16


@pytest.fixture(scope="module")
def prog():
    return SYS.program("aegis_revoke", [HERE / "revoke_main.c"])


def run(prog, t):
    run = guestrun.run(SYS, [("revoke", prog), ("revoke2", prog)], {"t": t, "aegis_timer": TIMER, "report_any": 1},
                       limit=100_000_000)
    assert run.stop.reason == Stop.HALT and run.stop.code == 0
    return run.results()


def common(r):
    # only the parent may reclaim, and only from an environment that exists
    assert neg(r["reclaim_parent"]) == EPERM and neg(r["reclaim_self"]) == EPERM
    assert neg(r["reclaim_nochild"]) == ESRCH
    # the child keeps running; the parent's own pages are untouched
    assert r["child_done"] == 1 and r["parent_ok"] == 8
    # every page it lost: its old capability is refused (mapping, either right, and freeing) --
    # even once the same physical page is allocated again (here to the child itself) --
    # and an access there faults to the program's handler
    assert r["reused"] == r["gone_n"]
    assert r["old_refused"] == r["gone_n"] and r["free_refused"] == r["gone_n"]
    assert r["gone_fault"] == 1
    # every page it kept: data intact, capability still good
    assert r["kept_ok"] == 16 - r["gone_n"]


def test_compliant_gives_back_exactly_what_is_asked(prog):
    r = run(prog, 1)
    common(r)
    assert r["asked"] == 6 and neg(r["again"]) == EBUSY
    assert r["revoked"] == 6 and r["repossessed"] == 0 and r["repo_count"] == 0
    # policy: the 4 clean pages (12-15) first, then the highest dirty ones (11, 10)
    assert r["gone_n"] == 6 and r["gone"] == 0xFC00


def test_no_handler_loses_pages_by_force(prog):
    r = run(prog, 2)
    common(r)
    assert r["asked"] == 5                  # taken at once: no revocation entry
    assert r["revoked"] == 0 and r["repossessed"] == 0
    # the repossession vector: 5 entries, each one of its SYS_PAGE_ALLOC pages (never a
    # guaranteed one) with the va it was bound at (0 where no binding was left: most are)
    assert r["repo_count"] == 5 and r["vec_ok"] == 1 and r["gone_n"] == 5
    assert r["va_known"] >= 3


def test_spinning_handler_is_aborted(prog):
    r = run(prog, 3)
    common(r)
    assert r["asked"] == 5 and neg(r["again"]) == EBUSY
    # the handler spun through its slice: 5 pages taken, ExOS's repossession handler took them
    # out of its page table and reset the vector; the child went on where it was interrupted
    assert r["revoked"] == 0 and r["repossessed"] == 5 and r["repo_count"] == 0
    assert r["gone_n"] == 5


def test_partial_compliance_the_rest_is_taken(prog):
    r = run(prog, 4)
    common(r)
    # ExOS may give back only its 3-page revocable region (pages 0-2); SYS_REVOKE_DONE with 3 of
    # the 6 asked: the kernel takes 3 more (the highest physical pages: 13-15), and ExOS's
    # repossession handler takes them out of its page table
    assert r["asked"] == 6 and neg(r["again"]) == EBUSY
    assert r["revoked"] == 3 and r["repossessed"] == 3 and r["repo_count"] == 0
    assert r["gone_n"] == 6 and r["gone"] == 0xE007


def test_guaranteed_pages_are_never_taken(prog):
    r = run(prog, 5)
    common(r)
    # asked for 1000 pages: only its 16 SYS_PAGE_ALLOC pages are revocable; all are taken, the
    # vector names exactly those, and text, data, stack and uarea are left: the child runs on
    assert r["asked"] == 16 and r["repo_count"] == 16 and r["vec_ok"] == 1
    assert r["va_known"] >= 8
    assert r["gone_n"] == 16 and r["kept_ok"] == 0


def test_busy_in_an_upcall_for_two_ticks(prog):
    r = run(prog, 6)
    common(r)
    # the child has ExOS's revocation handler but sits in an end-of-slice upcall at both ticks:
    # the request cannot be delivered, the kernel takes the pages, and the repossession upcall
    # comes once the end-of-slice upcall is over
    assert r["asked"] == 5 and neg(r["again"]) == EBUSY
    assert r["revoked"] == 0 and r["repossessed"] == 5 and r["repo_count"] == 0
    assert r["gone_n"] == 5
