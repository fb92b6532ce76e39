# JupyterHub for a Gradient Norms workshop on one server.
#
#     export WORKSHOP_PASSWORD='a long shared password'     # at least 8 characters
#     export WORKSHOP_ADMIN_PASSWORD='another long one'     # optional: instructors
#     export WORKSHOP_ADMINS='alice,bob'                    # optional
#     jupyterhub -f workshop/jupyterhub_config.py
#
# Learners pick any user name (lower-case letters, digits, '-') and log in with
# the shared password. Their first page is nbgitpuller's: it clones the course
# from its declared home (course.toml) into ~/<repo name> and opens lesson 00;
# opening the link again later pulls new commits and keeps the learner's edits.
# Idle servers are stopped after an hour by jupyterhub-idle-culler.
#
# Each learner gets a Unix account (created on first login, group 'workshop',
# home folder readable only by them), so learners cannot read each other's work.
# The hub must run as root for that. See workshop/README.md for sizing and
# workshop/loadtest.py for the measured footprint.
# ruff: noqa: F821  (`c` and `load_subconfig` are given by JupyterHub)

import grp
import os
import pwd
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
for folder in (HERE.parent, HERE):  # gnlib.course.config (standard library only), spawners
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from gnlib.course.config import load_course  # noqa: E402
from spawners import WorkshopSpawner  # noqa: E402

WORKSHOP_GROUP = "workshop"
FIRST_NOTEBOOK = os.environ.get("WORKSHOP_FIRST_NOTEBOOK", "lessons/00_start_here.ipynb")
VENV_BIN = Path(sys.executable).parent  # the hub's environment also holds the course

# --- network: the proxy listens on WORKSHOP_PORT; put HTTPS in front of it ----
c.JupyterHub.bind_url = os.environ.get("WORKSHOP_BIND_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:8001"
# keep learners' servers (and their unsaved kernels) running while the hub restarts
c.JupyterHub.cleanup_servers = False

# --- state (database, cookie secret) in one folder -----------------------------
STATE = Path(os.environ.get("WORKSHOP_STATE", "/srv/workshop"))
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# --- authentication: one shared password ---------------------------------------
c.JupyterHub.authenticator_class = "shared-password"
if not os.environ.get("WORKSHOP_PASSWORD"):
    raise SystemExit("workshop/jupyterhub_config.py: set WORKSHOP_PASSWORD (at least 8 characters) first")
c.SharedPasswordAuthenticator.user_password = os.environ["WORKSHOP_PASSWORD"]
if os.environ.get("WORKSHOP_ADMIN_PASSWORD"):
    c.SharedPasswordAuthenticator.admin_password = os.environ["WORKSHOP_ADMIN_PASSWORD"]
    c.Authenticator.admin_users = {n.strip() for n in os.environ.get("WORKSHOP_ADMINS", "").split(",") if n.strip()}
c.Authenticator.allow_all = True
# names that are valid Unix account names, never an existing system account (see below)
c.Authenticator.username_pattern = r"^[a-z][a-z0-9-]{1,30}$"


# --- spawner: one process per learner, under the learner's own Unix account -----
def ensure_learner_account(spawner):
    """Create the learner's Unix account on first login; refuse a name that belongs to the system."""
    name = spawner.user.name
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        account = None
    if account is not None:
        try:
            ours = account.pw_gid == grp.getgrnam(WORKSHOP_GROUP).gr_gid
        except KeyError:
            ours = False
        if not ours:
            error = RuntimeError(f"The user name {name!r} is taken on this server; log in with another name.")
            error.jupyterhub_message = str(error)  # shown to the learner on the hub's page
            raise error
        return
    try:
        grp.getgrnam(WORKSHOP_GROUP)
    except KeyError:
        subprocess.run(["groupadd", WORKSHOP_GROUP], check=True)
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "--gid", WORKSHOP_GROUP,
                    "-K", "UMASK=0077", name], check=True)


c.JupyterHub.spawner_class = WorkshopSpawner  # LocalProcessSpawner, with a clear message if a server dies at start
c.Spawner.pre_spawn_hook = ensure_learner_account
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
# a spawn takes 3-13 s here; many learners logging in at once queue on the CPU
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
c.JupyterHub.concurrent_spawn_limit = 20
# Local processes are not capped in memory or CPU: size the server with the
# table in workshop/README.md (measured per learner, server + kernel).

# --- the course: nbgitpuller from the declared home --------------------------------
_home = load_course().home
_link = _home.nbgitpuller_url("http://hub.invalid", FIRST_NOTEBOOK)
c.Spawner.default_url = "/git-pull?" + urlsplit(_link).query

# --- idle culler: stop servers nobody used for an hour ---------------------------
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                    f"--timeout={os.environ.get('WORKSHOP_IDLE_SECONDS', '3600')}"],
    }
]
