#!/bin/sh
# Entrypoint of the redis image, as upstream's: options alone (or a .conf file first) run redis-server.
set -e
case "$1" in
  -*|*.conf) set -- redis-server "$@" ;;
esac
if [ "$1" = redis-server ]; then
  # Upstream compiles protected mode off; Debian's binary has it on. Say so first, so a later
  # --protected-mode argument wins; a config file given first keeps its own setting.
  case "$2" in
    *.conf) ;;
    *) shift; set -- redis-server --protected-mode no "$@" ;;
  esac
  um="$(umask)"
  [ "$um" = 0022 ] && umask 0077
fi
exec "$@"
