package main

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"roteiro2/internal/proc"
)

// A amostra escolhida é a tirada mais perto do meio do atraso, antes ou
// depois dele; sem amostras, n/d.
func TestWaitWatchChoice(t *testing.T) {
	t0 := time.Now()
	w := &waitWatch{target: t0.Add(2500 * time.Millisecond)}
	thread := proc.Waits{"hrtimer_nanosleep": 200, "inet_csk_accept": 1, "futex_do_wait": 6}
	for i, ws := range []proc.Waits{
		{"inet_csk_accept": 1, "futex_do_wait": 6},                           // 0 s
		{"wait_woken": 50, "hrtimer_nanosleep": 100, "inet_csk_accept": 1},   // 1 s
		{"hrtimer_nanosleep": 201, "inet_csk_accept": 1, "futex_do_wait": 5}, // 2 s
		thread, // 3 s: a 0,5 s do meio, como a de 2 s; a primeira fica
		{"inet_csk_accept": 1, "futex_do_wait": 6, "hrtimer_nanosleep": 1}, // 4 s
	} {
		w.record(ws, t0.Add(time.Duration(i)*time.Second))
	}
	if got, want := w.pick().String(), "201 sleep (hrtimer_nanosleep) · 5 futex (futex_do_wait) · 1 accept (inet_csk_accept)"; got != want {
		t.Errorf("escolhida %q, queria %q", got, want)
	}
	w.record(thread, t0.Add(2600*time.Millisecond)) // mais perto
	if got := w.pick().String(); got != thread.String() {
		t.Errorf("escolhida %q, queria %q", got, thread)
	}
	if got := (&waitWatch{}).pick().String(); got != "n/d" {
		t.Errorf("sem amostras: %q", got)
	}
}

// watchWaits de verdade, neste próprio processo: no Linux há ao menos uma
// thread e a contagem bate com o total; fora dele, n/d sem esperar nada.
func TestWatchWaitsSelf(t *testing.T) {
	w := watchWaits(os.Getpid(), time.Now())
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
