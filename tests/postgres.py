"""A throwaway PostgreSQL cluster on 127.0.0.1 for the tests, and a fresh database per test."""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import psycopg

from amie_desktop.store import open_store

PG_BIN = Path(os.environ.get("AMIE_PG_BIN", "/usr/lib/postgresql/15/bin"))
TEMPLATE = "amie_template"
USER = "amie"
# A role that must give its password (scram-sha-256), for the tests of keeping one safe.
PASSWORD_USER = "hub"
PASSWORD = "hub-Pa55word-9081"


def missing_reason() -> str | None:
    """Why PostgreSQL cannot run here, or None when it can."""
    for program in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / program).is_file():
            return f"PostgreSQL's {program} is not in {PG_BIN} (install Debian's postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """initdb into a temporary folder, started with pg_ctl; listens on 127.0.0.1 only."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="amie-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._numbers = itertools.count(1)
        self._owner: pwd.struct_passwd | None = None
        if os.geteuid() == 0:  # the server refuses to run as root
            self._owner = pwd.getpwnam("postgres")
            os.chown(self.root, self._owner.pw_uid, self._owner.pw_gid)

    def _run(self, program: str, *args: str) -> None:
        command: Sequence[str] = [str(PG_BIN / program), *args]
        if self._owner is not None:
            command = ["runuser", "-u", self._owner.pw_name, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8",
            "--no-locale", "--no-sync",
        )  # fmt: skip
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n"
            "host all all 127.0.0.1/32 trust\n",
            encoding="utf-8",
        )
        # Durability is not under test on the throwaway cluster; speed is worth having.
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        log = str(self.root / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-o", options, "start")
        with self._admin() as admin:
            admin.execute(f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}' IN ROLE {USER}")
        self.create(TEMPLATE, template="template0")
        store = open_store(self.root / "migrate", database_url=self.url(TEMPLATE))
        store.close()

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str, user: str = USER) -> str:
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=USER, dbname="postgres", autocommit=True
        )

    def create(self, name: str, template: str = TEMPLATE) -> str:
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def new_database(self) -> tuple[str, str]:
        """A fresh, migrated, empty database: its name and URL."""
        name = f"amie_test_{next(self._numbers)}"
        return name, self.create(name)

    def drop(self, name: str) -> None:
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
