"""The local Neo4j Community server, assembled from Maven Central and run as its own JVM.

`python -m graph server start|stop|status` and SanctionsGraph.connect() use this when no
NEO4J_URI is set. The server binds 127.0.0.1 only, keeps its data under a git-ignored
folder and has authentication on, with a generated password in a file only the user
can read.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from graph import bundled
from graph.exc import ServerError
from graph.settings import Settings

MAIN_CLASS = "LocalServer"

# Neo4j's own server.jvm.additional flags (its collector aside: below): JDK 17+ needs
# these opens for Netty and the page cache.
JVM_FLAGS = [
    # Ours: the serial collector, not G1. On two cores G1's threads took 11-14 s of the
    # server's 71-78 s of CPU while the five bench lists loaded, the serial collector's
    # 6-7 s of 61-66 s; the lists loaded in 72.1 s against 75.0 s (four runs each,
    # alternating), FtM 1M in 360.6 s against 403.1 s (235.8 against 366.7 s of the
    # server's CPU). The cost: its pauses stop the server, up to 0.86 s while the US
    # list loaded (0.18 s with G1); the queries' p95 after the loads did not move
    # (bench/README.md, stop 47).
    "-XX:+UseSerialGC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+ExitOnOutOfMemoryError",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    # Ours: C2, the JIT's optimising compiler, took 66-68 s of the 150-156 s of CPU the
    # server spent on a demo load (its threads' CPU in /proc), more than the threads
    # running the queries (42 s). With these thresholds (12-100x the defaults) it compiles
    # only code that stays hot: 28.5 s of C2 and 109 s in all, the query threads' 43 s
    # unchanged, the load no slower (bench/README.md, stop 31).
    "-XX:Tier4InvocationThreshold=150000",
    "-XX:Tier4MinInvocationThreshold=60000",
    "-XX:Tier4CompileThreshold=180000",
    "-XX:Tier4BackEdgeThreshold=1200000",
]


class LocalServer:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.home = settings.home
        self.port = settings.bolt_port
        self.pid_file = self.home / "server.pid"
        self.password_file = self.home / "password"
        self.log_file = self.home / "logs" / "server.out"
        #: Where Maven builds the server: neo4j/ of a checkout, in place (its target/ is
        #: git-ignored); for an installed copy, which must not write beside its code, a
        #: copy of that Maven project under the local folder.
        self.build_dir = bundled.NEO4J if bundled.CHECKOUT else settings.local_dir / "neo4j-server"
        self.target = self.build_dir / "target"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    # -- password ------------------------------------------------------------------------

    def password(self) -> str:
        """NEO4J_PASSWORD if set, else the generated one kept in a 0600 file."""
        if self.settings.password:
            return self.settings.password
        if self.password_file.exists():
            return self.password_file.read_text(encoding="utf-8").strip()
        self.home.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(24)
        try:
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            # Another process (`make run` starts the app and the server together) won.
            time.sleep(0.1)
            return self.password_file.read_text(encoding="utf-8").strip()
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(password + "\n")
        return password

    # -- build ---------------------------------------------------------------------------

    def build(self) -> None:
        """Resolve Neo4j's jars from Maven Central and compile the launcher, once. One
        process at a time: processes that start servers side by side (`make run`'s app
        and load, the tests' workers) would otherwise run Maven into one target/
        together, or start from a half-copied one; the others wait, then find it built."""
        self.target.mkdir(parents=True, exist_ok=True)
        with open(self.target / "build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released as the file closes
            self._build()

    def _build(self) -> None:
        if self.build_dir != bundled.NEO4J:  # copied with their times: unchanged, not built again
            shutil.copytree(bundled.NEO4J, self.build_dir, dirs_exist_ok=True)
        classes = self.target / "classes" / f"{MAIN_CLASS}.class"
        inputs = [self.build_dir / "pom.xml", self.build_dir / "src" / "main" / "java" / f"{MAIN_CLASS}.java"]
        if (
            classes.exists()
            and (self.target / "lib").is_dir()
            and all(classes.stat().st_mtime >= p.stat().st_mtime for p in inputs)
        ):
            return
        mvn = shutil.which("mvn")
        if not mvn:
            raise ServerError(
                "Maven (mvn) is not installed: it fetches Neo4j from Maven Central. "
                "Install it (apt-get install maven) or set NEO4J_URI to another Neo4j 5."
            )
        print("Fetching Neo4j from Maven Central (first run only)…", flush=True)
        done = subprocess.run(
            [
                mvn,
                "-q",
                "-B",
                "-f",
                str(self.build_dir / "pom.xml"),
                "package",
                "dependency:copy-dependencies",
                "-DincludeScope=runtime",
                f"-DoutputDirectory={self.target / 'lib'}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise ServerError("building the Neo4j server failed:\n" + _tail(done.stdout + done.stderr))

    # -- process -------------------------------------------------------------------------

    def running_pid(self) -> int | None:
        """The pid in the pid file if that process is this server, else None."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return None
        if MAIN_CLASS.encode() in cmdline and str(self.home).encode() in cmdline:
            return pid
        return None

    def start(self) -> int:
        """Start the server unless it runs already; return its pid once Bolt answers."""
        pid = self.running_pid()
        if pid:
            self.wait_until_ready(pid)
            return pid
        if port_in_use(self.port):
            raise ServerError(
                f"port {self.port} on 127.0.0.1 is already in use by another program; "
                "stop it or choose another port with NEO4J_BOLT_PORT"
            )
        self.build()
        java = _java()
        password = self.password()
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        self._write_config()
        env = {**os.environ, "NEO4J_PASSWORD": password}
        cmd = [
            java,
            # The heap at its full size from the start: grown from 256 MiB, the serial
            # collector ran full collections at each step and the young generation stayed
            # small, so the transaction a load builds was copied more often. An FtM 100k
            # load on a fresh server: the collector 5.5 s against 8.4-8.9 s, the load
            # 42.1 s against 44.1-47.6 s; the demo load's collector 5.7-6.6 s against
            # 7.8-8.5 s. The cost: 290 MiB more resident from the start (651 against 359
            # MiB), 250 MiB more at the demo load's peak (bench/README.md, stop 70).
            f"-Xms{self.settings.heap}",
            f"-Xmx{self.settings.heap}",
            *JVM_FLAGS,
            "-cp",
            f"{self.target / 'classes'}:{self.target / 'lib'}/*",
            MAIN_CLASS,
            str(self.home),
        ]
        log_start = self.log_file.stat().st_size if self.log_file.exists() else 0
        with open(self.log_file, "ab") as log:
            proc = subprocess.Popen(
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.pid_file.write_text(f"{proc.pid}\n")
        self.wait_until_ready(proc.pid, proc, log_start)
        return proc.pid

    def wait_until_ready(
        self, pid: int, proc: subprocess.Popen | None = None, log_start: int | None = None
    ) -> None:
        """Wait for Bolt to answer. A server we just started must first print READY: Bolt
        opens before the launcher has set the password, and a login then would fail."""
        from neo4j.exceptions import AuthError, ServiceUnavailable

        from neo4j import GraphDatabase

        deadline = time.monotonic() + self.settings.start_timeout
        with GraphDatabase.driver(self.uri, auth=(self.settings.user, self.password())) as driver:
            while True:
                try:
                    if log_start is not None and b"READY" not in self._log_since(log_start):
                        raise ServiceUnavailable("not ready")
                    driver.verify_connectivity()
                    return
                except AuthError:
                    raise ServerError(
                        f"the server at {self.uri} refused the password; NEO4J_PASSWORD must "
                        f"match the one it was started with ({self.password_file})"
                    ) from None
                except (ServiceUnavailable, OSError):
                    pass
                exited = proc.poll() is not None if proc else not alive(pid)
                if exited:
                    raise ServerError(
                        "the Neo4j server exited while starting. Its log "
                        f"({self.log_file}) ends:\n{self.log_tail()}"
                    )
                if time.monotonic() > deadline:
                    raise ServerError(
                        f"the Neo4j server did not answer on {self.uri} within "
                        f"{self.settings.start_timeout:.0f} s. Its log ({self.log_file}) ends:\n"
                        f"{self.log_tail()}"
                    )
                time.sleep(0.5)

    def stop(self, timeout: float = 60) -> bool:
        """Stop exactly this server's process; False if it was not running."""
        pid = self.running_pid()
        if not pid:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
            while alive(pid):
                time.sleep(0.1)
        self.pid_file.unlink(missing_ok=True)
        return True

    def _log_since(self, offset: int) -> bytes:
        try:
            with open(self.log_file, "rb") as f:
                f.seek(offset)
                return f.read()
        except OSError:
            return b""

    def log_tail(self, lines: int = 30) -> str:
        try:
            return _tail(self.log_file.read_text(encoding="utf-8", errors="replace"), lines)
        except OSError:
            return "(no log yet)"

    def _write_config(self) -> None:
        settings = {
            "server.bolt.listen_address": f"127.0.0.1:{self.port}",
            "server.bolt.advertised_address": f"127.0.0.1:{self.port}",
            "dbms.security.auth_enabled": "true",
            "server.memory.pagecache.size": self.settings.pagecache,
            # Repeated test and benchmark loads would otherwise fill the disk with logs.
            "db.tx_log.rotation.retention_policy": "2 files",
            "db.tx_log.rotation.size": "64M",
            # Neo4j plans a query again for each size class of its list parameters (up to
            # 10, 100, 1,000… rows): a 5-record load planned every statement anew after
            # loads of 2,000-row batches (~2 s of its 2.6 s). The plans do not depend on
            # the size here (a seek per row); the demo graph loads to the same bytes.
            "internal.cypher.use_parameter_size": "false",
            # Bolt's event loops wait 5 s each for tasks that cannot come once the
            # databases have stopped: every stop took 10.4 s, 0.4 s without the wait.
            "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
        }
        (self.home / "neo4j.conf").write_text(
            "".join(f"{k}={v}\n" for k, v in settings.items()), encoding="utf-8"
        )


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise ServerError(
            "Java 17 or newer is needed to run Neo4j 5.26; install it "
            "(apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
        )
    return java


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A child we started and that exited stays a zombie until reaped.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
        return state != "Z"
    except (OSError, IndexError):
        return True


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])
