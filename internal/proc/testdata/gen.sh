#!/bin/sh
# Regera os .hex desta pasta a partir de kinfo.c. Precisa de clang e llvm
# (apt-get install clang llvm), só para regerar: os testes leem os .hex.
# Compila para cada arquitetura que o Go suporta nesses sistemas; o
# _Static_assert de kinfo.c confere o tamanho contra KINFO_PROC_SIZE
# (sys/<arch>/include/proc.h do FreeBSD). Arquiteturas com o mesmo layout
# têm de dar os mesmos bytes: o script confere e guarda um arquivo só.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen() { # gen SAIDA ALVO -DSISTEMA [-D...]
	out=$1 target=$2
	shift 2
	clang --target="$target" -ffreestanding -O0 -c -o "$tmp/o" "$@" kinfo.c
	llvm-objcopy -O binary --only-section=.data "$tmp/o" "$tmp/bin"
	od -An -v -tx1 "$tmp/bin" | tr -d ' \n' | fold -w 64 > "$out"
	echo >> "$out"
}
same() { # same ARQUIVO ALVO -D...: o alvo dá os mesmos bytes que ARQUIVO
	ref=$1
	shift
	gen "$tmp/outro.hex" "$@"
	cmp "$ref" "$tmp/outro.hex"
}
gen freebsd_64.hex x86_64-unknown-freebsd14 -DFREEBSD -DKINFO_PROC_SIZE=1088
same freebsd_64.hex aarch64-unknown-freebsd14 -DFREEBSD -DKINFO_PROC_SIZE=1088
same freebsd_64.hex riscv64-unknown-freebsd14 -DFREEBSD -DKINFO_PROC_SIZE=1088
gen freebsd_386.hex i386-unknown-freebsd14 -DFREEBSD -DKINFO_PROC_SIZE=768
gen freebsd_arm.hex armv7-unknown-freebsd14-gnueabihf -DFREEBSD -DKINFO_PROC_SIZE=816
gen netbsd.hex x86_64-unknown-netbsd -DNETBSD
same netbsd.hex i386-unknown-netbsd -DNETBSD
same netbsd.hex armv7-unknown-netbsd-eabihf -DNETBSD
same netbsd.hex aarch64-unknown-netbsd -DNETBSD
