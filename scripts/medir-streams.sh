#!/usr/bin/env bash
# Mede o custo da camada de streams do reactor (Read, Sleep, Write, Drain,
# Close, WaitClosed: o que o server_async usa) por conexão: o mesmo churn
# (conecta, 1 byte, resposta, fecha; delay 0) servido pelo núcleo de
# callbacks (BenchmarkChurn) e pela camada de streams (BenchmarkChurnStreams),
# na mesma execução, alternados. A diferença das medianas é o custo da
# camada: alocações e bytes por conexão (exatos), CPU da thread do laço por
# conexão (getrusage RUSAGE_THREAD, só Linux) e tempo de parede (ruidoso: o
# cliente roda na mesma máquina e o tempo é quase todo do kernel).
#
# Uso: scripts/medir-streams.sh          (COUNT=10 scripts/medir-streams.sh)
# Saída: docs/medidas/camada-streams.txt (e na tela).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-8}
rev=$(git describe --always --dirty 2>/dev/null || echo n/d)
out=docs/medidas/camada-streams.txt
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
go test -run '^$' -bench '^(BenchmarkChurn|BenchmarkChurnStreams)$' -benchmem -count "$COUNT" ./internal/reactor >"$tmp"
{
	echo "# reactor: custo da camada de streams por conexão (BenchmarkChurnStreams − BenchmarkChurn)"
	echo "comando: COUNT=$COUNT scripts/medir-streams.sh"
	echo "$(date -u '+%Y-%m-%d %H:%M UTC') | commit $rev | $(uname -sr) | $(go env GOVERSION) | $(nproc) núcleos"
	echo
	grep -E '^Benchmark' "$tmp"
	echo
	awk '
	function median(a, n,   i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
		return (n % 2) ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
	}
	/^BenchmarkChurn(Streams)?-/ {
		k = ($1 ~ /Streams/) ? "s" : "c"; n[k]++
		for (i = 2; i <= NF; i++) {
			if ($i == "ns/op") ns[k, n[k]] = $(i-1)
			if ($i == "loop-µs/conn") lp[k, n[k]] = $(i-1)
			if ($i == "B/op") by[k, n[k]] = $(i-1)
			if ($i == "allocs/op") al[k, n[k]] = $(i-1)
		}
	}
	END {
		for (k in n) {
			for (i = 1; i <= n[k]; i++) { x[i] = ns[k, i] } ; mns[k] = median(x, n[k])
			for (i = 1; i <= n[k]; i++) { x[i] = lp[k, i] } ; mlp[k] = median(x, n[k])
			for (i = 1; i <= n[k]; i++) { x[i] = by[k, i] } ; mby[k] = median(x, n[k])
			for (i = 1; i <= n[k]; i++) { x[i] = al[k, i] } ; mal[k] = median(x, n[k])
		}
		printf "medianas       núcleo (Churn)  streams (ChurnStreams)  diferença por conexão\n"
		printf "tempo de parede %7.1f µs     %8.1f µs             %+.1f µs\n", mns["c"]/1000, mns["s"]/1000, (mns["s"]-mns["c"])/1000
		printf "CPU do laço    %8.1f µs     %8.1f µs             %+.1f µs\n", mlp["c"], mlp["s"], mlp["s"]-mlp["c"]
		printf "memória        %8d B      %8d B              %+d B\n", mby["c"], mby["s"], mby["s"]-mby["c"]
		printf "alocações      %8d        %8d                %+d\n", mal["c"], mal["s"], mal["s"]-mal["c"]
	}' "$tmp"
} | tee "$out"
