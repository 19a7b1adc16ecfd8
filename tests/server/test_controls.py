"""Test controls (fault injection, request journal): off unless asked for, validated, secret-free."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from servicekit import FakeEngine, make_config
from starlette.applications import Starlette

from baidu_ocr_server.app import create_app
from baidu_ocr_server.controls import TestControls, TestControlsMiddleware
from baidu_ocr_server.embedded import LocalService
from baidu_ocr_server.faults import MAX_DELAY, MAX_FAULTS, FaultPlan
from baidu_ocr_server.journal import RequestJournal, auth_kind

GENERAL = "/rest/2.0/ocr/v1/general_basic"


@pytest.fixture(scope="module")
def controlled() -> Iterator[tuple[LocalService, TestControls]]:
    controls = TestControls()
    with LocalService(make_config(), engine=FakeEngine(), test_controls=controls) as service:
        yield service, controls


def _middleware(app: Starlette) -> list[str]:
    return [getattr(m.cls, "__name__", "") for m in app.user_middleware]


def test_controls_are_off_by_default() -> None:
    assert _middleware(create_app(make_config(), FakeEngine())) == ["AccessLogMiddleware"]
    with_controls = create_app(make_config(), FakeEngine(), test_controls=TestControls())
    assert _middleware(with_controls) == ["AccessLogMiddleware", TestControlsMiddleware.__name__]


@pytest.mark.parametrize(
    ("arm", "message"),
    [
        (lambda plan: plan.fail("nope", 18), "unknown endpoint 'nope'"),
        (lambda plan: plan.fail("token", 18), "unknown endpoint 'token'"),
        (lambda plan: plan.fail("general_basic", 424242), "424242 is not in the spec's error table"),
        (lambda plan: plan.fail("general_basic", 18, times=0), "times must be at least 1"),
        (lambda plan: plan.delay("general_basic", MAX_DELAY + 1), "a delay must be between 0 and"),
        (lambda plan: plan.delay("token", -1), "a delay must be between 0 and"),
        (lambda plan: plan.fail("general_basic", 18, times=MAX_FAULTS + 1), f"at most {MAX_FAULTS} faults"),
    ],
)
def test_fault_plans_are_validated(arm: object, message: str) -> None:
    plan = FaultPlan()
    with pytest.raises(ValueError, match=message):
        arm(plan)  # type: ignore[operator]
    assert plan.pending() == []


def test_faults_fire_in_order_per_endpoint() -> None:
    plan = FaultPlan()
    plan.fail("general_basic", 18, times=2)
    plan.delay("accurate_basic", 0.5)
    plan.fail("general_basic", 17)
    assert [f.error_code for f in plan.pending("general_basic")] == [18, 18, 17]
    first = plan.take("accurate_basic")
    assert first is not None
    assert (first.error_code, first.delay) == (None, 0.5)
    assert plan.take("accurate_basic") is None
    assert [fault.error_code for fault in iter(lambda: plan.take("general_basic"), None)] == [18, 18, 17]


def test_the_journal_is_bounded() -> None:
    from baidu_ocr_server.journal import JournalEntry

    journal = RequestJournal(capacity=3)
    for code in range(5):
        journal.record(JournalEntry("general_basic", error_code=code))
    assert [entry.error_code for entry in journal.entries()] == [2, 3, 4]


@pytest.mark.parametrize(
    ("query", "authorization", "grant", "kind"),
    [
        ({"access_token": "t"}, "", None, "access_token"),
        ({}, "bce-auth-v1/ak/2024-01-02T03:04:05Z/1800/host/abc", None, "bce-auth-v1"),
        ({}, "Bearer bce-v3/ALTAK-x/y", None, "bearer"),
        ({"access_token": "t"}, "Bearer bce-v3/ALTAK-x/y", None, "several"),
        ({}, "", "client_credentials", "client_credentials"),
        ({}, "", None, "none"),
    ],
)
def test_auth_kinds(query: dict[str, str], authorization: str, grant: str | None, kind: str) -> None:
    assert auth_kind(query, authorization, grant) == kind


def test_raw_requests_are_journaled_without_credentials(controlled: tuple[LocalService, TestControls]) -> None:
    service, controls = controlled
    controls.reset()
    with httpx.Client(base_url=service.base_url, trust_env=False) as http:
        http.post(
            "/oauth/2.0/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "local-api-key",
                "client_secret": "local-secret-key",
            },
        )
        answer = http.post(
            GENERAL,
            params={"access_token": "forged"},
            headers={"Authorization": "Bearer sekrit"},
            data={"pdf_file": "JVBERi0=", "pdf_file_num": "2"},
        ).json()
    token, call = controls.journal.entries()
    assert (token.status, token.auth, token.options) == (
        200,
        "client_credentials",
        {"grant_type": "client_credentials"},
    )
    assert (call.auth, call.input_kind, call.input_size, call.options) == (
        "several",
        "pdf_file",
        5,
        {"pdf_file_num": "2"},
    )
    assert call.error_code == answer["error_code"]
    for secret in ("local-api-key", "local-secret-key", "forged", "sekrit", "JVBERi0"):
        assert secret not in repr(controls.journal.entries())


def test_an_injected_fault_reads_the_body_and_answers_baidu_json(controlled: tuple[LocalService, TestControls]) -> None:
    service, controls = controlled
    controls.reset()
    controls.faults.fail("accurate_basic", 282000)
    with httpx.Client(base_url=service.base_url, trust_env=False) as http:
        first = http.post("/rest/2.0/ocr/v1/accurate_basic", data={"image": "x" * 200_000})
        second = http.post("/rest/2.0/ocr/v1/accurate_basic", params={"access_token": "bad"}, data={"image": "eA=="})
    assert first.status_code == 200
    assert first.json()["error_code"] == 282000
    assert second.json()["error_code"] == 110  # the fault was spent; the service itself answers again
    assert [(e.error_code, e.injected) for e in controls.journal.entries()] == [(282000, True), (110, False)]
    assert controls.wait_idle(5.0)
