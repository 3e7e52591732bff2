"""The processes of the distributed mode, started on loopback in a temporary folder.

PostgreSQL (scripts/pg.sh), Redis, moto's S3 server, an SMTP sink, two gunicorn app servers with
production settings, two `kabinet task_worker`s and nginx in front (TLS with a throwaway
certificate, both app servers upstream). Everything is a child of this process (PostgreSQL: by
its data folder) and is stopped by `Cluster.stop()`, whatever happened."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
BUCKET = "kabinet-files"
DEMO_PASSWORD = "Cluster-smoke-2026"
LEASE_SECONDS = 6
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def pg_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    for directory in reversed(candidates):
        if Path(directory, "pg_ctl").exists() and Path(directory, "initdb").exists():
            return Path(directory)
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl and shutil.which("initdb") else None


def missing_parts() -> list[str]:
    """What this machine lacks to run the cluster, with how to get it."""
    missing = []
    if pg_bindir() is None:
        missing.append("PostgreSQL server (apt-get install postgresql)")
    for program, package in (("redis-server", "redis-server"), ("nginx", "nginx")):
        if not shutil.which(program) and not Path("/usr/sbin", program).exists():
            missing.append(f"{program} (apt-get install {package}; scripts/bootstrap.sh --dev)")
    if not shutil.which("openssl"):
        missing.append("openssl (apt-get install openssl)")
    for program in ("gunicorn", "moto_server", "kabinet"):
        if not (BIN / program).exists():
            missing.append(f".venv/bin/{program} (scripts/bootstrap.sh --dev)")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        missing.append("runuser (PostgreSQL refuses to run as root)")
    return missing


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, check, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: S110 - not up yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up in {timeout:.0f}s")


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Cluster:
    def __init__(self) -> None:
        self.dir = Path(os.environ.get("KABINET_CLUSTER_DIR") or os.path.realpath("/tmp")) / (
            f"kabinet-cluster-{os.getpid()}"
        )
        self.dir.mkdir(mode=0o755, parents=True)
        self.ports = {
            name: free_port() for name in ("pg", "redis", "s3", "smtp", "app1", "app2", "nginx")
        }
        self.children: dict[str, subprocess.Popen] = {}
        self.pg_dir = self.dir / "pg"
        self.url = f"https://127.0.0.1:{self.ports['nginx']}"
        self.database_url = f"postgres://kabinet@127.0.0.1:{self.ports['pg']}/kabinet"

    # --- environment ------------------------------------------------------------------------
    def env(self, settings: str = "production") -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "KABINET_", "AWS_", "DATABASE_", "CACHE_"))
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": f"kabinet.config.settings.{settings}",
                "KABINET_HOME": str(self.dir),
                "KABINET_DATA_DIR": str(self.dir / "var"),
                "SECRET_KEY": "cluster-smoke-" + "x" * 50,
                "DATABASE_URL": self.database_url,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                # links in mail only (none is followed here); core.E001 refuses a loopback address
                "SITE_URL": "https://lk.example.ru",
                "CACHE_URL": f"redis://127.0.0.1:{self.ports['redis']}/1",
                "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
                "TRUSTED_PROXY_COUNT": "1",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(self.ports["smtp"]),
                "DEFAULT_FROM_EMAIL": "Кабинет <noreply@lk.example.ru>",
                "SERVER_EMAIL": "noreply@lk.example.ru",
                "SMS_BACKEND": "kabinet.core.sms.SmsRuBackend",
                "SMS_RU_API_ID": "cluster-smoke-not-a-real-id",
                "KABINET_REPLY_DOMAIN": "reply.lk.example.ru",
                "KABINET_PAYMENT_PROVIDER": "sandbox",
                "KABINET_ALLOW_SANDBOX_IN_PRODUCTION": "true",
                "KABINET_PROFILE": "energy",
                "KABINET_DEMO_PASSWORD": DEMO_PASSWORD,
                "KABINET_READINGS_WINDOW_START": "1",
                "KABINET_READINGS_WINDOW_END": "31",
                "KABINET_TASK_LEASE_SECONDS": str(LEASE_SECONDS),
                "AWS_STORAGE_BUCKET_NAME": BUCKET,
                "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.ports['s3']}",
                "AWS_S3_REGION_NAME": "us-east-1",
                "AWS_ACCESS_KEY_ID": "cluster-smoke",
                "AWS_SECRET_ACCESS_KEY": "cluster-smoke-secret",
                "STATIC_ROOT": str(self.dir / "static"),
                "MEDIA_ROOT": str(self.dir / "media"),
                "DATABASE_CONNECT_TIMEOUT": "3",
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def kabinet(self, *args: str, settings: str = "production", timeout: float = 300) -> str:
        result = subprocess.run(
            [str(BIN / "kabinet"), *args],
            env=self.env(settings),
            cwd=self.dir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(
                f"kabinet {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result.stdout

    def spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
        out = (self.dir / f"{name}.log").open("ab")
        self.children[name] = subprocess.Popen(
            argv,
            env=env or self.env(),
            cwd=self.dir,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    # --- parts ------------------------------------------------------------------------------
    def pg(self, *args: str) -> None:
        env = dict(
            os.environ, PGPORT_KABINET=str(self.ports["pg"]), KABINET_PG_DIR=str(self.pg_dir)
        )
        subprocess.run(
            [str(ROOT / "scripts" / "pg.sh"), *args], env=env, check=True, capture_output=True
        )

    def pg_ctl(self, *args: str) -> None:
        argv = [str(pg_bindir() / "pg_ctl"), "-D", str(self.pg_dir / "data"), *args]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, cwd="/")

    def start_postgres(self) -> None:
        self.pg("start")
        log(f"PostgreSQL on 127.0.0.1:{self.ports['pg']}")

    def restart_postgres(self) -> None:
        """The first half of a restart: stop (fast: sessions cut); `start_postgres_again`."""
        self.pg_ctl("-m", "fast", "-w", "stop")
        log("PostgreSQL stopped")

    def start_postgres_again(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.ports['pg']} -k {self.pg_dir / 'socket'} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.pg_ctl("-l", str(self.pg_dir / "server.log"), "-w", "-t", "60", "-o", options, "start")
        log("PostgreSQL started again")

    def start_redis(self) -> None:
        redis = shutil.which("redis-server") or "/usr/bin/redis-server"
        (self.dir / "redis").mkdir()
        self.spawn(
            "redis",
            [
                redis,
                "--port",
                str(self.ports["redis"]),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir / "redis"),
            ],
        )
        wait_for("Redis", lambda: port_open(self.ports["redis"]))
        log(f"Redis on 127.0.0.1:{self.ports['redis']}")

    def start_s3(self) -> None:
        self.spawn("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.ports["s3"])])
        wait_for("moto S3", lambda: port_open(self.ports["s3"]))
        import boto3

        env = self.env()
        boto3.client(
            "s3",
            endpoint_url=env["AWS_S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        ).create_bucket(Bucket=BUCKET)
        log(f"S3 (moto) on 127.0.0.1:{self.ports['s3']}, bucket {BUCKET}")

    def s3_keys(self) -> list[str]:
        import boto3

        env = self.env()
        client = boto3.client(
            "s3",
            endpoint_url=env["AWS_S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        )
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def start_smtp(self) -> None:
        self.spawn(
            "smtp",
            [
                str(BIN / "python"),
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{self.ports['smtp']}",
                "-c",
                "aiosmtpd.handlers.Sink",
            ],
        )
        wait_for("SMTP sink", lambda: port_open(self.ports["smtp"]))
        log(f"SMTP sink on 127.0.0.1:{self.ports['smtp']}")

    def prepare(self) -> None:
        """The demo's energy retailer loaded into PostgreSQL (files into S3), static files
        collected meanwhile (WhiteNoise compresses them: the slow part)."""
        started = time.monotonic()
        self.spawn("collectstatic", [str(BIN / "kabinet"), "collectstatic", "--no-input", "-v0"])
        self.kabinet("demo", "--profile", "energy", "--no-serve", settings="local")
        log(f"demo data (energy) loaded into PostgreSQL in {time.monotonic() - started:.0f}s")
        # production settings from here on: every `kabinet` command runs the deploy checks
        self.kabinet("migrate", "--no-input")
        if self.children.pop("collectstatic").wait(timeout=300):
            raise RuntimeError(f"collectstatic failed:\n{self.tail('collectstatic')}")
        log(
            f"production settings pass their checks; static files collected ({time.monotonic() - started:.0f}s)"
        )

    def start_app(self, name: str) -> None:
        port = self.ports[name]
        self.spawn(
            name,
            [
                str(BIN / "gunicorn"),
                "kabinet.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--no-control-socket",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--access-logfile",
                "-",
                "--logger-class",
                "kabinet.core.gunicorn_logging.MaskingLogger",
            ],
        )

    def start_worker(self, name: str) -> None:
        self.spawn(
            name,
            [
                str(BIN / "kabinet"),
                "task_worker",
                "--queue-name",
                "*",
                "--worker-id",
                name,
                "--interval",
                "0.3",
                "--no-reload",
                "--no-startup-delay",
                "--beat",
                "1",
            ],
        )

    def start_nginx(self) -> None:
        tls = self.dir / "tls"
        tls.mkdir()
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(tls / "key.pem"),
                "-out",
                str(tls / "cert.pem"),
            ],
            check=True,
            capture_output=True,
        )
        (self.dir / "nginx").mkdir()
        conf = self.dir / "nginx" / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                user="user root;" if os.geteuid() == 0 else "",
                dir=self.dir,
                app1=self.ports["app1"],
                app2=self.ports["app2"],
                port=self.ports["nginx"],
            )
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.spawn("nginx", [nginx, "-c", str(conf), "-p", str(self.dir / "nginx")])
        wait_for("nginx", lambda: port_open(self.ports["nginx"]))
        log(f"nginx (TLS) on {self.url} → app1 :{self.ports['app1']}, app2 :{self.ports['app2']}")

    def wait_apps(self) -> None:
        for name in ("app1", "app2"):
            url = f"http://127.0.0.1:{self.ports[name]}/healthz"
            wait_for(name, lambda url=url: urllib.request.urlopen(url, timeout=2).status == 200, 60)  # noqa: S310
        log("both app servers answer /healthz")

    def kill(self, name: str) -> None:
        child = self.children.pop(name)
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()

    def alive(self, name: str) -> bool:
        return name in self.children and self.children[name].poll() is None

    def stop(self) -> None:
        for _name, child in reversed(list(self.children.items())):
            if child.poll() is None:
                try:
                    os.killpg(child.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for child in self.children.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        self.children.clear()
        try:
            self.pg("stop")
        except subprocess.CalledProcessError as error:
            print(f"cluster: could not stop PostgreSQL: {error.stderr!r}", file=sys.stderr)

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.dir / f"{name}.log"
        return (
            "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
            if path.exists()
            else ""
        )


NGINX_CONF = """
{user}
daemon off;
worker_processes 1;
pid {dir}/nginx/nginx.pid;
error_log {dir}/nginx/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {dir}/nginx/access.log;
    client_body_temp_path {dir}/nginx/body;
    proxy_temp_path {dir}/nginx/proxy;
    fastcgi_temp_path {dir}/nginx/fastcgi;
    uwsgi_temp_path {dir}/nginx/uwsgi;
    scgi_temp_path {dir}/nginx/scgi;
    upstream kabinet {{
        server 127.0.0.1:{app1} max_fails=1 fail_timeout=2s;
        server 127.0.0.1:{app2} max_fails=1 fail_timeout=2s;
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {dir}/tls/cert.pem;
        ssl_certificate_key {dir}/tls/key.pem;
        client_max_body_size 60m;
        location / {{
            proxy_pass http://kabinet;
            proxy_set_header Host              $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For   $proxy_add_x_forwarded_for;
            # which app server answered: the smoke test checks that both did
            add_header X-Kabinet-Upstream $upstream_addr always;
        }}
    }}
}}
"""
