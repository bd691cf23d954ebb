# Sourced by Tools scripts: installs Debian packages whose command or file is missing.
# ensure_packages ITEM...  where ITEM is COMMAND:PACKAGE or /path/to/file:PACKAGE
ensure_packages() {
  local missing=() item probe pkg
  for item in "$@"; do
    probe=${item%%:*}; pkg=${item#*:}
    if [[ $probe == /* ]]; then [[ -e $probe ]] && continue
    else command -v "$probe" >/dev/null 2>&1 && continue; fi
    missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "installing: ${missing[*]}" >&2
  local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}
