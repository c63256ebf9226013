# shellcheck shell=bash
# O ambiente do Wine deste projeto, lido (source) por setup.sh e run-tests.sh.
#
# Um prefixo só nosso (o "C:\" do Wine), numa pasta de cache: criá-lo leva
# uns 5 s e ocupa ~700 MB, então ele fica entre uma execução e outra.
# ROTEIRO2_WINEPREFIX escolhe outra pasta (ex.: uma temporária).
export WINEPREFIX="${ROTEIRO2_WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/roteiro2/wine}"
# Sem as centenas de linhas "fixme:" do Wine na saída dos testes.
export WINEDEBUG=-all
# A nossa bcryptprimitives.dll (setup.sh) antes de uma do próprio Wine: um
# Wine mais novo pode trazer a sua, com ou sem ProcessPrng.
export WINEDLLOVERRIDES="bcryptprimitives=n,b${WINEDLLOVERRIDES:+;$WINEDLLOVERRIDES}"
# Sem janelas: nada aqui precisa de um servidor X, e sem DISPLAY o Wine nem
# tenta abrir um (wineboot funciona sem ele).
unset DISPLAY WAYLAND_DISPLAY

# wine_bin: o executável do Wine de 64 bits. O pacote wine64 do Debian o põe
# em /usr/lib/wine/wine64 (o comando "wine" vem de outro pacote, o wine).
wine_bin() {
  local w
  for w in /usr/lib/wine/wine64 "$(command -v wine64 2>/dev/null)" "$(command -v wine 2>/dev/null)"; do
    if [ -n "$w" ] && [ -x "$w" ]; then
      printf '%s\n' "$w"
      return 0
    fi
  done
  return 1
}

# wineserver_bin: o wineserver que acompanha esse Wine.
wineserver_bin() {
  local w
  for w in "$(dirname "$(wine_bin)")/wineserver" "$(command -v wineserver 2>/dev/null)"; do
    if [ -n "$w" ] && [ -x "$w" ]; then
      printf '%s\n' "$w"
      return 0
    fi
  done
  return 1
}

# winpath: um caminho do Linux como o Windows o vê sob o Wine (o drive Z: é
# a raiz /): /tmp/x/bin vira Z:\tmp\x\bin.
winpath() { printf 'Z:%s\n' "${1//\//\\}"; }
