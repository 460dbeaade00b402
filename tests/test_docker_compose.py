"""The production-like stack: docker-compose.yml and the Dockerfile stay consistent with the
settings the code reads, and every long-running service has a health check."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
APP_SERVICES = ("web", "worker", "beat")
# Environment names the app containers must receive, each read by backend/settings.py.
APP_ENV = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
)
# Read by boto3 from the environment, not by settings.py.
S3_CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
REQUIRED_SECRETS = {
    "SECRET_KEY": "test-secret-key",
    "POSTGRES_PASSWORD": "test-db-password",
    "MINIO_ROOT_PASSWORD": "test-minio-password",
}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


def command_text(service):
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def test_stack_has_every_service_with_a_health_check(compose):
    services = compose["services"]
    assert set(services) >= {"postgres", "redis", "minio", "createbucket", *APP_SERVICES}
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["createbucket"]["image"].startswith("minio/mc")
    for name in ("postgres", "redis", "minio", *APP_SERVICES):
        assert services[name]["healthcheck"]["test"], name


def test_app_services_get_the_settings_the_code_reads(compose):
    settings_source = (ROOT / "backend" / "settings.py").read_text()
    for name in APP_ENV:
        assert f'"{name}"' in settings_source, f"settings.py no longer reads {name}"
    for service in APP_SERVICES:
        environment = compose["services"][service]["environment"]
        assert set(environment) >= {*APP_ENV, *S3_CREDENTIALS}, service
        assert environment["DEBUG"] == "0"
        assert compose["services"][service]["build"] == "."


def test_web_migrates_collects_static_and_serves_with_gunicorn(compose):
    web = compose["services"]["web"]
    command = command_text(web)
    assert command.index("migrate") < command.index("collectstatic") < command.index("gunicorn")
    assert "backend.wsgi" in command
    assert web["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert web["depends_on"]["createbucket"]["condition"] == "service_completed_successfully"


def test_asgi_serves_the_live_feeds_with_uvicorn_after_migrations(compose):
    asgi = compose["services"]["asgi"]
    assert "uvicorn backend.asgi:application" in command_text(asgi)
    assert (
        asgi["environment"]["REDIS_URL"] == compose["services"]["web"]["environment"]["REDIS_URL"]
    )
    assert asgi["depends_on"]["web"]["condition"] == "service_healthy"
    assert asgi["healthcheck"]["test"]


def test_worker_and_beat_run_celery_after_migrations(compose):
    assert command_text(compose["services"]["worker"]).startswith("celery -A backend worker")
    assert command_text(compose["services"]["beat"]).startswith("celery -A backend beat")
    for service in ("worker", "beat"):
        assert compose["services"][service]["depends_on"]["web"]["condition"] == "service_healthy"


def test_bucket_is_created_for_the_media_storage(compose):
    script = " ".join(compose["services"]["createbucket"]["entrypoint"])
    assert "mc mb --ignore-existing" in script
    assert compose["services"]["createbucket"]["depends_on"]["minio"]["condition"] == (
        "service_healthy"
    )


def test_image_installs_the_locked_dependencies():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.lock" in dockerfile
    assert (ROOT / "requirements.lock").exists()


def compose_command():
    """`docker compose` (the plugin) or, failing that, the standalone `docker-compose`."""
    if shutil.which("docker"):
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, timeout=30
        )
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.skip("neither `docker compose` (plugin) nor `docker-compose` is installed")


def test_docker_compose_accepts_the_file(monkeypatch):
    command = compose_command()
    for name, value in REQUIRED_SECRETS.items():
        monkeypatch.setenv(name, value)
    result = subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr


def test_docker_compose_refuses_to_start_without_secrets(monkeypatch, tmp_path):
    command = compose_command()
    for name in REQUIRED_SECRETS:
        monkeypatch.delenv(name, raising=False)
    # An untracked .env file beside the compose file must not supply them either.
    empty_env = tmp_path / "empty.env"
    empty_env.write_text("")
    result = subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "--env-file", str(empty_env), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr or "PASSWORD" in result.stderr
