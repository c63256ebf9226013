package main

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/proc"
)

// A amostra escolhida é a que pegou mais threads numa espera de conexão
// (recv, sleep, send); sem nenhuma, a última.
func TestWaitWatchChoice(t *testing.T) {
	w := &waitWatch{}
	thread := proc.Waits{"hrtimer_nanosleep": 200, "inet_csk_accept": 1, "futex_do_wait": 6}
	for _, ws := range []proc.Waits{
		{"inet_csk_accept": 1, "futex_do_wait": 6},
		{"wait_woken": 50, "hrtimer_nanosleep": 100, "inet_csk_accept": 1},
		thread,
		{"inet_csk_accept": 1, "futex_do_wait": 6}, // todos responderam: nada a ver
	} {
		w.record(ws)
	}
	if got := w.pick().String(); got != thread.String() {
		t.Errorf("escolhida %q, queria %q", got, thread)
	}
	loop := &waitWatch{}
	loop.record(proc.Waits{"futex_do_wait": 6})
	loop.record(proc.Waits{"do_epoll_wait": 1, "futex_do_wait": 6})
	if got := loop.pick().String(); got != "6 futex (futex_do_wait) · 1 epoll_wait (do_epoll_wait)" {
		t.Errorf("sem espera de conexão, a última: %q", got)
	}
	if got := (&waitWatch{}).pick().String(); got != "n/d" {
		t.Errorf("sem amostras: %q", got)
	}
}

// watchWaits de verdade, neste próprio processo: no Linux há ao menos uma
// thread e a contagem bate com o total; fora dele, n/d sem esperar nada.
func TestWatchWaitsSelf(t *testing.T) {
	w := watchWaits(os.Getpid())
	time.Sleep(150 * time.Millisecond) // a primeira amostra sai em 100 ms
	ws := w.stop()
	if runtime.GOOS != "linux" {
		if ws != nil {
			t.Errorf("fora do Linux: %v, queria n/d", ws)
		}
		return
	}
	if ws.Threads() < 1 || strings.Contains(ws.String(), "n/d") {
		t.Errorf("amostra de si mesmo: %v", ws)
	}
}
