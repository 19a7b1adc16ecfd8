"""ServiceConfig loading (env, JSON/TOML files, flags), the limiter, and the server entry points."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from baidu_ocr_server import serve
from baidu_ocr_server.config import CONFIG_JSON_ENV, DEMO_APP, AppCredentials, ConfigError, ServiceConfig, parse_apps
from baidu_ocr_server.ratelimit import AppLimiter, RateLimiter


def test_defaults() -> None:
    config = ServiceConfig()
    assert config.apps == (DEMO_APP,)
    assert (DEMO_APP.client_id, DEMO_APP.client_secret) == ("local-api-key", "local-secret-key")
    assert (config.host, config.port, config.workers) == ("127.0.0.1", 8282, 1)
    assert config.signing_key is None
    assert config.token_lifetime == 2592000
    assert config.allow_private_urls is False
    assert config.engine_threads >= 1


def test_repr_hides_secrets() -> None:
    config = ServiceConfig(apps=(AppCredentials("id", "super-secret"),), signing_key="signing-secret")
    text = repr(config)
    assert "super-secret" not in text
    assert "signing-secret" not in text
    assert "id" in text


def test_parse_apps() -> None:
    assert parse_apps(["a:b", " c:d:2.5:100 ", "", "e:f::7"]) == (
        AppCredentials("a", "b"),
        AppCredentials("c", "d", 2.5, 100),
        AppCredentials("e", "f", None, 7),
    )
    for bad in (["nosecret"], ["a:b:x"], ["a:"], ["a:b:1:2:3"], [""]):
        with pytest.raises(ConfigError):
            parse_apps(bad)


def test_from_env() -> None:
    env = {
        "BAIDU_OCR_SERVER_APPS": "id1:s1,id2:s2:3",
        "BAIDU_OCR_SERVER_SIGNING_KEY": "k",
        "BAIDU_OCR_SERVER_PORT": "9000",
        "BAIDU_OCR_SERVER_ALLOW_PRIVATE_URLS": "true",
        "BAIDU_OCR_SERVER_QPS": "2",
        "BAIDU_OCR_SERVER_DAILY_LIMIT": "500",
        "BAIDU_OCR_SERVER_FETCH_TIMEOUT": "3.5",
        "BAIDU_OCR_SERVER_URL_ALLOW_NETWORKS": "10.0.0.0/8, 192.168.1.0/24",
    }
    config = ServiceConfig.from_env(env)
    assert [app.client_id for app in config.apps] == ["id1", "id2"]
    assert config.apps[1].qps == 3
    assert config.signing_key == "k"
    assert config.port == 9000
    assert config.allow_private_urls is True
    assert (config.qps, config.daily_limit, config.fetch_timeout) == (2, 500, 3.5)
    assert config.url_allow_networks == ("10.0.0.0/8", "192.168.1.0/24")
    assert ServiceConfig.from_env({}) == ServiceConfig(engine_threads=config.engine_threads)


@pytest.mark.parametrize(
    "env",
    [
        {"BAIDU_OCR_SERVER_PORT": "http"},
        {"BAIDU_OCR_SERVER_ALLOW_PRIVATE_URLS": "maybe"},
        {"BAIDU_OCR_SERVER_URL_ALLOW_NETWORKS": "not-a-network"},
        {"BAIDU_OCR_SERVER_WORKERS": "0"},
    ],
)
def test_bad_env(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        ServiceConfig.from_env(env)


def test_toml_and_json_files(tmp_path: Path) -> None:
    toml = tmp_path / "service.toml"
    toml.write_text(
        'port = 8300\nsigning_key = "from-file"\n\n[[apps]]\nclient_id = "t"\nclient_secret = "ts"\nqps = 2\n'
    )
    config = ServiceConfig.from_file(toml)
    assert config.port == 8300
    assert config.apps == (AppCredentials("t", "ts", 2),)
    data = {"apps": [{"client_id": "j", "client_secret": "js", "daily_limit": 9}], "workers": 2}
    path = tmp_path / "service.json"
    path.write_text(json.dumps(data))
    assert ServiceConfig.from_file(path).apps == (AppCredentials("j", "js", None, 9),)
    # the environment wins over the file it names
    env = {"BAIDU_OCR_SERVER_CONFIG": str(toml), "BAIDU_OCR_SERVER_PORT": "8400"}
    assert ServiceConfig.from_env(env).port == 8400
    assert ServiceConfig.from_env(env).signing_key == "from-file"


def test_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    for text in ("{", "[]", '{"nope": 1}', '{"apps": []}', '{"apps": [{"client_id": "x"}]}'):
        path.write_text(text)
        with pytest.raises(ConfigError):
            ServiceConfig.from_file(path)


def test_json_round_trip() -> None:
    config = ServiceConfig(
        apps=(AppCredentials("a", "b", 1.5, 3),), signing_key="k", url_allow_networks=("10.0.0.0/8",)
    )
    assert ServiceConfig.from_json(config.to_json()) == config
    assert ServiceConfig.from_env({CONFIG_JSON_ENV: config.to_json(), "BAIDU_OCR_SERVER_PORT": "1"}) == config


# --- limiter -----------------------------------------------------------------------------------------------------


def test_qps_token_bucket() -> None:
    limiter = AppLimiter(qps=2, daily_limit=None)
    assert [limiter.acquire(100.0) for _ in range(3)] == [None, None, 18]
    assert limiter.acquire(100.4) == 18  # 0.8 of a request refilled
    assert limiter.acquire(100.5) is None
    assert limiter.acquire(100.5) == 18
    assert limiter.acquire(200.0) is None


def test_fractional_qps() -> None:
    limiter = AppLimiter(qps=0.5, daily_limit=None)
    assert limiter.acquire(0.0) is None
    assert limiter.acquire(1.0) == 18
    assert limiter.acquire(2.0) is None


def test_daily_limit_resets_at_beijing_midnight() -> None:
    midnight_beijing = 1_700_006_400 - 8 * 3600  # 2023-11-15 00:00 UTC+8
    limiter = AppLimiter(qps=None, daily_limit=2)
    assert [limiter.acquire(midnight_beijing - 10) for _ in range(3)] == [None, None, 17]
    assert limiter.acquire(midnight_beijing) is None


def test_refused_requests_are_not_counted() -> None:
    limiter = AppLimiter(qps=1, daily_limit=2)
    assert limiter.acquire(0.0) is None
    assert limiter.acquire(0.1) == 18  # not counted against the day
    assert limiter.acquire(1.5) is None
    assert limiter.acquire(3.0) == 17


def test_rate_limiter_per_app_with_clock() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert limiter.acquire("a", 1, None) is None
    assert limiter.acquire("a", 1, None) == 18
    assert limiter.acquire("b", 1, None) is None
    assert limiter.acquire("c", None, None) is None
    now[0] = 1.0
    assert limiter.acquire("a", 1, None) is None


# --- entry points ------------------------------------------------------------------------------------------------


def test_config_from_args(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"port": 9100, "qps": 4}))
    args = serve.build_parser().parse_args(
        ["--config", str(path), "--app", "x:y", "--app", "z:w:1:2", "--host", "0.0.0.0", "--allow-private-urls"]
    )
    config = serve.config_from_args(args, env={"BAIDU_OCR_SERVER_QPS": "5"})
    assert config.port == 9100
    assert config.qps == 5
    assert config.host == "0.0.0.0"
    assert config.allow_private_urls is True
    assert config.apps == (AppCredentials("x", "y"), AppCredentials("z", "w", 1, 2))
    plain = serve.config_from_args(serve.build_parser().parse_args([]), env={})
    assert plain.allow_private_urls is False
    assert plain.apps == (DEMO_APP,)


def test_run_single_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setattr("logging.config.dictConfig", lambda _config: None)
    serve.run(ServiceConfig(port=9999, signing_key="k", preload_engine=False))
    ((app, kwargs),) = calls
    assert callable(app)
    assert kwargs["access_log"] is False
    assert (kwargs["host"], kwargs["port"]) == ("127.0.0.1", 9999)


def test_run_many_workers_shares_one_random_key(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setattr("logging.config.dictConfig", lambda _config: None)
    monkeypatch.setenv(CONFIG_JSON_ENV, "")  # restored (removed) after the test
    serve.run(ServiceConfig(workers=3))
    ((app, kwargs),) = calls
    assert app == "baidu_ocr_server.app:create_app_from_env"
    assert kwargs["factory"] is True
    assert kwargs["workers"] == 3
    assert kwargs["access_log"] is False
    handed_over = ServiceConfig.from_json(os.environ[CONFIG_JSON_ENV])
    assert handed_over.signing_key
    assert handed_over.workers == 3
