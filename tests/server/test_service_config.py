"""ServiceConfig loading (env, JSON/TOML files, flags), the limiter, and the server entry points."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from baidu_ocr_server import cli, serve
from baidu_ocr_server.config import DEMO_APP, AppCredentials, ConfigError, ServiceConfig, parse_apps
from baidu_ocr_server.connections import GuardedH11Protocol, GuardedServerConfig
from baidu_ocr_server.ratelimit import AppLimiter, AppLimiters


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
    limiter = AppLimiters(clock=lambda: now[0])
    assert limiter.acquire("a", 1, None) is None
    assert limiter.acquire("a", 1, None) == 18
    assert limiter.acquire("b", 1, None) is None
    assert limiter.acquire("c", None, None) is None
    now[0] = 1.0
    assert limiter.acquire("a", 1, None) is None


# --- entry points ------------------------------------------------------------------------------------------------


def _invoke(monkeypatch: pytest.MonkeyPatch, *flags: str, env: dict[str, str] | None = None) -> Any:
    calls: list[tuple[ServiceConfig, str]] = []
    monkeypatch.setattr(serve, "run", lambda config, *, log_level: calls.append((config, log_level)))
    for name in [name for name in os.environ if name.startswith("BAIDU_OCR_SERVER_")]:
        monkeypatch.delenv(name)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli.app, list(flags))
    return result, calls


def test_serve_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"port": 9100, "qps": 4}))
    flags = ["--config", str(path), "--app", "x:y", "--app", "z:w:1:2", "--host", "0.0.0.0", "--allow-private-urls"]
    flags += ["--queue-depth", "3", "--header-timeout", "2.5", "--max-connections", "100", "--log-level", "debug"]
    result, calls = _invoke(monkeypatch, *flags, env={"BAIDU_OCR_SERVER_QPS": "5"})
    assert result.exit_code == 0, result.output
    [(config, log_level)] = calls
    assert log_level == "debug"
    assert config.port == 9100
    assert config.qps == 5
    assert config.host == "0.0.0.0"
    assert config.allow_private_urls is True
    assert (config.queue_depth, config.header_timeout, config.max_connections) == (3, 2.5, 100)
    assert config.apps == (AppCredentials("x", "y"), AppCredentials("z", "w", 1, 2))
    result, calls = _invoke(monkeypatch)
    [(plain, _level)] = calls
    assert plain.allow_private_urls is False
    assert plain.apps == (DEMO_APP,)


@pytest.mark.parametrize(
    "flags", [["--app", "no-secret"], ["--queue-depth", "0"], ["--pixel-budget", "5"], ["--config", "/nonexistent"]]
)
def test_serve_bad_flags_exit_2(monkeypatch: pytest.MonkeyPatch, flags: list[str]) -> None:
    result, calls = _invoke(monkeypatch, *flags)
    assert result.exit_code == 2
    assert calls == []


def test_every_hygiene_setting_has_a_flag_and_an_env_variable() -> None:
    result = CliRunner().invoke(cli.app, ["--help"], env={"COLUMNS": "200"})
    fields = ["queue_depth", "decode_threads", "pixel_budget", "pdf_memory_mb", "pdf_timeout", "header_timeout"]
    fields += ["body_timeout", "keep_alive_timeout", "max_connections", "max_header_bytes"]
    for field in fields:
        assert "--" + field.replace("_", "-") in result.output
        value = "2" if "timeout" in field else str(getattr(ServiceConfig(), field) + 1)
        assert getattr(ServiceConfig.from_env({"BAIDU_OCR_SERVER_" + field.upper(): value}), field) == type(
            getattr(ServiceConfig(), field)
        )(value)


def test_run_single_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in serve.MALLOC_SETTINGS:
        monkeypatch.delenv(name, raising=False)  # restored after the test
    servers: list[Any] = []
    monkeypatch.setattr("uvicorn.Server.run", lambda self, sockets=None: servers.append(self))
    monkeypatch.setattr("logging.config.dictConfig", lambda _config: None)
    serve.run(ServiceConfig(port=9999, signing_key="k", preload_engine=False, header_timeout=3))
    [server] = servers
    config = server.config
    assert isinstance(config, GuardedServerConfig)
    assert config.http is GuardedH11Protocol
    assert config.connection_limits.header_timeout == 3
    assert callable(config.app)
    assert config.access_log is False
    assert (config.host, config.port) == ("127.0.0.1", 9999)
    assert {name: os.environ[name] for name in serve.MALLOC_SETTINGS} == serve.MALLOC_SETTINGS  # for the children


def test_many_workers_get_their_config_through_a_pipe_not_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    handed: list[GuardedServerConfig] = []

    class FakeMultiprocess:
        def __init__(self, config: GuardedServerConfig, sockets: list[Any]) -> None:
            handed.append(config)
            for sock in sockets:
                sock.close()

        def run(self) -> None:
            """Start no process."""

    monkeypatch.setattr(serve, "Multiprocess", FakeMultiprocess)
    for name in serve.MALLOC_SETTINGS:
        monkeypatch.setenv(name, serve.MALLOC_SETTINGS[name])  # so that the environment is left as it was
    monkeypatch.setattr("logging.config.dictConfig", lambda _config: None)
    environment_before = dict(os.environ)
    secret_app = AppCredentials("id", "very-secret-value")
    serve.run(ServiceConfig(workers=3, port=0, apps=(secret_app,)))
    assert dict(os.environ) == environment_before
    [config] = handed
    assert config.workers == 3
    assert config.factory is True
    # what a worker receives: the pickled uvicorn config (multiprocessing's spawn sends it through a pipe)
    received = pickle.loads(pickle.dumps(config))
    assert isinstance(received.app, serve.AppFactory)
    assert isinstance(config.app, serve.AppFactory)
    service_config = received.app.config
    assert service_config.apps == (secret_app,)
    assert service_config.signing_key  # one random key, made once for all workers
    assert service_config.signing_key == config.app.config.signing_key
    assert "very-secret-value" not in repr(received.app)
    assert received.app().state.service.config == service_config
