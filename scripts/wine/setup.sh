#!/usr/bin/env bash
# Prepara esta máquina (Debian ou Ubuntu) para rodar os programas e os testes
# do Windows deste projeto sob o Wine:
#
#   1. instala, se faltarem, o Wine de 64 bits (wine64) e o compilador C
#      para Windows (gcc-mingw-w64-x86-64-win32), pelo apt, sem os pacotes
#      "recomendados" (fontes, gstreamer...): ~30 pacotes, ~20 s numa
#      máquina com a lista do apt em dia (mais ~10 s se for preciso um
#      apt-get update); nada a fazer nas próximas vezes;
#   2. cria o prefixo do Wine (env.sh diz onde), sem janelas: ~5 s, uma vez;
#   3. compila bcryptprimitives.c com o mingw e põe a DLL no system32 do
#      prefixo: o runtime do Go 1.26 chama ProcessPrng dessa DLL ao iniciar,
#      e o Wine 8 não a tem (todo programa Go abortaria). Menos de 1 s.
#
# Pode rodar quantas vezes quiser: o que já está pronto fica como está.
#   bash scripts/wine/setup.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=env.sh
. "$here/env.sh"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# 1. Pacotes.
need=()
wine_bin >/dev/null || need+=(wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64-win32)
if [ "${#need[@]}" -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    sudo=(sudo -n) # no GitHub (ubuntu-latest) o sudo não pede senha
  fi
  t0=$SECONDS
  echo "wine: instalando ${need[*]} (apt, sem recomendados)..."
  if ! apt-cache show "${need[@]}" >/dev/null 2>&1; then
    "${sudo[@]}" apt-get update -qq >"$log" 2>&1 || { cat "$log"; exit 1; }
  fi
  if ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${need[@]}" >"$log" 2>&1; then
    cat "$log"
    echo "wine: a instalação falhou (acima, a saída do apt)"
    exit 1
  fi
  echo "wine: instalado em $((SECONDS - t0)) s"
fi
wine="$(wine_bin)" || { echo "wine: não achei o wine64 depois de instalar"; exit 1; }

# Uma preparação por vez no mesmo prefixo (dois CI na mesma máquina).
mkdir -p "$(dirname "$WINEPREFIX")"
exec 9>"$WINEPREFIX.lock"
flock 9

# 2. O prefixo.
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  t0=$SECONDS
  echo "wine: criando o prefixo $WINEPREFIX..."
  if ! "$wine" wineboot -i >"$log" 2>&1; then
    cat "$log"
    echo "wine: wineboot -i falhou"
    exit 1
  fi
  "$(wineserver_bin)" -w # espera o wineboot terminar de gravar o registro
  echo "wine: prefixo criado em $((SECONDS - t0)) s"
fi

# 3. A DLL com ProcessPrng (refeita se o .c ou o .def mudou).
dll="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
if [ ! -f "$dll" ] || [ "$here/bcryptprimitives.c" -nt "$dll" ] || [ "$here/bcryptprimitives.def" -nt "$dll" ]; then
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$dll.novo" \
    "$here/bcryptprimitives.c" "$here/bcryptprimitives.def" -ladvapi32
  mv "$dll.novo" "$dll"
  echo "wine: bcryptprimitives.dll (ProcessPrng) compilada em $dll"
fi
