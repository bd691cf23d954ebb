# Sourced by Tools/test-python, Tools/gen-protos and Tools/bench: a virtual environment
# for the Python client's tools and tests under the checkout (ignored by git).
PARLEY_PY_VENV=clients/python/.venv
ensure_python_venv() {
  if [[ ! -x $PARLEY_PY_VENV/bin/python ]]; then
    ensure_packages python3:python3
    python3 -m venv "$PARLEY_PY_VENV" || { ensure_packages /usr/lib/python3/dist-packages/ensurepip:python3-venv; python3 -m venv "$PARLEY_PY_VENV"; }
  fi
  local stamp=$PARLEY_PY_VENV/.requirements
  if ! cmp -s clients/python/requirements-dev.txt "$stamp"; then
    "$PARLEY_PY_VENV/bin/pip" install --quiet --disable-pip-version-check -r clients/python/requirements-dev.txt >&2
    cp clients/python/requirements-dev.txt "$stamp"
  fi
}
