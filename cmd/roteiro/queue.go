package main

// A fila de accept do kernel durante uma etapa (Linux): o socket de escuta
// do servidor amostrado com tcpstat.Watch, e a diferença dos contadores do
// kernel (tcpstat.ReadCounters) entre o início e o fim da etapa.

import (
	"runtime"
	"time"

	"roteiro2/internal/tcpstat"
)

// queueEvery é o intervalo de amostragem da fila: uma consulta inet_diag
// (só os sockets LISTEN) custa dezenas de µs, e a fila da etapa 1.2 fica
// cheia por um delay inteiro: 25 ms a vê sem pesar na medição.
const queueEvery = 25 * time.Millisecond

// queueWatch acompanha a fila de uma porta durante uma etapa.
type queueWatch struct {
	w         *tcpstat.Watcher
	before    tcpstat.Counters
	beforeErr error
}

// watchQueue começa a observar a porta (nil fora do Linux: nada a medir).
func watchQueue(port int) *queueWatch {
	if runtime.GOOS != "linux" {
		return nil
	}
	c, err := tcpstat.ReadCounters()
	return &queueWatch{w: tcpstat.Watch(port, queueEvery), before: c, beforeErr: err}
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
		d := after.Sub(q.before)
		r.Overflows, r.Cookies = d.ListenOverflows, d.TCPReqQFullDoCookies
	}
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
