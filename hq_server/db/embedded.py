"""A private PostgreSQL cluster run from the server binaries installed on the machine.

Layout of the cluster folder: ``data/`` (PGDATA), ``password`` (0600, the superuser's password),
``logfile``, the unix socket, and ``url`` while a server started by us is running (so other
commands can reuse it). PostgreSQL refuses to run as root, so as root every server command runs
as the ``postgres`` OS user via ``runuser`` and the folder is chowned to it.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql

SUPERUSER = "tillhq"
SERVICE_USER = "postgres"
_FAST_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


class EmbeddedPostgresError(RuntimeError):
    pass


def find_pg_bindir() -> Path:
    """The folder holding pg_ctl/initdb/postgres: PATH first, else the newest /usr/lib/postgresql."""
    on_path = [shutil.which(name) for name in ("pg_ctl", "initdb", "postgres")]
    if all(on_path):
        return Path(os.path.realpath(on_path[0])).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
    )
    for bindir in reversed(candidates):
        if all((Path(bindir) / name).exists() for name in ("pg_ctl", "initdb", "postgres")):
            return Path(bindir)
    raise EmbeddedPostgresError(
        "PostgreSQL server binaries (pg_ctl, initdb, postgres) were not found on PATH or under "
        "/usr/lib/postgresql/*/bin. Install the Debian package `postgresql` "
        "(apt-get install postgresql) or set DATABASE_URL to an existing server."
    )


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class EmbeddedPostgres:
    """Start/stop a cluster in `folder`; `.url` is a SQLAlchemy URL for `database`."""

    def __init__(self, folder: str | os.PathLike[str], *, database: str = "tillhq",
                 fast: bool = False, port: int | None = None) -> None:
        self.folder = Path(folder).resolve()
        self.database = database
        self.fast = fast
        self.port = port
        self._as_root = os.geteuid() == 0
        self._started = False

    # -- paths -----------------------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    @property
    def password(self) -> str:
        return (self.folder / "password").read_text().strip()

    @property
    def url(self) -> str:
        return self.url_for(self.database)

    def url_for(self, database: str) -> str:
        if self.port is None:
            raise EmbeddedPostgresError("the cluster is not started")
        return f"postgresql+psycopg://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def conninfo(self, database: str | None = None) -> str:
        return (f"host=127.0.0.1 port={self.port} user={SUPERUSER} "
                f"password={self.password} dbname={database or 'postgres'}")

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> EmbeddedPostgres:
        self._bindir = find_pg_bindir()
        self.folder.mkdir(parents=True, exist_ok=True)
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        self._hand_over_to_service_user()
        self._start_server()
        self._started = True
        self._create_database(self.database)
        (self.folder / "url").write_text(self.url)
        os.chmod(self.folder / "url", 0o600)
        return self

    def stop(self) -> None:
        if not self._started:
            return
        (self.folder / "url").unlink(missing_ok=True)
        self._run(["pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop"], check=False)
        self._started = False

    def is_running(self) -> bool:
        self._bindir = find_pg_bindir()
        if not (self.data_dir / "postmaster.pid").exists():
            return False
        return self._run(["pg_ctl", "-D", str(self.data_dir), "status"], check=False).returncode == 0

    def __enter__(self) -> EmbeddedPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- steps -----------------------------------------------------------------------------
    def _initdb(self) -> None:
        if self.data_dir.exists() and any(self.data_dir.iterdir()):
            raise EmbeddedPostgresError(f"{self.data_dir} is not empty and holds no cluster (no PG_VERSION)")
        pwfile = self.folder / "password"
        if not pwfile.exists():
            pwfile.write_text(secrets.token_hex(24) + "\n")
        os.chmod(pwfile, 0o600)
        self._hand_over_to_service_user()
        cmd = ["initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "--pwfile", str(pwfile),
               "--auth=scram-sha-256", "-E", "UTF8", "--locale=C"]
        if self.fast:
            cmd.append("--no-sync")
        self._run(cmd)

    def _start_server(self) -> None:
        attempts = 1 if self.port is not None else 3
        for attempt in range(attempts):
            port = self.port if attempts == 1 else free_port()
            options = (f"-p {port} -c listen_addresses=127.0.0.1 "
                       f"-c unix_socket_directories='{self.folder}'")
            if self.fast:
                options += " " + _FAST_OPTIONS
            result = self._run(["pg_ctl", "-D", str(self.data_dir), "-w", "-t", "60",
                                "-l", str(self.folder / "logfile"), "-o", options, "start"],
                               check=False)
            if result.returncode == 0:
                self.port = port
                return
            if attempt == attempts - 1:
                raise EmbeddedPostgresError(
                    f"pg_ctl start failed: {result.stderr.strip() or result.stdout.strip()}\n"
                    f"--- {self.folder / 'logfile'} ---\n{self._log_tail()}")

    def _create_database(self, name: str) -> None:
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def _hand_over_to_service_user(self) -> None:
        if not self._as_root:
            return
        try:
            user = pwd.getpwnam(SERVICE_USER)
        except KeyError:
            raise EmbeddedPostgresError(
                f"running as root, but there is no `{SERVICE_USER}` OS user to run PostgreSQL as; "
                "install the Debian package `postgresql` or run as a normal user") from None
        for path in [self.folder, *self.folder.rglob("*")]:
            os.chown(path, user.pw_uid, user.pw_gid, follow_symlinks=False)
        probe = subprocess.run(["runuser", "-u", SERVICE_USER, "--", "test", "-w", str(self.folder),
                                "-a", "-x", str(self.folder)], capture_output=True)
        if probe.returncode != 0:
            raise EmbeddedPostgresError(
                f"the `{SERVICE_USER}` OS user cannot reach {self.folder}: a parent directory is not "
                "traversable (chmod o+x it) or choose a data folder under a world-traversable path")

    def _run(self, cmd: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [str(self._bindir / cmd[0]), *cmd[1:]]
        if self._as_root:
            cmd = ["runuser", "-u", SERVICE_USER, "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=self.folder,
                                stdin=subprocess.DEVNULL)
        if check and result.returncode != 0:
            raise EmbeddedPostgresError(
                f"{' '.join(cmd)} failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
        return result

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join((self.folder / "logfile").read_text().splitlines()[-lines:])
        except OSError:
            return "(no logfile)"


def running_url(folder: str | os.PathLike[str], database: str | None = None) -> str | None:
    """The URL of a server already started in `folder` by another process, if it is alive."""
    url_file = Path(folder) / "url"
    if not url_file.exists():
        return None
    try:
        if not EmbeddedPostgres(folder).is_running():
            return None
    except EmbeddedPostgresError:
        return None
    url = url_file.read_text().strip()
    if database:
        url = url.rsplit("/", 1)[0] + "/" + database
    return url
