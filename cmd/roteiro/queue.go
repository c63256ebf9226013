package main

// A fila de accept do kernel durante uma etapa (Linux): o socket de escuta
// do servidor amostrado com tcpstat.Watch, e a diferença dos contadores do
// kernel (tcpstat.ReadCounters) entre o início e o fim da etapa.

import (
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"roteiro2/internal/tcpstat"
)

// queueEvery é o intervalo de amostragem da fila: uma consulta inet_diag
// (só os sockets LISTEN) custa dezenas de µs, e a fila da etapa 1.2 fica
// cheia por um delay inteiro: 25 ms a vê sem pesar na medição.
const queueEvery = 25 * time.Millisecond

// queueWatch acompanha a fila de uma porta durante uma etapa.
type queueWatch struct {
	w             *tcpstat.Watcher
	before        tcpstat.Counters
	beforeErr     error
	cookiesBefore int64
}

// watchQueue começa a observar a porta (nil fora do Linux: nada a medir).
func watchQueue(port int) *queueWatch {
	if runtime.GOOS != "linux" {
		return nil
	}
	c, err := tcpstat.ReadCounters()
	return &queueWatch{w: tcpstat.Watch(port, queueEvery), before: c, beforeErr: err, cookiesBefore: syncookiesSent()}
}

// finish para a amostragem e grava na linha o pico da fila e os SYNs
// descartados durante a etapa. Pode ser chamado com q == nil.
func (q *queueWatch) finish(r *Row) {
	if q == nil {
		return
	}
	r.Queue = q.w.Stop()
	if err := q.w.Err(); err != nil && (r.Queue.RecvQ < 0 || r.Queue.SendQ < 0) {
		r.QueueErr = err.Error()
	}
	after, err := tcpstat.ReadCounters()
	switch {
	case q.beforeErr != nil:
		r.QueueErr = joinNote(r.QueueErr, q.beforeErr.Error())
	case err != nil:
		r.QueueErr = joinNote(r.QueueErr, err.Error())
	default:
		r.Overflows = after.Sub(q.before).ListenOverflows
	}
	if a := syncookiesSent(); a >= 0 && q.cookiesBefore >= 0 {
		r.Cookies = a - q.cookiesBefore
	}
}

// syncookiesSent lê TcpExt SyncookiesSent de /proc/net/netstat (o mesmo de
// "nstat -az TcpExtSyncookiesSent"), ou -1. É o sinal de que o kernel
// respondeu a um SYN sem guardar estado: a fila de SYN do listen encheu
// (com listen(1), bastam dois SYN chegando juntos) e tcp_syncookies = 1.
// (Candidato a um campo de tcpstat.Counters.)
func syncookiesSent() int64 {
	data, err := os.ReadFile("/proc/net/netstat")
	if err != nil {
		return -1
	}
	lines := strings.Split(string(data), "\n")
	for i := 0; i+1 < len(lines); i++ {
		names, values := strings.Fields(lines[i]), strings.Fields(lines[i+1])
		if len(names) != len(values) || len(names) < 2 || names[0] != "TcpExt:" || values[0] != "TcpExt:" {
			continue
		}
		if j := slices.Index(names, "SyncookiesSent"); j > 0 {
			if n, err := strconv.ParseInt(values[j], 10, 64); err == nil {
				return n
			}
		}
	}
	return -1
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
