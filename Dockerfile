# aftercare: the bot and scheduler (`aftercare run`) in one image.
#
#   docker build -t aftercare .          (docker-compose.yml builds it as the `app` service)
#
# builder: a virtualenv at /opt/venv with the runtime dependencies at the versions pinned in
#          requirements.lock (none of the dev tools the lock also pins), then the app itself.
# runtime: python:3.11-slim + that virtualenv, run as the unprivileged user `aftercare`; the
#          container migrates the database, then runs the bot. Nothing is installed at start.

FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src

# Dependencies first, so a source change does not reinstall them.
# requirements.lock pins the runtime AND the dev tools (pytest, ruff, mypy, aiohttp, ...). The
# runtime image gets only what pyproject's [project] dependencies need: pip resolves those with the
# lock as constraints, so every package is the locked version and nothing dev-only comes along.
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
        > /tmp/runtime-requirements.txt \
    && pip install --only-binary=:all: -c requirements.lock -r /tmp/runtime-requirements.txt

# The app, like `make install` does it: no dependency resolution of its own.
COPY README.md ./
COPY bot ./bot
COPY scheduler ./scheduler
COPY migrations ./migrations
COPY rasa_project ./rasa_project
# What clients read, in their language: the gettext catalogues compiled into the package.
RUN pybabel compile -d bot/locales -D aftercare
RUN pip install --no-deps .

# The embedded NLU classifier trains from rasa_project/data/nlu.yml, looked up beside the bot
# package (bot/nlu/training_data.py: DEFAULT_TRAINING_FILE; `aftercare nlu eval` also reads
# rasa_project/tests/). The wheel holds only the Python packages, so copy the data to the place
# the installed package looks: asked of the installed package itself (run from /, so that it is
# the installed copy that answers and not /src), then checked.
RUN rasa_dir="$(cd / && python -c 'from bot.nlu.training_data import DEFAULT_TRAINING_FILE as f; print(f.parents[1])')" \
    && mkdir -p "$rasa_dir" \
    && cp -r rasa_project/data rasa_project/tests "$rasa_dir"/ \
    && cd / && python -c 'from bot.nlu.training_data import DEFAULT_TRAINING_FILE as f; assert f.is_file(), f'

# Fail the build if anything is installed that the lock does not pin exactly, if a package of
# pyproject's `dev` extra (and not of the runtime dependencies) got in, or if the dependency set is
# inconsistent; then list what was left out of the lock.
RUN pip freeze --exclude-editable | grep -v '^aftercare' > /tmp/installed.txt \
    && if grep -vxFf requirements.lock /tmp/installed.txt; then \
           echo 'error: the packages above are not pinned in requirements.lock' >&2; exit 1; fi \
    && python -c "import importlib.metadata as md, re, sys, tomllib; \
project = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
names = lambda reqs: {re.match(r'[A-Za-z0-9._-]+', r)[0].lower() for r in reqs}; \
dev = names(project['optional-dependencies']['dev']) - names(project['dependencies']); \
found = sorted(d for d in dev if next(iter(md.distributions(name=d)), None)); \
sys.exit(f'error: dev tools in the runtime virtualenv: {found}') if found else print('no dev tools:', *sorted(dev))" \
    && pip check \
    && echo "left out of the image (dev only): $(grep -vxFf /tmp/installed.txt requirements.lock | tr '\n' ' ')"

FROM python:3.11-slim AS runtime

# Same base and same path as in the builder: /opt/venv/bin/python links to this image's python.
COPY --from=builder /opt/venv /opt/venv

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATA_DIR=/app/data

# An unprivileged user owning only the data directory (SQLite file when DATABASE_URL is unset,
# and the cached embedded NLU model). The code in /opt/venv stays root-owned and read-only to it.
RUN groupadd --system --gid 10001 aftercare \
    && useradd --system --uid 10001 --gid aftercare --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin aftercare \
    && mkdir -p /app/data \
    && chown aftercare:aftercare /app/data
WORKDIR /app
USER aftercare:aftercare

# The image works as it stands: the command line answers, and the NLU data is where the app looks.
RUN aftercare --help >/dev/null \
    && python -c 'from bot.nlu.training_data import DEFAULT_TRAINING_FILE as f; assert f.is_file(), f'

VOLUME ["/app/data"]
# The clinic console (WEB_HOST/WEB_PORT; compose sets 0.0.0.0:8000).
EXPOSE 8000

# Healthy while the database answers at the latest schema; if the bot (PID 1) dies the
# container stops. The first start trains the embedded NLU model (cached in DATA_DIR afterwards) and migrates.
HEALTHCHECK --interval=30s --timeout=15s --start-period=120s --retries=3 \
    CMD ["aftercare", "db", "check"]

# Migrate (safe to repeat), then the bot and scheduler as PID 1 (it stops cleanly on SIGTERM).
STOPSIGNAL SIGTERM
CMD ["/bin/sh", "-c", "aftercare db upgrade && exec aftercare run"]
